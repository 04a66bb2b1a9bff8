/** The validator's findings for the current document, and per-node counts the cards subscribe to. */
import type { StateCreator } from 'zustand';
import type { Problem } from '../../shared/pipeline/types.ts';
import type { AppState } from './types.ts';

export interface ProblemCounts {
  errors: number;
  warnings: number;
}

export interface ValidationSlice {
  problems: Problem[];
  problemCounts: Record<string, ProblemCounts>;
  setProblems(problems: Problem[]): void;
}

export function countProblems(problems: readonly Problem[]): Record<string, ProblemCounts> {
  const counts: Record<string, ProblemCounts> = {};
  for (const p of problems) {
    const id = p.location.nodeId;
    if (!id) continue;
    const c = (counts[id] ??= { errors: 0, warnings: 0 });
    if (p.severity === 'error') c.errors++;
    else c.warnings++;
  }
  return counts;
}

export const createValidationSlice: StateCreator<AppState, [], [], ValidationSlice> = (set) => ({
  problems: [],
  problemCounts: {},
  setProblems: (problems) => set({ problems, problemCounts: countProblems(problems) }),
});

export function errorCount(problems: readonly Problem[]): number {
  return problems.filter((p) => p.severity === 'error').length;
}
