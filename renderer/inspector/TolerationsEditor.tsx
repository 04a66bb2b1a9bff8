/** A list of Kubernetes tolerations: key, operator, value, effect. */
import { useTranslation } from 'react-i18next';
import { useLang } from '../i18n/index.ts';
import { problemText } from '../i18n/problems.ts';
import type { Problem, Toleration } from '../../shared/pipeline/types.ts';

const EFFECTS: (Toleration['effect'] | '')[] = ['', 'NoSchedule', 'PreferNoSchedule', 'NoExecute'];

interface Props {
  id: string;
  tolerations: Toleration[];
  problems: readonly Problem[];
  onChange(next: Toleration[]): void;
}

export function TolerationsEditor({ id, tolerations, problems, onChange }: Props) {
  const lang = useLang();
  const { t } = useTranslation();
  const update = (i: number, patch: Partial<Toleration>) => {
    const next = tolerations.map((tol, j) => {
      if (j !== i) return tol;
      const merged: Toleration = { ...tol, ...patch };
      for (const k of Object.keys(merged) as (keyof Toleration)[]) if (merged[k] === undefined || merged[k] === '') delete merged[k];
      return merged;
    });
    onChange(next);
  };
  // Each part gets the id a problem at `resources.tolerations.I.PART` focuses, and is marked when that part is wrong.
  const part = (i: number, name: keyof Toleration) => ({
    id: `${id}-${i}-${name}`,
    'aria-invalid': problems.some((p) => p.severity === 'error' && p.location.field?.endsWith(`tolerations.${i}.${name}`)),
  });
  return (
    <div className="field list-field">
      <div className="field-top">
        <span className="label" id={`${id}-label`}>
          {t('inspector.tolerations')}
        </span>
        <button type="button" id={id} className="link small" onClick={() => onChange([...tolerations, { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }])}>
          {t('inspector.addToleration')}
        </button>
      </div>
      {tolerations.length === 0 && <div className="field-hint">{t('inspector.noTolerations')}</div>}
      {tolerations.map((tol, i) => (
        <div className="list-row toleration" key={i} role="group" aria-label={t('inspector.tolerationN', { n: i + 1 })}>
          <input {...part(i, 'key')} aria-label={t('inspector.tolerationKey')} placeholder={t('inspector.tolerationKey')} value={tol.key ?? ''} onChange={(e) => update(i, { key: e.target.value })} />
          <select {...part(i, 'operator')} aria-label={t('inspector.tolerationOperator')} value={tol.operator ?? 'Equal'} onChange={(e) => update(i, { operator: e.target.value as Toleration['operator'] })}>
            <option value="Equal">Equal</option>
            <option value="Exists">Exists</option>
          </select>
          {tol.operator !== 'Exists' && (
            <input {...part(i, 'value')} aria-label={t('inspector.tolerationValue')} placeholder={t('inspector.tolerationValue')} value={tol.value ?? ''} onChange={(e) => update(i, { value: e.target.value })} />
          )}
          <select {...part(i, 'effect')} aria-label={t('inspector.tolerationEffect')} value={tol.effect ?? ''} onChange={(e) => update(i, { effect: (e.target.value || undefined) as Toleration['effect'] })}>
            {EFFECTS.map((eff) => (
              <option key={eff} value={eff}>
                {eff || t('inspector.anyEffect')}
              </option>
            ))}
          </select>
          <button type="button" className="icon-button" aria-label={t('inspector.remove')} onClick={() => onChange(tolerations.filter((_, j) => j !== i))}>
            ×
          </button>
        </div>
      ))}
      {problems.map((p, i) => (
        <div key={i} className={`field-message ${p.severity}`}>
          {problemText(p, lang)}
        </div>
      ))}
    </div>
  );
}
