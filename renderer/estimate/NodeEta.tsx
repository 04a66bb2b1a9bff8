/**
 * A running card's time left, from its progress lines: tqdm's remaining time or rate, else the pace since
 * this window first saw the bar (start-up and model loading left out), else the pace since the step
 * started; it counts down between lines.
 */
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { ProgressClock } from '../../shared/estimate/runs.ts';
import { formatDuration } from '../runs/runFormat.ts';
import { useDurationUnits } from '../runs/useDurationUnits.ts';
import { useNow } from '../runs/useNow.ts';
import type { NodeRunView } from '../store/runViewSlice.ts';

export function NodeEta({ run }: { run: NodeRunView }) {
  const { t } = useTranslation();
  const units = useDurationUnits();
  const clock = useRef<ProgressClock>(null);
  clock.current ??= new ProgressClock();
  const timing = run.timing;
  const now = useNow(run.phase === 'running' && timing !== undefined);
  if (!timing) return null;
  // A re-render for a new line comes before the next tick: the later of the two clocks is "now".
  const left = clock.current.secondsLeft('node', { phase: run.phase, progress: timing.progress, startedAt: timing.startedAt }, Math.max(now, Date.now()));
  if (left === undefined) return null;
  return (
    <span className="node-eta" data-testid="node-eta" title={t('estimate.eta.nodeTitle', { current: timing.progress.current, total: timing.progress.total })}>
      {t('estimate.eta.node', { time: formatDuration(left * 1000, units) })}
    </span>
  );
}
