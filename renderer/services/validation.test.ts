import { describe, expect, it } from 'vitest';
import type { PipelineDocument } from '../../shared/pipeline/types.ts';
import { onlyPositionsChanged } from './validation.ts';

const base: PipelineDocument = {
  format: 'pipewright.pipeline/v2',
  name: 'p',
  nodes: [
    { id: 'a', type: 'dataset', position: { x: 0, y: 0 }, params: { uri: 's3://b/a' } },
    { id: 'b', type: 'preprocess', position: { x: 300, y: 0 } },
  ],
  edges: [{ id: 'e1', source: 'a', sourceHandle: 'dataset', target: 'b', targetHandle: 'dataset' }],
};

const withNode = (i: number, patch: object): PipelineDocument => ({ ...base, nodes: base.nodes.map((n, j) => (j === i ? { ...n, ...patch } : n)) });

describe('onlyPositionsChanged', () => {
  it.each([
    ['one node moved', withNode(1, { position: { x: 310, y: 20 } }), true],
    ['nodes copied unchanged', { ...base, nodes: base.nodes.map((n) => ({ ...n })) }, true],
    ['a param changed', withNode(0, { params: { uri: 's3://b/other' } }), false],
    ['a label added while moving', withNode(1, { position: { x: 1, y: 1 }, label: 'clean' }), false],
    ['a node removed', { ...base, nodes: base.nodes.slice(0, 1) }, false],
    ['an edge removed', { ...base, edges: [] }, false],
    ['the name changed', { ...base, name: 'q' }, false],
  ])('%s', (_name, next, expected) => {
    expect(onlyPositionsChanged(base, next)).toBe(expected);
  });
});
