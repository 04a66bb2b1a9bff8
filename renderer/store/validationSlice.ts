/** The validator's findings for the current document merged with unsaved field drafts, and per-node counts the cards subscribe to. */
import type { StateCreator } from 'zustand';
import type { Problem } from '../../shared/pipeline/types.ts';
import type { FieldDraft, FieldDrafts } from '../inspector/fieldDrafts.ts';
import { draftKey, liveDrafts, mergeProblems, sameDraft, withoutParameterRow } from '../inspector/fieldDrafts.ts';
import type { AppState } from './types.ts';

export interface ProblemCounts {
  errors: number;
  warnings: number;
}

export interface ValidationSlice {
  /** Everything Problems lists, cards count and Run/Export check: drafts first, then the validator's findings. */
  problems: Problem[];
  /** The validator's findings alone. */
  validatorProblems: Problem[];
  /** Text typed into inspector fields that cannot be saved, by draftKey (UI state: not in the document or undo). */
  fieldDrafts: FieldDrafts;
  problemCounts: Record<string, ProblemCounts>;
  setProblems(problems: Problem[]): void;
  setFieldDraft(draft: FieldDraft): void;
  clearFieldDraft(nodeId: string | null, field: string): void;
  /** Pipeline parameter row `index` was removed: its drafts go, those of the rows below follow their row up. */
  dropParameterRowDrafts(index: number): void;
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

function merged(state: AppState, validatorProblems: Problem[], drafts: FieldDrafts): Partial<AppState> {
  const fieldDrafts = liveDrafts(drafts, state.doc);
  const problems = mergeProblems(validatorProblems, fieldDrafts);
  return { validatorProblems, fieldDrafts, problems, problemCounts: countProblems(problems) };
}

export const createValidationSlice: StateCreator<AppState, [], [], ValidationSlice> = (set, get) => ({
  problems: [],
  validatorProblems: [],
  fieldDrafts: {},
  problemCounts: {},
  setProblems: (problems) => set(merged(get(), problems, get().fieldDrafts)),
  setFieldDraft: (draft) => {
    const key = draftKey(draft.nodeId, draft.field);
    const state = get();
    if (sameDraft(state.fieldDrafts[key], draft)) return;
    set(merged(state, state.validatorProblems, { ...state.fieldDrafts, [key]: draft }));
  },
  clearFieldDraft: (nodeId, field) => {
    const key = draftKey(nodeId, field);
    const state = get();
    if (!(key in state.fieldDrafts)) return;
    const rest = { ...state.fieldDrafts };
    delete rest[key];
    set(merged(state, state.validatorProblems, rest));
  },
  dropParameterRowDrafts: (index) => {
    const state = get();
    set(merged(state, state.validatorProblems, withoutParameterRow(state.fieldDrafts, index)));
  },
});

export function errorCount(problems: readonly Problem[]): number {
  return problems.filter((p) => p.severity === 'error').length;
}
