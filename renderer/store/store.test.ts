import { beforeEach, describe, expect, it } from 'vitest';
import type { PipelineDocument } from '../../shared/pipeline/types.ts';
import { canRedo, canUndo } from '../document/history.ts';
import { isDirty } from './documentSlice.ts';
import { appStore, resetAppStore } from './index.ts';
import { countProblems } from './validationSlice.ts';

const doc: PipelineDocument = {
  format: 'pipewright.pipeline/v2',
  name: 'p',
  nodes: [
    { id: 'a', type: 'dataset', position: { x: 0, y: 0 } },
    { id: 'b', type: 'preprocess', position: { x: 300, y: 0 } },
  ],
  edges: [{ id: 'e1', source: 'a', sourceHandle: 'dataset', target: 'b', targetHandle: 'dataset' }],
};

const s = () => appStore.getState();

beforeEach(() => {
  resetAppStore();
  s().loadDocument(doc, '/tmp/p.pipewright.json', { mtimeMs: 5 });
});

describe('document slice', () => {
  it('a loaded document is clean, with empty history and selection', () => {
    expect(isDirty(s())).toBe(false);
    expect(canUndo(s().history, s().doc)).toBe(false);
    expect(s().fileMtimeMs).toBe(5);
    expect(s().selectedNodeIds).toEqual([]);
  });

  it('an edit makes it dirty; undoing back to the saved state makes it clean again', () => {
    s().dispatch({ type: 'set-param', id: 'b', name: 'min_chars', value: 3 });
    expect(isDirty(s())).toBe(true);
    s().undo();
    expect(isDirty(s())).toBe(false);
    s().redo();
    expect(isDirty(s())).toBe(true);
    s().markSaved('/tmp/p.pipewright.json', 9);
    expect(isDirty(s())).toBe(false);
    expect(s().fileMtimeMs).toBe(9);
  });

  it('moves with mark:false stay one pending gesture until markGesture', () => {
    for (let i = 1; i <= 5; i++) s().dispatch({ type: 'move', positions: { a: { x: i * 10, y: 0 } } }, { mark: false });
    expect(s().history.undo).toHaveLength(0);
    s().markGesture();
    expect(s().history.undo).toHaveLength(1);
    s().undo();
    expect(s().doc.nodes[0].position).toEqual({ x: 0, y: 0 });
  });

  it('selection and UI changes are not recorded in the history', () => {
    s().select(['a']);
    s().setTheme('dark');
    s().showBottom('output');
    s().showStatus('info', 'files.saved', { name: 'x' });
    expect(canUndo(s().history, s().doc)).toBe(false);
    expect(s().doc).toBe(doc);
  });

  it('removing a selected node drops it from the selection, undo brings the node back', () => {
    s().select(['a', 'b'], ['e1']);
    s().dispatch({ type: 'remove', nodeIds: ['a'] });
    expect(s().selectedNodeIds).toEqual(['b']);
    expect(s().selectedEdgeIds).toEqual([]);
    s().undo();
    expect(s().doc).toEqual(doc);
    expect(canRedo(s().history, s().doc)).toBe(true);
  });

  it('loading another document starts a new history and a new draft', () => {
    const draft = s().draftId;
    s().dispatch({ type: 'remove', nodeIds: ['b'] });
    s().select(['a']);
    s().loadDocument({ ...doc, name: 'q' }, null);
    expect(s().draftId).not.toBe(draft);
    expect(s().history.undo).toEqual([]);
    expect(s().selectedNodeIds).toEqual([]);
    expect(s().filePath).toBeNull();
  });

  it('a restored draft loads dirty', () => {
    s().loadDocument(doc, null, { dirty: true, draftId: 'draft-1' });
    expect(isDirty(s())).toBe(true);
    expect(s().draftId).toBe('draft-1');
  });
});

describe('selection slice', () => {
  it('requestFocus selects the node and asks for a field, each time anew', () => {
    s().requestFocus('b', 'params.min_chars');
    const first = s().focusField!;
    expect(s().selectedNodeIds).toEqual(['b']);
    expect(first).toMatchObject({ nodeId: 'b', field: 'params.min_chars' });
    s().requestFocus('b', 'params.min_chars');
    expect(s().focusField!.nonce).toBeGreaterThan(first.nonce);
  });

  it('selecting the same ids again does not notify subscribers', () => {
    s().select(['a']);
    let calls = 0;
    const off = appStore.subscribe(() => calls++);
    s().select(['a']);
    off();
    expect(calls).toBe(0);
  });
});

describe('validation and run view slices', () => {
  it('counts problems per node', () => {
    expect(
      countProblems([
        { severity: 'error', code: 'x', message: '', location: { nodeId: 'a' } },
        { severity: 'warning', code: 'y', message: '', location: { nodeId: 'a' } },
        { severity: 'error', code: 'z', message: '', location: { nodeId: 'b', param: 'p' } },
        { severity: 'error', code: 'w', message: '', location: { field: 'name' } },
      ]),
    ).toEqual({ a: { errors: 1, warnings: 1 }, b: { errors: 1, warnings: 0 } });
  });

  it('keeps at most the last 60 loss values per node', () => {
    s().appendLoss('a', Array.from({ length: 50 }, (_, i) => i));
    s().appendLoss('a', Array.from({ length: 30 }, (_, i) => 100 + i));
    const loss = s().runView.a.loss!;
    expect(loss).toHaveLength(60);
    expect(loss.at(-1)).toBe(129);
    expect(loss[0]).toBe(20);
  });
});

describe('resetAppStore', () => {
  it('puts every slice back', () => {
    s().setLanguage('ko');
    s().openDialog({ kind: 'help' });
    resetAppStore();
    expect(s().language).toBe('system');
    expect(s().dialog).toBeNull();
    expect(s().doc.nodes).toEqual([]);
  });
});
