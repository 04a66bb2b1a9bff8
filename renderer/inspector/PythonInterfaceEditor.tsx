/** A Python step's own ports and parameters, and the way to its code. */
import { useTranslation } from 'react-i18next';
import { useLang } from '../i18n/index.ts';
import { problemText } from '../i18n/problems.ts';
import type { CustomNodeInterface, ParamSpec, ParamType, PipelineNode, PortKind, PortSpec, Problem } from '../../shared/pipeline/types.ts';
import { PORT_KINDS } from '../../shared/pipeline/types.ts';
import { uniqueId } from '../document/ids.ts';
import { PYTHON_DEFAULT_INTERFACE } from '../document/newNode.ts';
import { appStore } from '../store/index.ts';
import { fieldDomId } from './fieldKeys.ts';

const PARAM_TYPES: ParamType[] = ['string', 'number', 'integer', 'boolean', 'string-list'];

export function PythonInterfaceEditor({ node, problems }: { node: PipelineNode; problems: readonly Problem[] }) {
  const lang = useLang();
  const { t } = useTranslation();
  const iface = node.interface ?? PYTHON_DEFAULT_INTERFACE;
  const commit = (next: CustomNodeInterface, live = false) => appStore.getState().dispatch({ type: 'patch-node', id: node.id, patch: { interface: next } }, { mark: !live });
  const lines = (node.code ?? '').split('\n').length;
  // Each input gets the id a problem at `interface.SIDE.I.PART` focuses, and is marked when that part is wrong.
  const part = (key: string) => ({
    id: fieldDomId(node.id, `interface.${key}`),
    'aria-invalid': problems.some((p) => p.severity === 'error' && p.location.field === `interface.${key}`),
  });
  const portList = (side: 'inputs' | 'outputs') => {
    const ports = iface[side];
    const setPort = (i: number, patch: Partial<PortSpec>, live = false) => commit({ ...iface, [side]: ports.map((p, j) => (j === i ? { ...p, ...patch } : p)) }, live);
    return (
      <div className="field list-field">
        <div className="field-top">
          <span className="label">{t(`inspector.${side}`)}</span>
          <button
            type="button"
            className="link small"
            id={fieldDomId(node.id, `interface.${side}`)}
            onClick={() => commit({ ...iface, [side]: [...ports, { name: uniqueId(side === 'inputs' ? 'in' : 'out', new Set(ports.map((p) => p.name))), kind: 'dataset' }] })}
          >
            {t('inspector.addPort')}
          </button>
        </div>
        {ports.map((p, i) => (
          <div className="list-row" key={i} onBlur={() => appStore.getState().markGesture()}>
            <input {...part(`${side}.${i}.name`)} aria-label={t('inspector.portName')} value={p.name} onChange={(e) => setPort(i, { name: e.target.value }, true)} />
            <select {...part(`${side}.${i}.kind`)} aria-label={t('inspector.portKind')} className={`kind-select kind-${p.kind}`} value={p.kind} onChange={(e) => setPort(i, { kind: e.target.value as PortKind })}>
              {PORT_KINDS.map((k) => (
                <option key={k} value={k}>
                  {t(`kind.${k}`)}
                </option>
              ))}
            </select>
            {side === 'inputs' && (
              <label className="inline-check">
                <input type="checkbox" checked={p.optional === true} onChange={(e) => setPort(i, { optional: e.target.checked || undefined })} />
                {t('inspector.optional')}
              </label>
            )}
            <button type="button" className="icon-button" aria-label={t('inspector.remove')} onClick={() => commit({ ...iface, [side]: ports.filter((_, j) => j !== i) })}>
              ×
            </button>
          </div>
        ))}
      </div>
    );
  };
  const params = iface.parameters;
  const setParamSpec = (i: number, patch: Partial<ParamSpec>, live = false) => commit({ ...iface, parameters: params.map((p, j) => (j === i ? { ...p, ...patch } : p)) }, live);
  const addParam = () => {
    const name = uniqueId('param', new Set(params.map((p) => p.name))).replace(/-/g, '_');
    commit({ ...iface, parameters: [...params, { name, type: 'string', default: '', title: { en: name, ko: name }, help: { en: '', ko: '' } }] });
  };
  return (
    <section className="inspector-section">
      <h3>{t('inspector.pythonStep')}</h3>
      <button type="button" className="button" onClick={() => appStore.getState().showBottom('code')}>
        {t('inspector.editCode', { count: lines })}
      </button>
      {portList('inputs')}
      {portList('outputs')}
      <div className="field list-field">
        <div className="field-top">
          <span className="label">{t('inspector.parameters')}</span>
          <button type="button" className="link small" id={fieldDomId(node.id, 'interface.parameters')} onClick={addParam}>
            {t('inspector.addParameter')}
          </button>
        </div>
        {params.map((p, i) => (
          <div className="list-row" key={i} onBlur={() => appStore.getState().markGesture()}>
            <input {...part(`parameters.${i}.name`)} aria-label={t('inspector.paramName')} value={p.name} onChange={(e) => setParamSpec(i, { name: e.target.value, title: { en: e.target.value, ko: e.target.value } }, true)} />
            <select {...part(`parameters.${i}.type`)} aria-label={t('inspector.paramType')} value={p.type} onChange={(e) => setParamSpec(i, { type: e.target.value as ParamType, default: undefined })}>
              {PARAM_TYPES.map((k) => (
                <option key={k} value={k}>
                  {k}
                </option>
              ))}
            </select>
            <button type="button" className="icon-button" aria-label={t('inspector.remove')} onClick={() => commit({ ...iface, parameters: params.filter((_, j) => j !== i) })}>
              ×
            </button>
          </div>
        ))}
      </div>
      {problems
        .filter((p) => p.location.field?.startsWith('interface'))
        .map((p, i) => (
          <div key={i} className={`field-message ${p.severity}`}>
            {problemText(p, lang)}
          </div>
        ))}
    </section>
  );
}
