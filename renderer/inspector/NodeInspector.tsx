/** The selected node's form: label, parameters (from the catalog), resources, retries, caching, code. */
import { useTranslation } from 'react-i18next';
import { problemText } from '../i18n/problems.ts';
import { catalog } from '../../node-catalog/index.ts';
import { resolveNode } from '../../shared/pipeline/resolve.ts';
import { isParamBinding } from '../../shared/pipeline/types.ts';
import type { NodeParamValue, ParamValue, PipelineNode, Problem } from '../../shared/pipeline/types.ts';
import { localize, useLang } from '../i18n/index.ts';
import { appStore } from '../store/index.ts';
import { fieldDomId, problemsForField } from './fieldKeys.ts';
import { CheckboxField, NumberField, TextField } from './fields.tsx';
import { ParamField } from './ParamField.tsx';
import { PythonInterfaceEditor } from './PythonInterfaceEditor.tsx';
import { ResourcesSection } from './ResourcesSection.tsx';
import { NodeAlertsSection } from '../monitoring/NodeAlertsSection.tsx';
import { EstimateSection } from '../estimate/EstimateSection.tsx';
import { BindingControl } from '../parameters/BindingControl.tsx';
import { ImageSection } from '../parameters/ImageSection.tsx';

const ownValue = (v: NodeParamValue | undefined): ParamValue | undefined => (isParamBinding(v) ? undefined : v);

export function NodeInspector({ node, problems }: { node: PipelineNode; problems: readonly Problem[] }) {
  const { t } = useTranslation();
  const lang = useLang();
  const resolved = resolveNode(node, catalog);
  if (!resolved) return <p className="muted">{t('node.unknownType', { type: node.type })}</p>;
  const { spec } = resolved;
  const dispatch = appStore.getState().dispatch;
  const setParam = (name: string, value: ParamValue | undefined, live: boolean) =>
    dispatch({ type: 'set-param', id: node.id, name, value }, { mark: !live });
  const nodeProblems = problems.filter((p) => p.location.nodeId === node.id);
  const general = nodeProblems.filter((p) => !p.location.param && !p.location.field);
  return (
    <div className="node-inspector" data-node-id={node.id}>
      <header className={`inspector-head cat-${spec.category}`}>
        <div className="inspector-type">{localize(spec.title, lang)}</div>
        <div className="inspector-id">
          {t('inspector.id')}: <code>{node.id}</code>
        </div>
        <p className="inspector-help">{localize(spec.help, lang)}</p>
        {general.map((p, i) => (
          <div key={i} className={`field-message ${p.severity}`}>
            {problemText(p, lang)}
          </div>
        ))}
      </header>
      <section className="inspector-section">
        <TextField
          id={fieldDomId(node.id, 'label')}
          label={t('inspector.label')}
          value={node.label ?? ''}
          placeholder={node.id}
          onCommit={(v) => dispatch({ type: 'patch-node', id: node.id, patch: { label: v === '' ? undefined : v } }, { mark: false })}
          problems={problemsForField(problems, node.id, 'label')}
        />
      </section>
      {spec.type === 'python' && <PythonInterfaceEditor node={node} problems={nodeProblems} />}
      {resolved.paramSpecs.length > 0 && (
        <section className="inspector-section">
          <h3>{t('inspector.parameters')}</h3>
          {resolved.paramSpecs.map((ps) => (
            <ParamField
              key={ps.name}
              id={fieldDomId(node.id, `params.${ps.name}`)}
              spec={ps}
              own={ownValue(node.params?.[ps.name])}
              effective={resolved.params[ps.name]}
              problems={problemsForField(problems, node.id, `params.${ps.name}`)}
              onChange={(v, live) => setParam(ps.name, v, live)}
            />
          )).flatMap((field, i) => [field, <BindingControl key={`bind-${i}`} node={node} spec={resolved.paramSpecs[i]} id={fieldDomId(node.id, `bind.${resolved.paramSpecs[i].name}`)} />])}
        </section>
      )}
      {!spec.importer && <ImageSection node={node} spec={spec} problems={problems} />}
      {!spec.importer && <ResourcesSection node={node} defaults={spec.defaultResources} problems={problems} />}
      <EstimateSection node={node} />
      {!spec.importer && (
        <section className="inspector-section">
          <h3>{t('inspector.execution')}</h3>
          <NumberField
            id={fieldDomId(node.id, 'retries')}
            label={t('inspector.retries')}
            integer
            min={0}
            max={10}
            value={resolved.retries}
            placeholder={String(spec.defaultRetries)}
            onCommit={(v) => dispatch({ type: 'patch-node', id: node.id, patch: { retries: v } }, { mark: false })}
            problems={problemsForField(problems, node.id, 'retries')}
            overridden={node.retries !== undefined}
            onReset={() => dispatch({ type: 'patch-node', id: node.id, patch: { retries: undefined } })}
          />
          <CheckboxField
            id={fieldDomId(node.id, 'cache')}
            label={t('inspector.cache')}
            checked={resolved.cache}
            hint={t('inspector.cacheHint')}
            onCommit={(v) => dispatch({ type: 'patch-node', id: node.id, patch: { cache: v ? undefined : false } })}
            problems={problemsForField(problems, node.id, 'cache')}
          />
        </section>
      )}
      {!spec.importer && <NodeAlertsSection node={node} problems={problems} />}
    </div>
  );
}
