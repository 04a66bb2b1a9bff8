import { describe, expect, it } from 'vitest';
import type { PipelineDocument, PipelineNode } from '../../shared/pipeline/types.ts';
import type { DocumentChange } from './changes.ts';
import { reduceDocumentAll } from './changes.ts';
import { applyDiff, diffDocuments, isEmptyDiff, reverseDiff, sameDocument } from './diff.ts';
import { canRedo, canUndo, createHistory, markHistory, redoHistory, undoHistory } from './history.ts';

const node = (id: string, x = 0): PipelineNode => ({ id, type: 'preprocess', position: { x, y: 0 } });

const base: PipelineDocument = {
  format: 'pipewright.pipeline/v2',
  name: 'p',
  nodes: [node('a'), node('b', 100), node('c', 200)],
  edges: [{ id: 'e1', source: 'a', sourceHandle: 'dataset', target: 'b', targetHandle: 'dataset' }],
};

const cases: [string, DocumentChange[]][] = [
  ['add a node and an edge', [{ type: 'add', nodes: [node('d')], edges: [{ id: 'e2', source: 'b', sourceHandle: 'dataset', target: 'd', targetHandle: 'dataset' }] }]],
  ['remove a middle node with its edges', [{ type: 'remove', nodeIds: ['b'] }]],
  ['remove first, add last', [{ type: 'remove', nodeIds: ['a'] }, { type: 'add', nodes: [node('z')] }]],
  ['add then remove another', [{ type: 'add', nodes: [node('d')] }, { type: 'remove', nodeIds: ['c'] }]],
  ['move two nodes', [{ type: 'move', positions: { a: { x: 5, y: 6 }, c: { x: 7, y: 8 } } }]],
  ['set a parameter', [{ type: 'set-param', id: 'b', name: 'min_chars', value: 20 }]],
  ['rename the document', [{ type: 'patch-document', patch: { name: 'q', description: 'd' } }]],
  ['set settings', [{ type: 'set-settings', patch: { image: 'img:1' } }]],
  ['replace with a reordered document', [{ type: 'replace', document: { ...base, nodes: [base.nodes[2], base.nodes[0], base.nodes[1]] } }]],
];

describe('document diffs', () => {
  it.each(cases)('%s: forward and backward replay give both documents', (_name, changes) => {
    const after = reduceDocumentAll(base, changes);
    const diff = diffDocuments(base, after);
    expect(isEmptyDiff(diff)).toBe(false);
    expect(applyDiff(base, diff)).toEqual(after);
    expect(applyDiff(after, reverseDiff(diff))).toEqual(base);
  });

  it('a change that changes nothing yields an empty diff', () => {
    const after = reduceDocumentAll(base, [{ type: 'move', positions: { a: { x: 0, y: 0 } } }]);
    expect(after).toBe(base);
    expect(isEmptyDiff(diffDocuments(base, after))).toBe(true);
  });
});

describe('history', () => {
  it.each(cases)('%s: one mark is one undo step, and redo replays it', (_name, changes) => {
    let doc = reduceDocumentAll(base, changes);
    let h = markHistory(createHistory(base), doc);
    expect(h.undo).toHaveLength(1);
    ({ history: h, doc } = undoHistory(h, doc));
    expect(doc).toEqual(base);
    expect(sameDocument(doc, base)).toBe(true);
    expect(canRedo(h, doc)).toBe(true);
    ({ history: h, doc } = redoHistory(h, doc));
    expect(doc).toEqual(reduceDocumentAll(base, changes));
  });

  it('a whole drag (many moves, one mark) undoes in one step', () => {
    let doc = base;
    let h = createHistory(doc);
    for (let i = 1; i <= 30; i++) doc = reduceDocumentAll(doc, [{ type: 'move', positions: { a: { x: i, y: i } } }]);
    h = markHistory(h, doc);
    expect(h.undo).toHaveLength(1);
    ({ history: h, doc } = undoHistory(h, doc));
    expect(doc.nodes[0].position).toEqual({ x: 0, y: 0 });
    expect(canUndo(h, doc)).toBe(false);
  });

  it('undo closes a pending gesture first, then undoes it', () => {
    const doc = reduceDocumentAll(base, [{ type: 'set-param', id: 'a', name: 'min_chars', value: 3 }]);
    const h = createHistory(base);
    expect(canUndo(h, doc)).toBe(true);
    const undone = undoHistory(h, doc);
    expect(undone.doc).toEqual(base);
    expect(undone.history.redo).toHaveLength(1);
  });

  it('a new edit after undo drops the redo stack', () => {
    let doc = reduceDocumentAll(base, [{ type: 'remove', nodeIds: ['c'] }]);
    let h = markHistory(createHistory(base), doc);
    ({ history: h, doc } = undoHistory(h, doc));
    doc = reduceDocumentAll(doc, [{ type: 'remove', nodeIds: ['a'] }]);
    h = markHistory(h, doc);
    expect(h.redo).toHaveLength(0);
    expect(canRedo(h, doc)).toBe(false);
    expect(redoHistory(h, doc).doc).toBe(doc);
  });

  it('undo and redo in sequence walk through every step', () => {
    const docs = [base];
    let h = createHistory(base);
    const steps: DocumentChange[] = [
      { type: 'add', nodes: [node('d')] },
      { type: 'set-param', id: 'd', name: 'dedupe', value: false },
      { type: 'remove', nodeIds: ['a'] },
    ];
    for (const step of steps) {
      const next = reduceDocumentAll(docs.at(-1)!, [step]);
      h = markHistory(h, next);
      docs.push(next);
    }
    let doc = docs.at(-1)!;
    for (let i = docs.length - 2; i >= 0; i--) {
      ({ history: h, doc } = undoHistory(h, doc));
      expect(doc).toEqual(docs[i]);
    }
    for (let i = 1; i < docs.length; i++) {
      ({ history: h, doc } = redoHistory(h, doc));
      expect(doc).toEqual(docs[i]);
    }
  });
});
