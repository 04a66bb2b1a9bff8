/** A running card's time left, from its last progress line (tqdm's remaining time, its rate, or the pace so far); counts down between lines. */
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { nodeSecondsLeft } from '../../shared/estimate/runs.ts';
import { formatDuration } from '../runs/runFormat.ts';
import { useDurationUnits } from '../runs/useDurationUnits.ts';
import { useNow } from '../runs/useNow.ts';
import type { NodeRunView } from '../store/runViewSlice.ts';

export function NodeEta({ run }: { run: NodeRunView }) {
  const { t } = useTranslation();
  const units = useDurationUnits();
  const timing = run.timing;
  // When this progress line arrived (a new line is a new object).
  const seenAt = useMemo(() => Date.now(), [timing?.progress]);
  const now = useNow(run.phase === 'running' && timing !== undefined);
  if (!timing) return null;
  const left = nodeSecondsLeft({ phase: run.phase, progress: timing.progress, startedAt: timing.startedAt }, Math.max(now, seenAt), seenAt);
  if (left === undefined) return null;
  return (
    <span className="node-eta" data-testid="node-eta" title={t('estimate.eta.nodeTitle', { current: timing.progress.current, total: timing.progress.total })}>
      {t('estimate.eta.node', { time: formatDuration(left * 1000, units) })}
    </span>
  );
}
