/** Settings dialog: where this computer reaches Prometheus, for the GPU idle alert (empty: that alert is off). */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client.ts';
import { useSettingsOnce } from '../api/useSettingsOnce.ts';

const URL_PATTERN = /^https?:\/\/\S+$/;

export function AlertAppSettings() {
  const { t } = useTranslation();
  const [value, setValue] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useSettingsOnce((s) => setValue(s.prometheusUrl ?? ''), setError);

  if (value === null) return null;
  const save = () => {
    const url = value.trim();
    if (url !== '' && !URL_PATTERN.test(url)) {
      setError(t('monitoring.app.prometheusUrlInvalid'));
      return;
    }
    setError(null);
    api.updateSettings({ prometheusUrl: url || null }).catch((err: unknown) => setError((err as Error).message));
  };
  return (
    <>
      <h3 className="form-grid-heading">{t('monitoring.settings.title')}</h3>
      <label htmlFor="setting-prometheus">{t('monitoring.app.prometheusUrl')}</label>
      <input
        id="setting-prometheus"
        type="url"
        spellCheck={false}
        placeholder="http://localhost:9090"
        title={t('monitoring.app.prometheusUrlHint')}
        aria-invalid={error !== null}
        value={value}
        onChange={(e) => setValue(e.target.value)}
        onBlur={save}
      />
      <p className="field-hint form-grid-wide">{t('monitoring.app.prometheusUrlHint')}</p>
      {error && <p className="error-text form-grid-wide" role="alert">{error}</p>}
    </>
  );
}
