import { describe, expect, it } from 'vitest';
import { catalog } from '../../node-catalog/index.ts';
import type { PipelineDocument } from '../../shared/pipeline/types.ts';
import type { ConnectionRequest } from './connections.ts';
import { checkConnection } from './connections.ts';

//   data ──▶ prep ──▶ cpt ──▶ sft ──▶ eval
//                              ▲
//   inst ──────────────────────┘ (sft.dataset)
const doc: PipelineDocument = {
  format: 'pipewright.pipeline/v2',
  name: 'p',
  nodes: ['dataset:data', 'dataset:inst', 'preprocess:prep', 'cpt:cpt', 'sft:sft', 'eval:eval', 'deploy:deploy'].map((s) => {
    const [type, id] = s.split(':');
    return { id, type, position: { x: 0, y: 0 } };
  }),
  edges: [
    { id: 'e1', source: 'data', sourceHandle: 'dataset', target: 'prep', targetHandle: 'dataset' },
    { id: 'e2', source: 'prep', sourceHandle: 'dataset', target: 'cpt', targetHandle: 'dataset' },
    { id: 'e3', source: 'cpt', sourceHandle: 'model', target: 'sft', targetHandle: 'model' },
    { id: 'e4', source: 'inst', sourceHandle: 'dataset', target: 'sft', targetHandle: 'dataset' },
  ],
};

const c = (source: string, sourceHandle: string, target: string, targetHandle: string): ConnectionRequest => ({ source, sourceHandle, target, targetHandle });

describe('checkConnection', () => {
  it.each([
    ['model into eval', c('sft', 'model', 'eval', 'model'), null],
    ['dataset into eval', c('inst', 'dataset', 'eval', 'dataset'), null],
    ['dataset into a model port', c('data', 'dataset', 'eval', 'model'), 'kind-mismatch'],
    ['metrics into a dataset port', c('eval', 'metrics', 'cpt', 'dataset'), 'kind-mismatch'],
    ['second source into cpt.dataset', c('inst', 'dataset', 'cpt', 'dataset'), 'input-taken'],
    ['a node to itself', c('prep', 'dataset', 'prep', 'dataset'), 'self'],
    ['unknown port', c('data', 'nope', 'eval', 'dataset'), 'unknown-port'],
  ])('%s', (_name, request, code) => {
    expect(checkConnection(doc, catalog, request)?.code ?? null).toBe(code);
  });

  it('refuses a cycle through a python node', () => {
    const withPython: PipelineDocument = {
      ...doc,
      nodes: [
        ...doc.nodes,
        {
          id: 'py',
          type: 'python',
          position: { x: 0, y: 0 },
          interface: { inputs: [{ name: 'm', kind: 'model' }], outputs: [{ name: 'd', kind: 'dataset' }], parameters: [] },
        },
      ],
      edges: [...doc.edges, { id: 'e5', source: 'sft', sourceHandle: 'model', target: 'py', targetHandle: 'm' }],
    };
    // py.d -> prep.dataset is taken; remove that edge to see the cycle itself
    const free = { ...withPython, edges: withPython.edges.filter((e) => e.id !== 'e1') };
    expect(checkConnection(free, catalog, c('py', 'd', 'prep', 'dataset'))).toEqual({ code: 'cycle', source: 'py', target: 'prep' });
  });

  it('names the kinds on a mismatch', () => {
    expect(checkConnection(doc, catalog, c('cpt', 'model', 'eval', 'dataset'))).toEqual({ code: 'kind-mismatch', sourceKind: 'model', targetKind: 'dataset' });
  });
});
