import { describe, expect, it } from 'vitest';
import type { PipelineDocument } from '../../shared/pipeline/types.ts';
import { reduceDocument } from './changes.ts';

const doc: PipelineDocument = {
  format: 'pipewright.pipeline/v2',
  name: 'p',
  settings: { image: 'img' },
  nodes: [
    { id: 'a', type: 'dataset', position: { x: 0, y: 0 }, params: { uri: 's3://x' } },
    { id: 'b', type: 'cpt', position: { x: 300, y: 0 }, resources: { gpus: 4 } },
  ],
  edges: [{ id: 'e1', source: 'a', sourceHandle: 'dataset', target: 'b', targetHandle: 'dataset' }],
};

describe('reduceDocument', () => {
  it('removing a node removes the edges that touch it', () => {
    const next = reduceDocument(doc, { type: 'remove', nodeIds: ['a'] });
    expect(next.nodes.map((n) => n.id)).toEqual(['b']);
    expect(next.edges).toEqual([]);
  });

  it('adding a node whose id exists is ignored', () => {
    expect(reduceDocument(doc, { type: 'add', nodes: [{ id: 'a', type: 'eval', position: { x: 1, y: 1 } }] })).toBe(doc);
  });

  it('sets and clears a parameter, dropping an empty params object', () => {
    const set = reduceDocument(doc, { type: 'set-param', id: 'b', name: 'learning_rate', value: 1e-5 });
    expect(set.nodes[1].params).toEqual({ learning_rate: 1e-5 });
    const cleared = reduceDocument(set, { type: 'set-param', id: 'b', name: 'learning_rate', value: undefined });
    expect(cleared.nodes[1]).not.toHaveProperty('params');
  });

  it('merges resources and removes fields set to undefined', () => {
    const next = reduceDocument(doc, { type: 'set-resources', id: 'b', patch: { memory: '10Gi', gpus: undefined } });
    expect(next.nodes[1].resources).toEqual({ memory: '10Gi' });
  });

  it('leaves untouched nodes as the same objects (cheap diffs and memoized cards)', () => {
    const next = reduceDocument(doc, { type: 'patch-node', id: 'b', patch: { label: 'CPT 7B' } });
    expect(next.nodes[0]).toBe(doc.nodes[0]);
    expect(next.nodes[1].label).toBe('CPT 7B');
  });

  it('patch-node with undefined removes the field', () => {
    const labelled = reduceDocument(doc, { type: 'patch-node', id: 'b', patch: { label: 'x', retries: 3 } });
    const next = reduceDocument(labelled, { type: 'patch-node', id: 'b', patch: { label: undefined } });
    expect(next.nodes[1]).not.toHaveProperty('label');
    expect(next.nodes[1].retries).toBe(3);
  });

  it('settings: patch merges, clearing the last field removes settings', () => {
    const next = reduceDocument(doc, { type: 'set-settings', patch: { namespace: 'ml' } });
    expect(next.settings).toEqual({ image: 'img', namespace: 'ml' });
    const cleared = reduceDocument(doc, { type: 'set-settings', patch: { image: undefined } });
    expect(cleared).not.toHaveProperty('settings');
  });

  it('a move to the same place returns the same document', () => {
    expect(reduceDocument(doc, { type: 'move', positions: { a: { x: 0, y: 0 } } })).toBe(doc);
  });

  it('unknown node ids change nothing', () => {
    expect(reduceDocument(doc, { type: 'set-param', id: 'zz', name: 'x', value: 1 })).toBe(doc);
  });
});

describe('reduceDocument no-ops', () => {
  it.each([
    ['same parameter value', { type: 'set-param', id: 'a', name: 'uri', value: 's3://x' }],
    ['clearing an unset parameter', { type: 'set-param', id: 'b', name: 'learning_rate', value: undefined }],
    ['same resources', { type: 'set-resources', id: 'b', patch: { gpus: 4 } }],
    ['same label', { type: 'patch-node', id: 'b', patch: { label: undefined } }],
  ] as const)('%s returns the same document', (_name, change) => {
    expect(reduceDocument(doc, change)).toBe(doc);
  });
});
