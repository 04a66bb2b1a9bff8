import { describe, expect, it } from 'vitest';
import { catalog } from '../../node-catalog/index.ts';
import type { PipelineDocument } from '../../shared/pipeline/types.ts';
import type { RunSummary } from '../../shared/runs/types.ts';
import { compareMetrics, diffParameters } from './runCompare.ts';

function doc(cptParams: Record<string, number | string>, extra = false): PipelineDocument {
  return {
    format: 'pipewright.pipeline/v2',
    name: 'p',
    nodes: [
      { id: 'data', type: 'dataset', position: { x: 0, y: 0 }, params: { uri: 'sample://ko_corpus.jsonl' } },
      { id: 'cpt', type: 'cpt', position: { x: 0, y: 0 }, params: cptParams },
      ...(extra ? [{ id: 'eval', type: 'eval', position: { x: 0, y: 0 } }] : []),
    ],
    edges: [],
  };
}

describe('diffParameters', () => {
  it('lists only what differs, with catalog defaults filled in', () => {
    const diffs = diffParameters(doc({ learning_rate: 0.003 }), doc({ learning_rate: 0.001, num_epochs: 2 }), catalog);
    expect(diffs).toEqual([{ nodeId: 'cpt', field: 'learning_rate', a: '0.003', b: '0.001' }]);
  });

  it('a default written out equals the default left out', () => {
    const spec = catalog.get('cpt')!;
    const lr = spec.params.find((p) => p.name === 'learning_rate')!.default as number;
    expect(diffParameters(doc({}), doc({ learning_rate: lr }), catalog)).toEqual([]);
  });

  it('a node only in one run shows all its fields on that side', () => {
    const diffs = diffParameters(doc({}), doc({}, true), catalog);
    expect(diffs.every((d) => d.nodeId === 'eval' && d.a === undefined && d.b !== undefined)).toBe(true);
    expect(diffs.map((d) => d.field)).toContain('max_samples');
  });
});

describe('compareMetrics', () => {
  const run = (id: string, nodes: RunSummary['nodes']): RunSummary => ({ id, pipelineName: 'p', target: 'local', phase: 'succeeded', createdAt: '', nodes });
  it('final metrics per node, side by side, a missing value left empty', () => {
    const rows = compareMetrics(run('a', { cpt: { phase: 'succeeded', lastMetrics: { loss: 3.1, epoch: 1 } } }), run('b', { cpt: { phase: 'succeeded', lastMetrics: { loss: 2.9 } }, eval: { phase: 'succeeded', lastMetrics: { accuracy: 0.4 } } }));
    expect(rows).toEqual([
      { nodeId: 'cpt', key: 'epoch', a: 1 },
      { nodeId: 'cpt', key: 'loss', a: 3.1, b: 2.9 },
      { nodeId: 'eval', key: 'accuracy', b: 0.4 },
    ]);
  });
});
