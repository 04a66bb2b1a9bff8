/** The runs list's filter: text (id, pipeline, context, namespace, message), target and phase; newest first. */
import type { RunPhase, RunSummary, RunTarget } from '../../shared/runs/types.ts';

export interface RunFilter {
  text: string;
  target: RunTarget | 'all';
  phase: RunPhase | 'all';
}

export function filterRuns(runs: readonly RunSummary[], filter: RunFilter): RunSummary[] {
  const words = filter.text.toLowerCase().split(/\s+/).filter(Boolean);
  return runs
    .filter((r) => filter.target === 'all' || r.target === filter.target)
    .filter((r) => filter.phase === 'all' || r.phase === filter.phase)
    .filter((r) => {
      if (words.length === 0) return true;
      const hay = [r.id, r.pipelineName, r.context, r.namespace, r.message].filter(Boolean).join(' ').toLowerCase();
      return words.every((w) => hay.includes(w));
    })
    .sort((a, b) => (a.createdAt === b.createdAt ? b.id.localeCompare(a.id) : a.createdAt < b.createdAt ? 1 : -1));
}

/** How many runs can be compared at once (their curves overlaid on one chart per metric). */
export const MAX_PICKED = 6;

/** Ticking one run more than MAX_PICKED lets go of the oldest pick. */
export function togglePick(picked: readonly string[], id: string): string[] {
  if (picked.includes(id)) return picked.filter((p) => p !== id);
  return [...picked, id].slice(-MAX_PICKED);
}
