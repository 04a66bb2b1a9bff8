/** Document edits as plain change objects; `reduceDocument` is the one place a document changes. */
import type {
  NodeResources,
  ParamValue,
  PipelineDocument,
  PipelineEdge,
  PipelineNode,
  PipelineSettings,
  Position,
} from '../../shared/pipeline/types.ts';

/** Fields of a node a change may set; `undefined` removes the field. */
export type NodePatch = Partial<Pick<PipelineNode, 'label' | 'retries' | 'cache' | 'code' | 'interface' | 'resources' | 'params' | 'alerts' | 'image'>>;

export type DocumentMetaPatch = Partial<Pick<PipelineDocument, 'name' | 'description' | 'settings'>>;

export type DocumentChange =
  | { type: 'add'; nodes: PipelineNode[]; edges?: PipelineEdge[] }
  | { type: 'remove'; nodeIds: string[]; edgeIds?: string[] }
  | { type: 'move'; positions: Record<string, Position> }
  | { type: 'patch-node'; id: string; patch: NodePatch }
  | { type: 'set-param'; id: string; name: string; value: ParamValue | undefined }
  | { type: 'set-resources'; id: string; patch: Partial<NodeResources> }
  | { type: 'connect'; edge: PipelineEdge }
  | { type: 'patch-document'; patch: DocumentMetaPatch }
  | { type: 'set-settings'; patch: Partial<PipelineSettings> }
  | { type: 'replace'; document: PipelineDocument };

function withoutUndefined<V>(value: Record<string, V | undefined>): Record<string, V> {
  const out: Record<string, V> = {};
  for (const [key, v] of Object.entries(value)) if (v !== undefined) out[key] = v;
  return out;
}

function isEmpty(value: object | undefined): boolean {
  return value === undefined || Object.keys(value).length === 0;
}

function mapNode(doc: PipelineDocument, id: string, update: (node: PipelineNode) => PipelineNode): PipelineDocument {
  const index = doc.nodes.findIndex((n) => n.id === id);
  if (index < 0) return doc;
  const updated = update(doc.nodes[index]);
  if (updated === doc.nodes[index]) return doc;
  const nodes = doc.nodes.slice();
  nodes[index] = updated;
  return { ...doc, nodes };
}

function setOptional<K extends keyof PipelineNode>(node: PipelineNode, key: K, value: PipelineNode[K] | undefined): PipelineNode {
  const next = { ...node, [key]: value };
  if (value === undefined || (typeof value === 'object' && !Array.isArray(value) && isEmpty(value as object))) delete next[key];
  return next;
}

/** Applies one change; returns the same document object when nothing changed. */
export function reduceDocument(doc: PipelineDocument, change: DocumentChange): PipelineDocument {
  switch (change.type) {
    case 'add': {
      const taken = new Set(doc.nodes.map((n) => n.id));
      const nodes = change.nodes.filter((n) => !taken.has(n.id));
      const edgeIds = new Set(doc.edges.map((e) => e.id));
      const edges = (change.edges ?? []).filter((e) => !edgeIds.has(e.id));
      if (nodes.length === 0 && edges.length === 0) return doc;
      return { ...doc, nodes: [...doc.nodes, ...nodes], edges: [...doc.edges, ...edges] };
    }
    case 'remove': {
      const nodeIds = new Set(change.nodeIds);
      const edgeIds = new Set(change.edgeIds ?? []);
      const nodes = doc.nodes.filter((n) => !nodeIds.has(n.id));
      const edges = doc.edges.filter((e) => !edgeIds.has(e.id) && !nodeIds.has(e.source) && !nodeIds.has(e.target));
      if (nodes.length === doc.nodes.length && edges.length === doc.edges.length) return doc;
      return { ...doc, nodes, edges };
    }
    case 'move': {
      let changed = false;
      const nodes = doc.nodes.map((n) => {
        const p = change.positions[n.id];
        if (!p || (p.x === n.position.x && p.y === n.position.y)) return n;
        changed = true;
        return { ...n, position: { x: p.x, y: p.y } };
      });
      return changed ? { ...doc, nodes } : doc;
    }
    case 'patch-node':
      return mapNode(doc, change.id, (node) => {
        if (Object.entries(change.patch).every(([k, v]) => node[k as keyof NodePatch] === v)) return node;
        let next = node;
        for (const [key, value] of Object.entries(change.patch) as [keyof NodePatch, NodePatch[keyof NodePatch]][]) {
          next = setOptional(next, key, value);
        }
        return next;
      });
    case 'set-param':
      return mapNode(doc, change.id, (node) =>
        node.params?.[change.name] === change.value
          ? node
          : setOptional(node, 'params', withoutUndefined({ ...node.params, [change.name]: change.value })),
      );
    case 'set-resources':
      return mapNode(doc, change.id, (node) =>
        Object.entries(change.patch).every(([k, v]) => node.resources?.[k as keyof NodeResources] === v)
          ? node
          : setOptional(node, 'resources', withoutUndefined({ ...node.resources, ...change.patch })),
      );
    case 'connect':
      if (doc.edges.some((e) => e.id === change.edge.id)) return doc;
      return { ...doc, edges: [...doc.edges, change.edge] };
    case 'patch-document': {
      const next: PipelineDocument = { ...doc, ...change.patch };
      for (const key of ['description', 'settings'] as const) {
        if (next[key] === undefined || (key === 'settings' && isEmpty(next.settings))) delete next[key];
      }
      return next;
    }
    case 'set-settings': {
      const settings: PipelineSettings = withoutUndefined<PipelineSettings[keyof PipelineSettings]>({ ...doc.settings, ...change.patch });
      const next: PipelineDocument = { ...doc, settings };
      if (isEmpty(settings)) delete next.settings;
      return next;
    }
    case 'replace':
      return change.document;
  }
}

export function reduceDocumentAll(doc: PipelineDocument, changes: readonly DocumentChange[]): PipelineDocument {
  return changes.reduce(reduceDocument, doc);
}
