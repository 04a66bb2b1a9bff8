/** Settings of runs on this machine: the Python interpreter, how many steps at once, real `dvc repro`. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client.ts';
import { useSettingsOnce } from '../api/useSettingsOnce.ts';

interface LocalFields {
  pythonPath: string;
  localConcurrency: number;
  localUseDvc: boolean;
}

export function LocalRunSettings() {
  const { t } = useTranslation();
  const [fields, setFields] = useState<LocalFields | null>(null);
  const [error, setError] = useState<string | null>(null);

  useSettingsOnce((s) => setFields({ pythonPath: s.pythonPath ?? '', localConcurrency: s.localConcurrency, localUseDvc: s.localUseDvc }), setError);

  const save = (patch: Partial<{ pythonPath: string | null; localConcurrency: number; localUseDvc: boolean }>) => {
    setError(null);
    api.updateSettings(patch).catch((err: unknown) => {
      setError((err as Error).message);
      // Refused (the desktop app asks before a new interpreter): show the one still in use.
      if (patch.pythonPath !== undefined) {
        void api.getSettings().then((s) => setFields((f) => (f ? { ...f, pythonPath: s.pythonPath ?? '' } : f)), () => undefined);
      }
    });
  };

  if (!fields) return error ? <p className="error-text form-grid-wide" role="alert">{error}</p> : null;
  return (
    <>
      <h3 className="form-grid-heading">{t('settingsDialog.localRuns')}</h3>
      <label htmlFor="setting-python">{t('settingsDialog.python')}</label>
      <input
        id="setting-python"
        type="text"
        spellCheck={false}
        placeholder={t('settingsDialog.pythonAuto')}
        value={fields.pythonPath}
        onChange={(e) => setFields({ ...fields, pythonPath: e.target.value })}
        onBlur={() => save({ pythonPath: fields.pythonPath.trim() || null })}
      />
      <label htmlFor="setting-concurrency">{t('settingsDialog.concurrency')}</label>
      <input
        id="setting-concurrency"
        type="number"
        min={0}
        max={64}
        step={1}
        title={t('settingsDialog.concurrencyHelp')}
        value={fields.localConcurrency}
        onChange={(e) => {
          const n = Math.max(0, Math.min(64, Math.trunc(Number(e.target.value) || 0)));
          setFields({ ...fields, localConcurrency: n });
          save({ localConcurrency: n });
        }}
      />
      <label htmlFor="setting-dvc">{t('settingsDialog.useDvc')}</label>
      <input
        id="setting-dvc"
        type="checkbox"
        checked={fields.localUseDvc}
        onChange={(e) => {
          setFields({ ...fields, localUseDvc: e.target.checked });
          save({ localUseDvc: e.target.checked });
        }}
      />
      {error && <p className="error-text form-grid-wide" role="alert">{error}</p>}
    </>
  );
}
