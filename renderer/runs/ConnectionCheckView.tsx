/** What "Test connection" found: server version, Argo, KFP, permission, and the messages of what failed. */
import { useTranslation } from 'react-i18next';
import type { ConnectionCheck } from '../../shared/api/runs.ts';

function Flag({ value }: { value: boolean | undefined }) {
  const { t } = useTranslation();
  if (value === undefined) return <span className="check-flag muted">{t('runs.dialog.notChecked')}</span>;
  return <span className={`check-flag ${value ? 'ok' : 'bad'}`}>{value ? `✓ ${t('runs.dialog.yes')}` : `✗ ${t('runs.dialog.no')}`}</span>;
}

export function ConnectionCheckView({ check }: { check: ConnectionCheck }) {
  const { t } = useTranslation();
  return (
    <div className={`connection-check ${check.ok ? 'ok' : 'bad'}`} role="status" data-testid="connection-check">
      <p className="connection-summary">{check.ok ? t('runs.dialog.checkOk') : t('runs.dialog.checkProblems')}</p>
      <dl className="connection-rows">
        <dt>{t('runs.dialog.server')}</dt>
        <dd>
          {check.serverVersion ? <span className="check-flag ok">✓ {check.serverVersion}</span> : <span className="check-flag bad">✗ {t('runs.dialog.unreachable')}</span>}
        </dd>
        <dt>{t('runs.dialog.argo')}</dt>
        <dd>
          <Flag value={check.argoInstalled} />
        </dd>
        <dt>{t('runs.dialog.kfp')}</dt>
        <dd>
          <Flag value={check.kfpReachable} />
        </dd>
        <dt>{t('runs.dialog.create')}</dt>
        <dd>
          <Flag value={check.canCreateWorkflows} />
        </dd>
      </dl>
      {check.messages.length > 0 && (
        <ul className="connection-messages">
          {check.messages.map((m, i) => (
            <li key={i}>{m}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
