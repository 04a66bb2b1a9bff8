/** An alert as one English sentence (run records, the CLI, logs, desktop notifications' fallback). */
import type { RunAlert } from './types.ts';

function num(value: number | undefined): string {
  if (value === undefined) return '?';
  if (!Number.isFinite(value)) return String(value);
  return String(Number(value.toPrecision(4)));
}

const at = (a: RunAlert) => (a.step === undefined ? '' : ` at step ${a.step}`);

export function describeAlert(a: RunAlert): string {
  const action = a.action === 'cancel' ? '; Pipewright stopped the run to save GPU hours' : '';
  switch (a.rule) {
    case 'nonFiniteLoss':
      return `The loss of ${a.nodeId} became ${num(a.value)}${at(a)}${action}.`;
    case 'lossSpike':
      return `The loss of ${a.nodeId} spiked to ${num(a.value)}${at(a)}, over ${num((a.threshold ?? 0) / (a.median || 1))} times its recent median ${num(a.median)}${action}.`;
    case 'stall':
      return `${a.nodeId} made no progress for ${num(a.minutes)} minutes${a.step === undefined ? '' : ` (last step ${a.step})`}${action}.`;
    case 'gpuIdle':
      return `The GPUs of ${a.nodeId} stayed at ${num(a.value)}% utilization, under ${num(a.threshold)}%, for ${num(a.minutes)} minutes${at(a)}${action}.`;
  }
}
