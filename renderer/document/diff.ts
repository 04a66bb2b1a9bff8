/** Diffs between two documents, keyed by node and edge id, that can be applied forward or backward. */
import type { PipelineDocument, PipelineEdge, PipelineNode } from '../../shared/pipeline/types.ts';

interface Slot<T> {
  value: T;
  index: number;
}

export interface RecordChange<T> {
  before: Slot<T> | null;
  after: Slot<T> | null;
}

/** Changes to one list: per-id changes, or (when surviving items were reordered) both whole lists. */
export type ListDiff<T> = { kind: 'records'; changes: Map<string, RecordChange<T>> } | { kind: 'whole'; before: T[]; after: T[] };

export type DocumentMeta = Omit<PipelineDocument, 'nodes' | 'edges'>;

export interface DocumentDiff {
  nodes: ListDiff<PipelineNode>;
  edges: ListDiff<PipelineEdge>;
  meta: { before: DocumentMeta; after: DocumentMeta } | null;
}

function metaOf(doc: PipelineDocument): DocumentMeta {
  const { nodes: _n, edges: _e, ...meta } = doc;
  return meta;
}

function sameMeta(a: PipelineDocument, b: PipelineDocument): boolean {
  return a.format === b.format && a.name === b.name && a.description === b.description && a.settings === b.settings;
}

function diffList<T extends { id: string }>(a: T[], b: T[]): ListDiff<T> {
  const changes = new Map<string, RecordChange<T>>();
  if (a === b) return { kind: 'records', changes };
  if (a.length === b.length && a.every((item, i) => item.id === b[i].id)) {
    a.forEach((item, i) => {
      if (item !== b[i]) changes.set(item.id, { before: { value: item, index: i }, after: { value: b[i], index: i } });
    });
    return { kind: 'records', changes };
  }
  const inB = new Map(b.map((item, i) => [item.id, i]));
  const inA = new Map(a.map((item, i) => [item.id, i]));
  let lastIndex = -1;
  for (const [i, item] of a.entries()) {
    const j = inB.get(item.id);
    if (j === undefined) {
      changes.set(item.id, { before: { value: item, index: i }, after: null });
      continue;
    }
    if (j < lastIndex) return { kind: 'whole', before: a, after: b };
    lastIndex = j;
    if (b[j] !== item) changes.set(item.id, { before: { value: item, index: i }, after: { value: b[j], index: j } });
  }
  b.forEach((item, j) => {
    if (!inA.has(item.id)) changes.set(item.id, { before: null, after: { value: item, index: j } });
  });
  return { kind: 'records', changes };
}

export function diffDocuments(a: PipelineDocument, b: PipelineDocument): DocumentDiff {
  return {
    nodes: diffList(a.nodes, b.nodes),
    edges: diffList(a.edges, b.edges),
    meta: sameMeta(a, b) ? null : { before: metaOf(a), after: metaOf(b) },
  };
}

function listIsEmpty<T>(diff: ListDiff<T>): boolean {
  return diff.kind === 'records' && diff.changes.size === 0;
}

export function isEmptyDiff(diff: DocumentDiff): boolean {
  return diff.meta === null && listIsEmpty(diff.nodes) && listIsEmpty(diff.edges);
}

function reverseList<T>(diff: ListDiff<T>): ListDiff<T> {
  if (diff.kind === 'whole') return { kind: 'whole', before: diff.after, after: diff.before };
  const changes = new Map<string, RecordChange<T>>();
  for (const [id, c] of diff.changes) changes.set(id, { before: c.after, after: c.before });
  return { kind: 'records', changes };
}

export function reverseDiff(diff: DocumentDiff): DocumentDiff {
  return {
    nodes: reverseList(diff.nodes),
    edges: reverseList(diff.edges),
    meta: diff.meta && { before: diff.meta.after, after: diff.meta.before },
  };
}

function applyList<T extends { id: string }>(list: T[], diff: ListDiff<T>): T[] {
  if (diff.kind === 'whole') return diff.after;
  if (diff.changes.size === 0) return list;
  const out: T[] = [];
  for (const item of list) {
    const c = diff.changes.get(item.id);
    if (!c) out.push(item);
    else if (c.after) out.push(c.after.value);
  }
  const inserts = [...diff.changes.values()]
    .filter((c) => c.before === null && c.after !== null)
    .map((c) => c.after!)
    .sort((x, y) => x.index - y.index);
  for (const slot of inserts) out.splice(Math.min(slot.index, out.length), 0, slot.value);
  return out;
}

/** Applies `diff` to a document in the diff's `before` state. */
export function applyDiff(doc: PipelineDocument, diff: DocumentDiff): PipelineDocument {
  const meta = diff.meta ? diff.meta.after : metaOf(doc);
  return { ...meta, nodes: applyList(doc.nodes, diff.nodes), edges: applyList(doc.edges, diff.edges) };
}

/** True when both hold the very same node, edge and meta objects (cheap; used for the dirty marker). */
export function sameDocument(a: PipelineDocument, b: PipelineDocument): boolean {
  if (a === b) return true;
  const sameItems = <T>(x: T[], y: T[]) => x === y || (x.length === y.length && x.every((v, i) => v === y[i]));
  return sameMeta(a, b) && sameItems(a.nodes, b.nodes) && sameItems(a.edges, b.edges);
}
