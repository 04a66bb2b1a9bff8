/** Run dialog, KFP: how Pipewright reaches KFP and proves who you are (service proxy, Kubeflow login, service account token). */
import { useTranslation } from 'react-i18next';
import type { RunForm } from '../runs/runDialogModel.ts';

type Mode = 'proxy' | RunForm['kfpAuth'];

interface Props {
  form: RunForm;
  onChange(patch: Partial<RunForm>): void;
}

export function KfpConnectionFields({ form, onChange }: Props) {
  const { t } = useTranslation();
  const mode: Mode = form.kfpDirect ? form.kfpAuth : 'proxy';
  const setMode = (next: Mode) => onChange(next === 'proxy' ? { kfpDirect: false } : { kfpDirect: true, kfpAuth: next });
  return (
    <>
      <label htmlFor="run-kfp-connection">{t('kfp.connection')}</label>
      <select id="run-kfp-connection" value={mode} onChange={(e) => setMode(e.target.value as Mode)}>
        {(['proxy', 'session', 'service-account'] as const).map((m) => (
          <option key={m} value={m}>
            {t(`kfp.mode.${m}`)}
          </option>
        ))}
      </select>
      <span />
      <p className="muted small" data-testid="kfp-connection-help">
        {t(`kfp.modeHelp.${mode}`)}
      </p>
      {mode !== 'proxy' && (
        <>
          <label htmlFor="run-kfp-url">{t(`kfp.url.${mode}`)}</label>
          <input id="run-kfp-url" value={form.kfpUrl} placeholder={t(`kfp.urlPlaceholder.${mode}`)} spellCheck={false} onChange={(e) => onChange({ kfpUrl: e.target.value })} />
        </>
      )}
      {mode === 'session' && (
        <>
          <label htmlFor="run-kfp-cookie-env">{t('kfp.cookieEnv')}</label>
          <input id="run-kfp-cookie-env" value={form.kfpCookieEnv} placeholder={t('kfp.envPlaceholder')} spellCheck={false} onChange={(e) => onChange({ kfpCookieEnv: e.target.value })} />
          <label htmlFor="run-kfp-token">{t('kfp.token')}</label>
          <input id="run-kfp-token" type="password" value={form.kfpToken} autoComplete="off" title={t('runs.dialog.kfpTokenHelp')} onChange={(e) => onChange({ kfpToken: e.target.value })} />
          <label htmlFor="run-kfp-token-env">{t('kfp.tokenEnv')}</label>
          <input id="run-kfp-token-env" value={form.kfpTokenEnv} placeholder="KF_ID_TOKEN" spellCheck={false} disabled={form.kfpToken !== ''} onChange={(e) => onChange({ kfpTokenEnv: e.target.value })} />
        </>
      )}
      {mode === 'service-account' && (
        <>
          <label htmlFor="run-kfp-sa">{t('kfp.serviceAccount')}</label>
          <input id="run-kfp-sa" value={form.kfpServiceAccount} placeholder="default-editor" spellCheck={false} onChange={(e) => onChange({ kfpServiceAccount: e.target.value })} />
        </>
      )}
    </>
  );
}
