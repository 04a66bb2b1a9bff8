import { describe, expect, it } from 'vitest';
import { catalog } from '../../../node-catalog/index.ts';
import type { PipelineDocument } from '../../../shared/pipeline/types.ts';
import { diffRuns } from '../../../shared/runs/diff/diffRuns.ts';
import { appStore } from '../../store/index.ts';
import { canvasDiffStore, clearCanvasDiff, showDiffOnCanvas } from './canvasDiff.ts';

const doc = (nodes: [string, string][]): PipelineDocument => ({
  format: 'pipewright.pipeline/v2',
  name: 'p',
  nodes: nodes.map(([id, uri]) => ({ id, type: 'dataset', position: { x: 0, y: 0 }, params: { uri } })),
  edges: [],
});

describe('canvas diff marks', () => {
  it('marks added and changed nodes of the document, names removed ones, clears on Clear and on another document', () => {
    const run = doc([['keep', 'sample://a'], ['edit', 'sample://a'], ['gone', 'sample://a']]);
    const now = doc([['keep', 'sample://a'], ['edit', 'sample://b'], ['new', 'sample://a']]);
    showDiffOnCanvas(diffRuns({ label: 'run-1', document: run }, { label: 'doc', document: now }, catalog));
    expect(canvasDiffStore.getState().diff).toEqual({
      runId: 'run-1',
      nodes: { edit: { change: 'changed', fields: ['params.uri'] }, new: { change: 'added', fields: [] } },
      removed: ['gone'],
    });
    clearCanvasDiff();
    expect(canvasDiffStore.getState().diff).toBeNull();
    showDiffOnCanvas(diffRuns({ label: 'run-1', document: run }, { label: 'doc', document: now }, catalog));
    appStore.getState().loadDocument(now, null);
    expect(canvasDiffStore.getState().diff).toBeNull();
  });
});
