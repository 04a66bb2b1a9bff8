import { beforeEach, describe, expect, it } from 'vitest';
import type { PipelineDocument, Problem } from '../../shared/pipeline/types.ts';
import type { FieldDraft } from '../inspector/fieldDrafts.ts';
import { DRAFT_CODE } from '../inspector/fieldDrafts.ts';
import { problemsNow } from '../services/validation.ts';
import { appStore, resetAppStore } from './index.ts';
import { errorCount } from './validationSlice.ts';

const doc: PipelineDocument = {
  format: 'pipewright.pipeline/v2',
  name: 'drafts',
  nodes: [
    { id: 'sft', type: 'sft', position: { x: 0, y: 0 }, resources: { gpus: 2 } },
    { id: 'cpt', type: 'cpt', position: { x: 300, y: 0 } },
  ],
  edges: [],
};
const gpus: FieldDraft = { nodeId: 'sft', field: 'resources.gpus', label: 'GPUs', text: 'abc', message: '“abc” is not a number.', saved: '2' };
const lr: FieldDraft = { nodeId: 'cpt', field: 'params.learning_rate', label: 'Learning rate', text: '1e-x', message: '“1e-x” is not a number.', saved: '1e-5' };
const warning: Problem = { severity: 'warning', code: 'gpu-memory-tight', message: 'tight', location: { nodeId: 'sft' } };

const s = () => appStore.getState();
const drafts = () => s().problems.filter((p) => p.code === DRAFT_CODE);

beforeEach(() => {
  resetAppStore();
  s().loadDocument(doc, null);
  s().setProblems([warning]);
});

describe('field drafts in the store', () => {
  it('a draft is an error in problems and on its card, beside the validator findings; it changes neither the document nor its history', () => {
    const before = { doc: s().doc, history: s().history };
    s().setFieldDraft(gpus);
    expect(s().problems.map((p) => p.code)).toEqual([DRAFT_CODE, 'gpu-memory-tight']);
    expect(s().problemCounts.sft).toEqual({ errors: 1, warnings: 1 });
    expect(errorCount(s().problems)).toBe(1);
    expect(s().doc).toBe(before.doc);
    expect(s().history).toBe(before.history);
    expect(s().validatorProblems).toEqual([warning]);
  });

  it('the same draft again does not notify; a changed text replaces it; clearing removes it', () => {
    s().setFieldDraft(gpus);
    let calls = 0;
    const off = appStore.subscribe(() => calls++);
    s().setFieldDraft({ ...gpus });
    s().clearFieldDraft('sft', 'resources.label');
    expect(calls).toBe(0);
    s().setFieldDraft({ ...gpus, text: '1.5', message: 'Enter a whole number.' });
    off();
    expect(drafts()).toHaveLength(1);
    expect(drafts()[0].message).toContain('Enter a whole number.');
    s().clearFieldDraft('sft', 'resources.gpus');
    expect(drafts()).toEqual([]);
    expect(s().problemCounts.sft).toEqual({ errors: 0, warnings: 1 });
  });

  it('re-validation keeps the drafts; Run and Export (problemsNow) see them', () => {
    s().setFieldDraft(gpus);
    s().setFieldDraft(lr);
    s().setProblems([]);
    expect(drafts().map((p) => p.location)).toEqual([
      { nodeId: 'sft', field: 'resources.gpus' },
      { nodeId: 'cpt', field: 'params.learning_rate' },
    ]);
    s().dispatch({ type: 'set-resources', id: 'cpt', patch: { gpus: 3 } });
    const now = problemsNow();
    expect(now.filter((p) => p.code === DRAFT_CODE)).toHaveLength(2);
    expect(errorCount(now)).toBeGreaterThanOrEqual(2);
  });

  it('deleting the node drops its draft; opening another document drops all', () => {
    s().setFieldDraft(gpus);
    s().setFieldDraft(lr);
    s().dispatch({ type: 'remove', nodeIds: ['sft'], edgeIds: [] });
    problemsNow();
    expect(Object.values(s().fieldDrafts)).toEqual([lr]);
    s().loadDocument(doc, null);
    problemsNow();
    expect(s().fieldDrafts).toEqual({});
    expect(drafts()).toEqual([]);
  });
});
