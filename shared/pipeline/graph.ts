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
  const indegree = new Map<string, number>(doc.nodes.map((n) => [n.id, 0]));
  const succ = new Map<string, string[]>(doc.nodes.map((n) => [n.id, []]));
  for (const e of doc.edges) {
    if (!index.has(e.source) || !index.has(e.target)) continue;
    succ.get(e.source)!.push(e.target);
    indegree.set(e.target, indegree.get(e.target)! + 1);
  }
  // A binary heap keyed by document order keeps this O((n + e) log n) for large graphs.
  const heap: number[] = [];
  const push = (i: number) => {
    heap.push(i);
    let c = heap.length - 1;
    while (c > 0) {
      const p = (c - 1) >> 1;
      if (heap[p] <= heap[c]) break;
      [heap[p], heap[c]] = [heap[c], heap[p]];
      c = p;
    }
  };
  const pop = (): number => {
    const top = heap[0];
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      let p = 0;
      for (;;) {
        const l = 2 * p + 1;
        const r = l + 1;
        let m = p;
        if (l < heap.length && heap[l] < heap[m]) m = l;
        if (r < heap.length && heap[r] < heap[m]) m = r;
        if (m === p) break;
        [heap[p], heap[m]] = [heap[m], heap[p]];
        p = m;
      }
    }
    return top;
  };
  doc.nodes.forEach((n, i) => {
    if (indegree.get(n.id) === 0) push(i);
  });
  const order: string[] = [];
  while (heap.length > 0) {
    const id = doc.nodes[pop()].id;
    order.push(id);
    for (const t of succ.get(id)!) {
      const d = indegree.get(t)! - 1;
      indegree.set(t, d);
      if (d === 0) push(index.get(t)!);
    }
  }
  const placed = new Set(order);
  return { order, cyclic: doc.nodes.filter((n) => !placed.has(n.id)).map((n) => n.id) };
}

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
