/**
 * A running card's time left, from its progress lines: tqdm's remaining time or rate, else the pace since
 * this window first saw the bar (start-up and model loading left out), else the pace since the step
 * started; it counts down between lines.
 */
import { useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { nextAnchor, nodeSecondsLeft, type ProgressAnchor } from '../../shared/estimate/runs.ts';
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
  const anchor = useRef<ProgressAnchor | null>(null);
  const now = useNow(run.phase === 'running' && timing !== undefined);
  if (!timing) return null;
  anchor.current = nextAnchor(anchor.current, timing.progress, seenAt);
  const left = nodeSecondsLeft({ phase: run.phase, progress: timing.progress, startedAt: timing.startedAt }, Math.max(now, seenAt), seenAt, anchor.current);
  if (left === undefined) return null;
  return (
    <span className="node-eta" data-testid="node-eta" title={t('estimate.eta.nodeTitle', { current: timing.progress.current, total: timing.progress.total })}>
      {t('estimate.eta.node', { time: formatDuration(left * 1000, units) })}
    </span>
  );
}
