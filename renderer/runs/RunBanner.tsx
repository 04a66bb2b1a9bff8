/** Over the canvas: the shown run lost its cluster connection and is retrying. */
import { useTranslation } from 'react-i18next';
import { useAppStore } from '../store/index.ts';
import { shownRunId } from './runsSlice.ts';

export function RunBanner() {
  const { t } = useTranslation();
  const id = useAppStore(shownRunId);
  const connection = useAppStore((s) => (id ? s.connections[id] : undefined));
  if (!id || connection?.state !== 'disconnected') return null;
  return (
    <div className="run-banner" role="status" data-testid="run-disconnected" title={connection.message}>
      <span className="run-banner-dot" />
      {t('runs.panel.disconnected')}
    </div>
  );
}
