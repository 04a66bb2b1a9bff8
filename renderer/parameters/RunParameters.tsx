/** The run dialog's parameter fields: each pipeline parameter, default filled in, checked as it is typed. */
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { PipelineDocument, PipelineParameterType } from '../../shared/pipeline/types.ts';
import type { RunParameterProblem } from './model.ts';

/** A run value's problem in the UI's language (a bound param's range stays as the validator words it, naming node and param). */
export function runProblemText(t: TFunction, type: PipelineParameterType | undefined, problem: RunParameterProblem): string {
  if (problem.kind === 'type') return t('parameters.run.notType', { text: problem.text, type: t(`parameters.types.${type ?? 'string'}`) });
  if (problem.kind === 'missing') return t('parameters.run.missing');
  return t('parameters.run.refused', { message: problem.message });
}

export function RunParameters({ doc, texts, problems, onChange }: { doc: PipelineDocument; texts: Record<string, string>; problems: Record<string, RunParameterProblem>; onChange(name: string, text: string): void }) {
  const { t } = useTranslation();
  const parameters = doc.parameters ?? [];
  if (parameters.length === 0) return null;
  return (
    <fieldset className="run-parameters" data-testid="run-parameters">
      <legend>{t('parameters.run.title')}</legend>
      <p className="muted small">{t('parameters.run.help')}</p>
      {parameters.map((p) => {
        const id = `run-param-${p.name}`;
        const problem = problems[p.name];
        const text = texts[p.name] ?? '';
        return (
          <div key={p.name} className={`field ${problem ? 'has-error' : ''}`}>
            <div className="field-top">
              <label htmlFor={id}>
                <code>{p.name}</code> <span className="muted small">({t(`parameters.types.${p.type}`)}{p.default === undefined ? `, ${t('parameters.run.required')}` : ''})</span>
              </label>
            </div>
            {p.type === 'boolean' ? (
              <select id={id} value={text} onChange={(e) => onChange(p.name, e.target.value)} aria-invalid={Boolean(problem)}>
                {p.default === undefined && <option value="">—</option>}
                <option value="true">true</option>
                <option value="false">false</option>
              </select>
            ) : (
              <input id={id} type="text" value={text} onChange={(e) => onChange(p.name, e.target.value)} aria-invalid={Boolean(problem)} aria-describedby={`${id}-message`} />
            )}
            {problem ? (
              <div className="field-message error" role="alert" id={`${id}-message`}>
                {runProblemText(t, p.type, problem)}
              </div>
            ) : (
              p.description && <div className="field-hint">{p.description}</div>
            )}
          </div>
        );
      })}
    </fieldset>
  );
}
