/** Live log lines go straight to the log views that watch that node (never through the store). */
import type { LogLine, RunEvent } from '../../shared/runs/types.ts';

export type LogListener = (lines: readonly LogLine[]) => void;

const listeners = new Map<string, Set<LogListener>>();

const keyOf = (runId: string, nodeId: string) => `${runId}\u0000${nodeId}`;

export function subscribeLog(runId: string, nodeId: string, listener: LogListener): () => void {
  const key = keyOf(runId, nodeId);
  let set = listeners.get(key);
  if (!set) listeners.set(key, (set = new Set()));
  set.add(listener);
  return () => {
    set.delete(listener);
    if (set.size === 0) listeners.delete(key);
  };
}

export function publishLog(event: Extract<RunEvent, { kind: 'log' }>): void {
  const set = listeners.get(keyOf(event.runId, event.nodeId));
  if (!set) return;
  for (const listener of set) listener(event.lines);
}
