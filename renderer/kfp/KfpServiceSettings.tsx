/** Settings › Clusters › Kubeflow Pipelines service: where the service proxy reaches KFP's API. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DEFAULT_KFP_SERVICE, kfpServiceProblems } from '../../shared/runs/kfpConnection.ts';
import type { KfpServiceSettings as Service } from '../../shared/runs/kfpConnection.ts';
import { api } from '../api/client.ts';
import { useSettingsOnce } from '../api/useSettingsOnce.ts';

const FIELDS = [
  ['namespace', 'serviceNamespace'],
  ['name', 'serviceName'],
  ['port', 'servicePort'],
] as const;

export function KfpServiceSettings() {
  const { t } = useTranslation();
  const [value, setValue] = useState<Service | null>(null);
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useSettingsOnce((s) => setValue(s.kfpService ?? DEFAULT_KFP_SERVICE), setError);
  if (!value) return error ? <p className="error-text" role="alert">{error}</p> : null;
  const problems = kfpServiceProblems(value);
  const change = (patch: Partial<Service>) => {
    setSaved(false);
    setValue({ ...value, ...patch });
  };
  const save = async (next: Service) => {
    setError(null);
    try {
      const s = await api.updateSettings({ kfpService: next });
      setValue(s.kfpService);
      setSaved(true);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <section className="kfp-service" aria-labelledby="kfp-service-heading">
      <h3 className="form-grid-heading" id="kfp-service-heading">
        {t('kfp.service')}
      </h3>
      <p className="muted small">{t('kfp.serviceHelp')}</p>
      <div className="form-grid">
        {FIELDS.map(([key, label]) => (
          <div key={key} style={{ display: 'contents' }}>
            <label htmlFor={`kfp-service-${key}`}>{t(`kfp.${label}`)}</label>
            <input id={`kfp-service-${key}`} value={value[key]} spellCheck={false} aria-invalid={Boolean(problems[key])} title={problems[key]} onChange={(e) => change({ [key]: e.target.value.trim() })} />
          </div>
        ))}
        <label htmlFor="kfp-service-scheme">{t('kfp.serviceScheme')}</label>
        <select id="kfp-service-scheme" value={value.scheme} onChange={(e) => change({ scheme: e.target.value as Service['scheme'] })}>
          <option value="http">http</option>
          <option value="https">https</option>
        </select>
      </div>
      {(Object.keys(problems) as (keyof Service)[]).map((field) => (
        <p key={field} className="error-text" role="alert">
          {t(`kfp.problem.${field}`, { value: value[field] })}
        </p>
      ))}
      <div className="emulator-line">
        <button type="button" className="button" disabled={Object.keys(problems).length > 0} onClick={() => void save(value)}>
          {t('kfp.serviceSave')}
        </button>
        <button type="button" className="button" onClick={() => void save(DEFAULT_KFP_SERVICE)}>
          {t('kfp.serviceDefault')}
        </button>
        {saved && <span className="muted small">{t('kfp.serviceSaved')}</span>}
      </div>
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
