import { describe, expect, it } from 'vitest';
import { catalog } from '../../../node-catalog/index.ts';
import type { PipelineDocument } from '../../../shared/pipeline/types.ts';
import { diffRuns } from '../../../shared/runs/diff/diffRuns.ts';
import { curveChartData, diffGraphLayout } from './diffView.ts';

describe('curveChartData', () => {
  it('puts every run on the union of steps, gaps where a run has no value', () => {
    const data = curveChartData({ nodeId: 'cpt', key: 'loss', series: [{ label: 'a', steps: [5, 10], values: [3, 2] }, { label: 'b', steps: [10, 15], values: [2.5, NaN] }] });
    expect(data).toEqual({ steps: [5, 10, 15], series: [{ key: 'a', values: [3, 2, null] }, { key: 'b', values: [null, 2.5, null] }] });
  });
});

describe('diffGraphLayout', () => {
  const doc = (ids: string[], x = 0): PipelineDocument => ({
    format: 'pipewright.pipeline/v2',
    name: 'p',
    nodes: ids.map((id, i) => ({ id, type: 'dataset', position: { x: x + i * 100, y: 0 }, params: { uri: `sample://${id}` } })),
    edges: [],
  });
  it('a removed node where A had it, the others where B has them, each with its change', () => {
    const a = doc(['one', 'gone']);
    const b = doc(['one', 'new'], 50);
    const { nodes } = diffGraphLayout(diffRuns({ label: 'a', document: a }, { label: 'b', document: b }, catalog), a, b);
    expect(nodes.map((n) => [n.id, n.x, n.change])).toEqual([['one', 50, 'same'], ['gone', 100, 'removed'], ['new', 150, 'added']]);
  });
});
