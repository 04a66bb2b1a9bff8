/** The pipeline's run-time parameters, in the pipeline settings: add, rename, type, default, description, delete. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { parameterText, parseParameterText } from '../../shared/pipeline/parameters.ts';
import type { PipelineParameter, PipelineParameterType, Problem } from '../../shared/pipeline/types.ts';
import { fieldDomId, problemsForField } from '../inspector/fieldKeys.ts';
import { SelectField, TextField } from '../inspector/fields.tsx';
import { appStore, useAppStore } from '../store/index.ts';
import { addParameter, bindingsOf, nameProblem, removeParameter, retypeDefault, updateParameter } from './model.ts';

const TYPES: PipelineParameterType[] = ['number', 'integer', 'string', 'boolean'];

export function ParametersSection({ problems }: { problems: readonly Problem[] }) {
  const { t } = useTranslation();
  const doc = useAppStore((s) => s.doc);
  const parameters = doc.parameters ?? [];
  // Rows are keyed by position: after a removal they start afresh, each from its own unsaved field text.
  const [removals, setRemovals] = useState(0);
  const replace = (next: typeof doc, live = false) => appStore.getState().dispatch({ type: 'replace', document: next }, { mark: !live });
  const update = (i: number, patch: Partial<PipelineParameter>, live = false) => replace(updateParameter(appStore.getState().doc, i, patch), live);
  return (
    <section className="inspector-section parameters-section" data-testid="parameters-section">
      <h3>{t('parameters.section')}</h3>
      <p className="muted small">{t('parameters.help')}</p>
      {parameters.length === 0 && <p className="muted small">{t('parameters.none')}</p>}
      {parameters.map((p, i) => {
        const at = `parameters.${i}`;
        const used = bindingsOf(doc, p.name);
        return (
          <div key={`${removals}-${i}`} className="parameter-row" data-testid={`parameter-${i}`}>
            <TextField
              id={fieldDomId(null, `${at}.name`)}
              label={t('parameters.name')}
              value={p.name}
              validate={(v) => {
                const problem = nameProblem(doc, i, v);
                return problem ? t(`parameters.error.${problem}`, { name: v }) : null;
              }}
              problems={problemsForField(problems, null, `${at}.name`)}
              onCommit={(v) => {
                if (!nameProblem(appStore.getState().doc, i, v)) update(i, { name: v }, true);
              }}
            />
            <SelectField
              id={fieldDomId(null, `${at}.type`)}
              label={t('parameters.type')}
              value={p.type}
              options={TYPES.map((type) => ({ value: type, label: t(`parameters.types.${type}`) }))}
              problems={problemsForField(problems, null, `${at}.type`)}
              onCommit={(v) => update(i, { type: v as PipelineParameterType, default: retypeDefault(p.default, v as PipelineParameterType) })}
            />
            {p.type === 'boolean' ? (
              <SelectField
                id={fieldDomId(null, `${at}.default`)}
                label={t('parameters.default')}
                value={parameterText(p.default)}
                options={[
                  { value: '', label: t('parameters.noDefault') },
                  { value: 'true', label: 'true' },
                  { value: 'false', label: 'false' },
                ]}
                problems={problemsForField(problems, null, `${at}.default`)}
                onCommit={(v) => update(i, { default: v === '' ? undefined : v === 'true' })}
              />
            ) : (
              <TextField
                id={fieldDomId(null, `${at}.default`)}
                label={t('parameters.default')}
                value={parameterText(p.default)}
                placeholder={t('parameters.noDefault')}
                validate={(v) => {
                  const parsed = parseParameterText(p.type, v);
                  return 'error' in parsed ? parsed.error : null;
                }}
                problems={problemsForField(problems, null, `${at}.default`)}
                onCommit={(v) => {
                  if (v === '' && p.type !== 'string') return update(i, { default: undefined }, true);
                  const parsed = parseParameterText(p.type, v);
                  if ('value' in parsed) update(i, { default: parsed.value }, true);
                }}
              />
            )}
            <TextField
              id={fieldDomId(null, `${at}.description`)}
              label={t('parameters.description')}
              value={p.description ?? ''}
              onCommit={(v) => update(i, { description: v }, true)}
            />
            <div className="parameter-foot">
              <span className="muted small">{used.length > 0 ? t('parameters.usedBy', { list: used.join(', ') }) : t('parameters.unused')}</span>
              <button type="button" className="link small" title={t('parameters.removeTitle', { name: p.name })} onClick={() => {
                  appStore.getState().dropParameterRowDrafts(i);
                  replace(removeParameter(appStore.getState().doc, i));
                  setRemovals((n) => n + 1);
                }}
              >
                {t('parameters.remove')}
              </button>
            </div>
          </div>
        );
      })}
      <button type="button" className="button small" data-testid="parameter-add" onClick={() => replace(addParameter(appStore.getState().doc))}>
        {t('parameters.add')}
      </button>
    </section>
  );
}
