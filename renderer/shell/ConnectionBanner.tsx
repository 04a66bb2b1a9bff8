/** Browser mode: the back end cannot be reached (retrying), or was restarted and refuses this page. */
import { useTranslation } from 'react-i18next';
import { useAppStore } from '../store/index.ts';
import './shell.css';

export function ConnectionBanner() {
  const { t } = useTranslation();
  const connection = useAppStore((s) => s.connection);
  if (connection !== 'disconnected' && connection !== 'rejected') return null;
  return (
    <div className={`connection-banner ${connection}`} role="alert" data-testid="backend-disconnected">
      <span className="connection-banner-dot" />
      {t(connection === 'rejected' ? 'backend.connection.rejected' : 'backend.connection.disconnected')}
    </div>
  );
}
