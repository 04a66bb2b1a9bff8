/** The run panel's header: pipeline, phase, target and where, duration, Cancel and Retry. */
import { useTranslation } from 'react-i18next';
import type { RunSummary } from '../../shared/runs/types.ts';
import { RunTimeLeft } from '../estimate/RunTimeLeft.tsx';
import { useAppStore } from '../store/index.ts';
import { cancelRun, retryRun } from './runActions.ts';
import { latestRunId } from './runFolding.ts';
import { formatDuration, formatStart, isTerminal, runDurationMs } from './runFormat.ts';
import { useDurationUnits } from './useDurationUnits.ts';
import { useNow } from './useNow.ts';
import { runnerMessage } from './runnerMessage.ts';

export function RunHeader({ run }: { run: RunSummary }) {
  const { t, i18n } = useTranslation();
  const units = useDurationUnits();
  const latest = useAppStore((s) => latestRunId(s.runs, s.doc.name));
  const pinned = useAppStore((s) => s.pinnedRunId);
  const pinRun = useAppStore((s) => s.pinRun);
  const connection = useAppStore((s) => s.connections[run.id]);
  const terminal = isTerminal(run);
  const now = useNow(!terminal);
  const where = run.target === 'local' ? null : [run.context, run.namespace].filter(Boolean).join(' / ');
  return (
    <>
      <header className="run-header" data-run-id={run.id} data-phase={run.phase}>
        <span className={`run-phase-badge phase-${run.phase}`}>{t(`runs.runPhase.${run.phase}`)}</span>
        <strong className="run-pipeline">{run.pipelineName}</strong>
        <span className="muted small run-id">{run.id}</span>
        <span className="run-where" title={t('runs.panel.where')}>
          {t(`run.target.${run.target}`)}
          {where ? ` · ${where}` : ''}
        </span>
        <span className="muted small" title={`${t('runs.panel.started')}: ${formatStart(run.createdAt, i18n.language)}`}>
          {t('runs.panel.duration')} <span className="run-duration">{formatDuration(runDurationMs(run, now), units)}</span>
        </span>
        <RunTimeLeft run={run} />
        {pinned === run.id && latest && latest !== run.id && (
          <>
            <span className="chip muted">{t('runs.panel.earlier')}</span>
            <button type="button" className="link small" onClick={() => pinRun(latest)}>
              {t('runs.panel.showLatest')}
            </button>
          </>
        )}
        <span className="spacer" />
        {!terminal && (
          <button type="button" className="button small danger" onClick={() => void cancelRun(run.id)}>
            {t('runs.panel.cancel')}
          </button>
        )}
        {terminal && run.phase !== 'succeeded' && (
          <button type="button" className="button small" onClick={() => void retryRun(run.id)}>
            {t('runs.panel.retry')}
          </button>
        )}
      </header>
      {connection?.state === 'disconnected' && (
        <div className="run-disconnected" role="status" title={connection.message}>
          {t('runs.panel.disconnected')}
        </div>
      )}
      {run.message && (run.phase === 'failed' || run.phase === 'error') && (
        <p className="run-message error-text" role="alert">
          {runnerMessage(run.message, t)}
        </p>
      )}
    </>
  );
}
