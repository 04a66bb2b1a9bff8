import { describe, expect, it } from 'vitest';
import type { PipelineEdge, PipelineNode } from '../../shared/pipeline/types.ts';
import { DEFAULT_NODE_SIZE, layoutPositions } from './layout.ts';

const node = (id: string): PipelineNode => ({ id, type: 'python', position: { x: 0, y: 0 } });
const edge = (source: string, target: string): PipelineEdge => ({ id: `${source}-${target}`, source, sourceHandle: 'out', target, targetHandle: 'in' });
const { width: W, height: H } = DEFAULT_NODE_SIZE;

function overlaps(p: Record<string, { x: number; y: number }>): string[] {
  const ids = Object.keys(p);
  const out: string[] = [];
  for (let i = 0; i < ids.length; i++)
    for (let j = i + 1; j < ids.length; j++) {
      const a = p[ids[i]];
      const b = p[ids[j]];
      if (Math.abs(a.x - b.x) < W && Math.abs(a.y - b.y) < H) out.push(`${ids[i]}/${ids[j]}`);
    }
  return out;
}

describe('layoutPositions', () => {
  it('lays a chain out left to right', () => {
    const p = layoutPositions({ nodes: ['a', 'b', 'c'].map(node), edges: [edge('a', 'b'), edge('b', 'c')] });
    expect(p.a.x).toBeLessThan(p.b.x);
    expect(p.b.x).toBeLessThan(p.c.x);
    expect(p.a.y).toBe(p.b.y);
  });

  it('puts unconnected steps in a grid, not one column', () => {
    const ids = Array.from({ length: 8 }, (_, i) => `n${i}`);
    const p = layoutPositions({ nodes: ids.map(node), edges: [] });
    const columns = new Set(ids.map((id) => p[id].x));
    const rows = new Set(ids.map((id) => p[id].y));
    expect(columns.size).toBeGreaterThanOrEqual(3);
    expect(rows.size).toBeLessThanOrEqual(3);
    expect(overlaps(p)).toEqual([]);
  });

  it('puts unconnected steps in rows under the connected graph, no wider than it', () => {
    const chain = ['a', 'b', 'c', 'd'];
    const loose = ['x1', 'x2', 'x3', 'x4', 'x5', 'x6'];
    const p = layoutPositions({ nodes: [...chain, ...loose].map(node), edges: [edge('a', 'b'), edge('b', 'c'), edge('c', 'd')] });
    const graphBottom = Math.max(...chain.map((id) => p[id].y + H));
    const graphRight = Math.max(...chain.map((id) => p[id].x + W));
    for (const id of loose) {
      expect(p[id].y).toBeGreaterThan(graphBottom);
      expect(p[id].x + W).toBeLessThanOrEqual(graphRight + 20);
    }
    expect(new Set(loose.map((id) => p[id].y)).size).toBe(2);
    expect(overlaps(p)).toEqual([]);
  });

  it('uses the measured size of each step', () => {
    const sizes: Record<string, { width: number; height: number }> = { a: { width: 400, height: 300 }, b: { width: 200, height: 100 } };
    const p = layoutPositions({ nodes: ['a', 'b'].map(node), edges: [edge('a', 'b')] }, (id) => sizes[id]);
    expect(p.b.x).toBeGreaterThanOrEqual(p.a.x + 400);
  });
});
