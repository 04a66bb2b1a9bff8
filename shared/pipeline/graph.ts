/** Graph algorithms over a pipeline document. Pure; no React, no catalog. */
import type { PipelineDocument, PipelineEdge } from './types.ts';

export interface Adjacency {
  /** Edges leaving each node id. */
  out: Map<string, PipelineEdge[]>;
  /** Edges entering each node id. */
  in: Map<string, PipelineEdge[]>;
}

export function adjacency(doc: Pick<PipelineDocument, 'nodes' | 'edges'>): Adjacency {
  const out = new Map<string, PipelineEdge[]>();
  const inn = new Map<string, PipelineEdge[]>();
  for (const n of doc.nodes) {
    out.set(n.id, []);
    inn.set(n.id, []);
  }
  for (const e of doc.edges) {
    out.get(e.source)?.push(e);
    inn.get(e.target)?.push(e);
  }
  return { out, in: inn };
}

/** Ids of the nodes each node depends on directly (sources of its incoming edges), deduplicated, sorted. */
export function upstreamIds(doc: Pick<PipelineDocument, 'nodes' | 'edges'>, nodeId: string): string[] {
  const ids = new Set(doc.edges.filter((e) => e.target === nodeId).map((e) => e.source));
  return [...ids].sort();
}

/**
 * Node ids in dependency order (Kahn's algorithm; ties broken by document order, so the result is
 * deterministic). Nodes on a cycle are left out; `cyclic` lists them.
 */
export function topologicalOrder(doc: Pick<PipelineDocument, 'nodes' | 'edges'>): { order: string[]; cyclic: string[] } {
  const index = new Map(doc.nodes.map((n, i) => [n.id, i]));
  const indegree = doc.nodes.map(() => 0);
  const successors: number[][] = doc.nodes.map(() => []);
  for (const e of doc.edges) {
    const s = index.get(e.source);
    const t = index.get(e.target);
    if (s === undefined || t === undefined) continue;
    successors[s].push(t);
    indegree[t] += 1;
  }
  const order = dependencyOrder(successors, indegree).map((i) => doc.nodes[i].id);
  const placed = new Set(order);
  return { order, cyclic: doc.nodes.filter((n) => !placed.has(n.id)).map((n) => n.id) };
}

/**
 * Node indices in dependency order, ties broken by index (topologicalOrder on indices, for hot
 * paths); nodes on a cycle are left out. `successors[i]`: the nodes node i feeds (undefined for
 * none); `indegree` is used up.
 */
export function dependencyOrder(successors: readonly (readonly number[] | undefined)[], indegree: number[]): number[] {
  const heap = new MinHeap();
  indegree.forEach((d, i) => d === 0 && heap.push(i));
  const order: number[] = [];
  while (heap.size > 0) {
    const i = heap.pop();
    order.push(i);
    const next = successors[i];
    if (next) for (const t of next) if (--indegree[t] === 0) heap.push(t);
  }
  return order;
}

class MinHeap {
  private readonly items: number[] = [];

  get size(): number {
    return this.items.length;
  }

  push(value: number): void {
    const items = this.items;
    let c = items.length;
    items.push(value);
    while (c > 0) {
      const p = (c - 1) >> 1;
      if (items[p] <= value) break;
      items[c] = items[p];
      c = p;
    }
    items[c] = value;
  }

  pop(): number {
    const items = this.items;
    const top = items[0];
    const last = items.pop()!;
    const n = items.length;
    if (n === 0) return top;
    let p = 0;
    for (;;) {
      const l = 2 * p + 1;
      if (l >= n) break;
      const m = l + 1 < n && items[l + 1] < items[l] ? l + 1 : l;
      if (items[m] >= last) break;
      items[p] = items[m];
      p = m;
    }
    items[p] = last;
    return top;
  }
}

/** Ids of the nodes an input reads from, sorted, without repeats (upstreamIds for one node). */
/** Each node reachable downstream of `nodeId` (not including it). */
export function downstreamIds(doc: Pick<PipelineDocument, 'nodes' | 'edges'>, nodeId: string): Set<string> {
  const { out } = adjacency(doc);
  const seen = new Set<string>();
  const stack = [nodeId];
  while (stack.length > 0) {
    for (const e of out.get(stack.pop()!) ?? []) {
      if (!seen.has(e.target)) {
        seen.add(e.target);
        stack.push(e.target);
      }
    }
  }
  return seen;
}
