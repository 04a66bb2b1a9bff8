/** The run header's time left for the whole pipeline: the critical path of what remains (progress for running steps, the estimate for the rest). */
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { ProgressClock, runSecondsLeft } from '../../shared/estimate/runs.ts';
import type { RunSummary } from '../../shared/runs/types.ts';
import { formatDuration } from '../runs/runFormat.ts';
import { useDurationUnits } from '../runs/useDurationUnits.ts';
import { useNow } from '../runs/useNow.ts';
import { useAppStore } from '../store/index.ts';
import './estimate.css';

export function RunTimeLeft({ run }: { run: RunSummary }) {
  const { t } = useTranslation();
  const units = useDurationUnits();
  const doc = useAppStore((s) => s.doc);
  const estimate = useAppStore((s) => s.estimate);
  const active = run.phase === 'running' || run.phase === 'pending';
  const now = useNow(active);
  const clock = useRef<ProgressClock>(null);
  clock.current ??= new ProgressClock();
  // The open document's estimate describes this run only when it is the same pipeline.
  if (!active || !estimate || run.pipelineName !== doc.name) return null;
  const at = Math.max(now, Date.now());
  const progressClock = clock.current;
  const left = runSecondsLeft(doc, run, estimate, at, (id, state) => progressClock.secondsLeft(`${run.id}/${id}`, state, at));
  if (left.seconds <= 0 && !left.partial) return null;
  const time = formatDuration(left.seconds * 1000, units);
  return (
    <span className="run-time-left" data-testid="run-time-left" data-partial={left.partial} title={t('estimate.eta.pipelineTitle')}>
      {t(left.partial ? 'estimate.eta.pipelinePartial' : 'estimate.eta.pipeline', { time })}
    </span>
  );
}
