import { describe, expect, it } from 'vitest';
import { catalog } from '../../node-catalog/index.ts';
import type { PipelineEdge, PipelineNode } from '../../shared/pipeline/types.ts';
import { freeSpot } from './canvasControls.ts';
import { FlowElementCache } from './flowElements.ts';

const nodes: PipelineNode[] = [
  { id: 'a', type: 'dataset', position: { x: 0, y: 0 } },
  { id: 'b', type: 'cpt', position: { x: 300, y: 0 } },
];
const edges: PipelineEdge[] = [{ id: 'e1', source: 'a', sourceHandle: 'dataset', target: 'b', targetHandle: 'dataset' }];

describe('FlowElementCache', () => {
  it('reuses the element object of every unchanged node (memoized cards stay put)', () => {
    const cache = new FlowElementCache();
    const first = cache.flowNodes(nodes, new Set(), new Map());
    const moved = [nodes[0], { ...nodes[1], position: { x: 310, y: 0 } }];
    const second = cache.flowNodes(moved, new Set(), new Map());
    expect(second[0]).toBe(first[0]);
    expect(second[1]).not.toBe(first[1]);
    expect(second[1].position).toEqual({ x: 310, y: 0 });
  });

  it('selection and measured size make new objects only for the nodes they touch', () => {
    const cache = new FlowElementCache();
    const first = cache.flowNodes(nodes, new Set(), new Map());
    const second = cache.flowNodes(nodes, new Set(['b']), new Map([['a', { width: 230, height: 150 }]]));
    expect(second[0]).not.toBe(first[0]);
    expect(second[0].measured).toEqual({ width: 230, height: 150 });
    expect(second[1].selected).toBe(true);
  });

  it('colours edges by the source port kind and keeps the same array while only positions change', () => {
    const cache = new FlowElementCache();
    const first = cache.flowEdges(edges, nodes, catalog, new Set());
    expect(first[0].className).toBe('edge-kind-dataset');
    const moved = [{ ...nodes[0], position: { x: 5, y: 5 } }, nodes[1]];
    expect(cache.flowEdges(edges, moved, catalog, new Set())).toBe(first);
    const selected = cache.flowEdges(edges, moved, catalog, new Set(['e1']));
    expect(selected).not.toBe(first);
    expect(selected[0].selected).toBe(true);
  });
});

describe('freeSpot', () => {
  const all = () => true;
  it('takes the centre when it is free', () => {
    expect(freeSpot({ x: 100, y: 100 }, [], all)).toEqual({ x: 100, y: 100 });
  });

  it('goes right, then down, when the centre is taken', () => {
    const first = freeSpot({ x: 0, y: 0 }, [{ x: 0, y: 0 }], all);
    expect(first).toEqual({ x: 270, y: 0 });
    const second = freeSpot({ x: 0, y: 0 }, [{ x: 0, y: 0 }, first], all);
    expect(second).toEqual({ x: 0, y: 210 });
  });

  it('prefers a spot on screen', () => {
    const visible = (p: { x: number }) => p.x < 200;
    expect(freeSpot({ x: 0, y: 0 }, [{ x: 0, y: 0 }], visible).x).toBeLessThan(200);
  });
  it('far out (overview) hides the unselected edges from React Flow and keeps the selected one', () => {
    const cache = new FlowElementCache();
    const near = cache.flowEdges(edges, nodes, catalog, new Set());
    expect(near[0].hidden).toBeUndefined();
    const far = cache.flowEdges(edges, nodes, catalog, new Set(), true);
    expect(far[0].hidden).toBe(true);
    expect(cache.flowEdges(edges, nodes, catalog, new Set(['e1']), true)[0].hidden).toBeUndefined();
    expect(cache.flowEdges(edges, nodes, catalog, new Set(), false)[0].hidden).toBeUndefined();
  });
});
