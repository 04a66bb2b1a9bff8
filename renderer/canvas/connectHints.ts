/**
 * While a connection is being dragged: which ports on the other side would accept it. The same rules as
 * checkConnection (kind, one source per input, no cycle, not the same step), computed for every port at
 * once (one graph walk, not one per port). Pure: no React.
 */
import type { NodeCatalog } from '../../shared/pipeline/catalog.ts';
import { nodePorts } from '../../shared/pipeline/resolve.ts';
import type { PipelineDocument } from '../../shared/pipeline/types.ts';

export interface DragStart {
  nodeId: string;
  port: string;
  /** The side the drag started from: an output (`source`) looks for inputs, an input for outputs. */
  type: 'source' | 'target';
}

export interface PortHint {
  nodeId: string;
  port: string;
  ok: boolean;
}

/** Every node reachable from `start` following edges forward (`out`) or backward (`in`), `start` included. */
function reach(doc: Pick<PipelineDocument, 'edges'>, start: string, direction: 'out' | 'in'): Set<string> {
  const next = new Map<string, string[]>();
  for (const e of doc.edges) {
    const [from, to] = direction === 'out' ? [e.source, e.target] : [e.target, e.source];
    const list = next.get(from);
    if (list) list.push(to);
    else next.set(from, [to]);
  }
  const seen = new Set([start]);
  const stack = [start];
  while (stack.length > 0) {
    for (const n of next.get(stack.pop()!) ?? []) {
      if (!seen.has(n)) {
        seen.add(n);
        stack.push(n);
      }
    }
  }
  return seen;
}

/** For each port on the other side of the drag: whether dropping there makes an edge. Empty when the start port is unknown. */
export function portHints(doc: PipelineDocument, catalog: NodeCatalog, from: DragStart): PortHint[] {
  const startNode = doc.nodes.find((n) => n.id === from.nodeId);
  const startSpec = startNode && catalog.get(startNode.type);
  if (!startNode || !startSpec) return [];
  const startPorts = nodePorts(startNode, startSpec);
  const start = (from.type === 'source' ? startPorts.outputs : startPorts.inputs).find((p) => p.name === from.port);
  if (!start) return [];
  const taken = new Set(doc.edges.map((e) => `${e.target}\u0000${e.targetHandle}`));
  // From an output: an input of an upstream step would close a cycle. From an input: an output of a downstream step would.
  const cyclic = reach(doc, from.nodeId, from.type === 'source' ? 'in' : 'out');
  const startTaken = from.type === 'target' && taken.has(`${from.nodeId}\u0000${from.port}`);
  const hints: PortHint[] = [];
  for (const node of doc.nodes) {
    const spec = catalog.get(node.type);
    if (!spec) continue;
    const ports = nodePorts(node, spec);
    for (const p of from.type === 'source' ? ports.inputs : ports.outputs) {
      const free = from.type === 'source' ? !taken.has(`${node.id}\u0000${p.name}`) : !startTaken;
      hints.push({ nodeId: node.id, port: p.name, ok: node.id !== from.nodeId && p.kind === start.kind && free && !cyclic.has(node.id) });
    }
  }
  return hints;
}
