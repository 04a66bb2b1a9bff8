/** The bottom line: the last message (e.g. why a connection was refused), counts and mode. */
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppStore } from '../store/index.ts';

const INFO_MS = 6000;
const ERROR_MS = 12000;

export function StatusBar() {
  const { t } = useTranslation();
  const status = useAppStore((s) => s.status);
  const clearStatus = useAppStore((s) => s.clearStatus);
  const nodes = useAppStore((s) => s.doc.nodes.length);
  const edges = useAppStore((s) => s.doc.edges.length);
  const errors = useAppStore((s) => s.problems.filter((p) => p.severity === 'error').length);
  const warnings = useAppStore((s) => s.problems.filter((p) => p.severity === 'warning').length);
  const mode = useAppStore((s) => s.session?.mode);
  const showBottom = useAppStore((s) => s.showBottom);
  useEffect(() => {
    if (!status) return;
    const timer = setTimeout(clearStatus, status.kind === 'error' ? ERROR_MS : INFO_MS);
    return () => clearTimeout(timer);
  }, [status, clearStatus]);
  return (
    <footer className="statusbar">
      <div className={`status-message ${status?.kind ?? ''}`} role={status?.kind === 'error' ? 'alert' : 'status'} aria-live="polite" data-testid="status-message">
        {status ? t(status.key, status.values) : ''}
      </div>
      <span className="spacer" />
      <button type="button" className={`status-problems ${errors > 0 ? 'error' : warnings > 0 ? 'warning' : 'ok'}`} onClick={() => showBottom('problems')}>
        {errors > 0 || warnings > 0 ? `${t('problems.errors', { count: errors })} · ${t('problems.warnings', { count: warnings })}` : t('problems.noneShort')}
      </button>
      <span className="status-item">
        {t('status.steps', { count: nodes })} · {t('status.connections', { count: edges })}
      </span>
      {mode && <span className="status-item">{t(`status.mode.${mode}`)}</span>}
    </footer>
  );
}
