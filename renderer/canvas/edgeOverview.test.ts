import type { InternalNode } from '@xyflow/react';
import { describe, expect, it } from 'vitest';
import { EdgeOverviewCache, shownPaths } from './edgeOverview.ts';
import type { PipelineFlowEdge } from './flowElements.ts';

/** A measured node as React Flow keeps it: one output on the right, one input on the left, 11 px handles. */
function node(id: string, x: number, y: number): InternalNode {
  return {
    id,
    position: { x, y },
    data: {},
    measured: { width: 230, height: 100 },
    internals: {
      positionAbsolute: { x, y },
      z: 0,
      userNode: { id, position: { x, y }, data: {} },
      handleBounds: {
        source: [{ id: 'out', nodeId: id, type: 'source', position: 'right' as never, x: 225, y: 50, width: 11, height: 11 }],
        target: [{ id: 'in', nodeId: id, type: 'target', position: 'left' as never, x: -5, y: 50, width: 11, height: 11 }],
      },
    },
  };
}

const edge = (id: string, source: string, target: string, kind: 'dataset' | 'model', hidden = true): PipelineFlowEdge => ({ id, source, sourceHandle: 'out', target, targetHandle: 'in', data: { kind }, ...(hidden ? { hidden } : {}) });

describe('EdgeOverviewCache', () => {
  it('draws each hidden edge as a bezier from the output handle’s right middle to the input handle’s left middle, one path per kind', () => {
    const lookup = new Map([['a', node('a', 0, 0)], ['b', node('b', 400, 100)], ['c', node('c', 800, 0)]]);
    const paths = new EdgeOverviewCache().paths([edge('e1', 'a', 'b', 'dataset'), edge('e2', 'b', 'c', 'model'), edge('e3', 'a', 'c', 'dataset')], lookup).still;
    expect([...paths.keys()]).toEqual(['dataset', 'model']);
    // a's output: 0 + 225 + 11 = 236, 0 + 50 + 5.5; b's input: 400 - 5 = 395, 100 + 55.5.
    expect(paths.get('dataset')!.startsWith('M236,55.5 C')).toBe(true);
    expect(paths.get('dataset')!.endsWith('795,55.5')).toBe(true);
    expect(paths.get('dataset')!.match(/M/g)).toHaveLength(2);
    expect(paths.get('model')!).toMatch(/^M636,155\.5 C.* 795,55\.5$/);
  });

  it('leaves out edges React Flow still draws (selected) and edges whose nodes are unknown or unmeasured', () => {
    const unmeasured = { ...node('u', 0, 0), internals: { ...node('u', 0, 0).internals, handleBounds: undefined } };
    const lookup = new Map([['a', node('a', 0, 0)], ['b', node('b', 400, 0)], ['u', unmeasured]]);
    const paths = new EdgeOverviewCache().paths([edge('e1', 'a', 'b', 'dataset', false), edge('e2', 'a', 'gone', 'dataset'), edge('e3', 'u', 'b', 'model')], lookup).still;
    expect(paths.size).toBe(0);
  });

  it('an edge left out for want of measured ports is drawn once they are measured, with the same nodes version', () => {
    const cache = new EdgeOverviewCache();
    const unmeasured = { ...node('a', 0, 0), internals: { ...node('a', 0, 0).internals, handleBounds: undefined } };
    const version = {};
    expect(cache.paths([edge('e1', 'a', 'b', 'dataset')], new Map([['a', unmeasured], ['b', node('b', 400, 0)]]), version).still.size).toBe(0);
    expect(cache.paths([edge('e1', 'a', 'b', 'dataset')], new Map([['a', node('a', 0, 0)], ['b', node('b', 400, 0)]]), version).still.get('dataset')).toMatch(/^M236,55\.5 C/);
  });

  it('a moved node (a new object, as React Flow makes on a drag) takes its curves along; the others stay', () => {
    const cache = new EdgeOverviewCache();
    const a = node('a', 0, 0);
    const edges = [edge('e1', 'a', 'b', 'dataset'), edge('e2', 'c', 'd', 'dataset')];
    const first = cache.paths(edges, new Map([['a', a], ['b', node('b', 400, 0)], ['c', node('c', 0, 300)], ['d', node('d', 400, 300)]])).still;
    const lookup = new Map([['a', a], ['b', node('b', 500, 0)], ['c', node('c', 0, 300)], ['d', node('d', 400, 300)]]);
    const second = cache.paths(edges, lookup).still.get('dataset')!;
    expect(second).not.toBe(first.get('dataset'));
    expect(second).toContain(' 495,55.5M');
    // Same edges and same nodes version: the same answer, nothing recomputed.
    const version = {};
    const third = cache.paths(edges, lookup, version);
    expect(cache.paths(edges, lookup, version)).toBe(third);
    // The other edge is the same curve as before.
    expect(second.endsWith(first.get('dataset')!.slice(first.get('dataset')!.lastIndexOf('M')))).toBe(true);
  });

  it('answers which drawn connection is at a point, following a moved node and never a selected connection', () => {
    const cache = new EdgeOverviewCache();
    const edges = [edge('e1', 'a', 'b', 'dataset'), edge('e2', 'c', 'd', 'model'), edge('sel', 'a', 'd', 'dataset', false)];
    const nodes = { a: node('a', 0, 0), b: node('b', 400, 0), c: node('c', 0, 300), d: node('d', 400, 300) };
    cache.paths(edges, new Map(Object.entries(nodes)));
    // e1 runs from (236, 55.5) to (395, 55.5): straight, so its middle is on that line.
    expect(cache.edgeAt(315, 58, 10)).toBe('e1');
    expect(cache.edgeAt(315, 355, 10)).toBe('e2');
    expect(cache.edgeAt(315, 200, 10)).toBeNull();
    expect(cache.curve('e1')).toMatch(/^M236,55\.5 C/);
    // The selected connection, a -> d, crosses (315.75, 205.5): React Flow draws it and takes its clicks.
    expect(cache.edgeAt(315.75, 205.5, 10)).toBeNull();
    // b moves down 100: e1 now ends at (395, 155.5).
    cache.paths(edges, new Map(Object.entries({ ...nodes, b: node('b', 400, 100) })));
    expect(cache.edgeAt(315, 58, 10)).toBeNull();
    expect(cache.edgeAt(315.5, 105.5, 10)).toBe('e1');
  });

  it('draws the connections React Flow keeps (the selected ones) as one path of their own', () => {
    const lookup = new Map([['a', node('a', 0, 0)], ['b', node('b', 400, 0)], ['c', node('c', 800, 0)]]);
    const d = shownPaths([edge('e1', 'a', 'b', 'dataset', false), edge('e2', 'b', 'c', 'model'), edge('e3', 'a', 'c', 'dataset', false), edge('e4', 'a', 'gone', 'model', false)], lookup);
    expect(d.match(/M/g)).toHaveLength(2);
    expect(d).toMatch(/^M236,55\.5 C.* 395,55\.5M236,55\.5 C.* 795,55\.5$/);
  });

  it('while nodes are dragged, their connections are a picture of their own and the rest stays the very same string', () => {
    const cache = new EdgeOverviewCache();
    const edges = [edge('e1', 'a', 'b', 'dataset'), edge('e2', 'c', 'd', 'dataset'), edge('e3', 'b', 'c', 'model')];
    const nodes = { a: node('a', 0, 0), b: node('b', 400, 0), c: node('c', 0, 300), d: node('d', 400, 300) };
    const before = cache.paths(edges, new Map(Object.entries(nodes)));
    expect(before.moving.size).toBe(0);
    const moving = new Set(['b']);
    const frame1 = cache.paths(edges, new Map(Object.entries({ ...nodes, b: node('b', 410, 0) })), {}, moving);
    // b's two connections (e1 dataset, e3 model) move; e2 alone stays.
    expect(frame1.still.get('dataset')!.match(/M/g)).toHaveLength(1);
    expect(frame1.still.has('model')).toBe(false);
    expect(frame1.moving.get('dataset')).toMatch(/^M236,55\.5 C.* 405,55\.5$/);
    expect(frame1.moving.get('model')).toMatch(/^M646,55\.5 C/);
    const frame2 = cache.paths(edges, new Map(Object.entries({ ...nodes, b: node('b', 420, 0) })), {}, moving);
    expect(frame2.still.get('dataset')).toBe(frame1.still.get('dataset'));
    expect(frame2.moving.get('dataset')).toMatch(/ 415,55\.5$/);
    // Dropped: one picture again, with the moved curves in it.
    const after = cache.paths(edges, new Map(Object.entries({ ...nodes, b: node('b', 420, 0) })));
    expect(after.moving.size).toBe(0);
    expect(after.still.get('dataset')!.match(/M/g)).toHaveLength(2);
    expect(after.still.get('dataset')).toContain(' 415,55.5');
  });

  it('a connection whose kind changes moves to that kind’s path, even between the same node objects', () => {
    const cache = new EdgeOverviewCache();
    const lookup = new Map([['a', node('a', 0, 0)], ['b', node('b', 400, 0)]]);
    expect([...cache.paths([edge('e1', 'a', 'b', 'dataset')], lookup).still.keys()]).toEqual(['dataset']);
    expect([...cache.paths([edge('e1', 'a', 'b', 'model')], lookup).still.keys()]).toEqual(['model']);
  });
});
