/** Ids, edges and ports, inputs, and cycles: the graph-shaped half of validation. */
import type { NodeCatalog } from './catalog.ts';
import { nodePorts } from './resolve.ts';
import { problem, show } from './validateCodes.ts';
import type { PipelineDocument, PipelineEdge, PortSpec, Problem } from './types.ts';

type Ports = { inputs: PortSpec[]; outputs: PortSpec[] };

/** Ports of each node whose type is known (the first node of a duplicated id wins). */
export function portsById(doc: PipelineDocument, catalog: NodeCatalog): Map<string, Ports | undefined> {
  const ports = new Map<string, Ports | undefined>();
  for (const node of doc.nodes) {
    if (ports.has(node.id)) continue;
    const spec = catalog.get(node.type);
    const declared = spec ? nodePorts(node, spec) : undefined;
    // A malformed interface is reported elsewhere; here only well-formed ports take part.
    const clean = (list: unknown): PortSpec[] =>
      Array.isArray(list) ? list.filter((p): p is PortSpec => typeof p === 'object' && p !== null && typeof p.name === 'string') : [];
    ports.set(node.id, declared && { inputs: clean(declared.inputs), outputs: clean(declared.outputs) });
  }
  return ports;
}

function checkEdge(edge: PipelineEdge, ports: Map<string, Ports | undefined>, problems: Problem[]): void {
  const edgeId = edge.id;
  const from = `${edge.source}.${edge.sourceHandle}`;
  const to = `${edge.target}.${edge.targetHandle}`;
  const ends: PortSpec[] = [];
  for (const side of ['source', 'target'] as const) {
    const nodeId = side === 'source' ? edge.source : edge.target;
    const handle = side === 'source' ? edge.sourceHandle : edge.targetHandle;
    const verb = side === 'source' ? 'starts at' : 'ends at';
    if (!ports.has(nodeId)) {
      problems.push(problem('edge-node-missing', `Edge "${edgeId}" ${verb} node ${show(nodeId)}, which does not exist.`, { edgeId, field: side }));
      continue;
    }
    const nodePorts = ports.get(nodeId);
    if (!nodePorts) continue;
    const list = side === 'source' ? nodePorts.outputs : nodePorts.inputs;
    const port = list.find((p) => p.name === handle);
    if (!port) {
      const word = side === 'source' ? 'output' : 'input';
      const names = list.length === 0 ? `it has no ${word}s` : `its ${word}s: ${list.map((p) => p.name).join(', ')}`;
      problems.push(
        problem('edge-port-missing', `Edge "${edgeId}" ${verb} ${word} ${show(handle)} of node "${nodeId}", which has no such ${word} (${names}).`, {
          edgeId,
          nodeId,
          field: side === 'source' ? 'sourceHandle' : 'targetHandle',
        }),
      );
    } else ends.push(port);
  }
  if (ends.length === 2 && ends[0].kind !== ends[1].kind) {
    problems.push(
      problem('edge-kind-mismatch', `Edge "${edgeId}" joins a ${ends[0].kind} output (${from}) to a ${ends[1].kind} input (${to}); an edge joins only ports of the same kind.`, {
        edgeId,
        nodeId: edge.target,
      }),
    );
  }
}

/** Edge ids, edge ends and port kinds. */
export function checkEdges(doc: PipelineDocument, ports: Map<string, Ports | undefined>): Problem[] {
  const problems: Problem[] = [];
  const seen = new Map<string, number>();
  doc.edges.forEach((edge, i) => {
    const edgeId = edge.id;
    if (edgeId === '' || edgeId.length > 253 || /[\s\p{Cc}]/u.test(edgeId)) {
      problems.push(problem('edge-id-invalid', `Edge ${i + 1} has the id ${show(edgeId)}; an edge id must be 1 to 253 characters without spaces or control characters.`, { edgeId, field: 'id' }));
    } else if (seen.has(edgeId)) {
      problems.push(problem('edge-id-duplicate', `Edge id "${edgeId}" is used by edge ${seen.get(edgeId)! + 1} and edge ${i + 1}; edge ids must be unique.`, { edgeId, field: 'id' }));
    } else seen.set(edgeId, i);
    checkEdge(edge, ports, problems);
  });
  return problems;
}

/** Inputs with two or more sources, and required inputs with none. */
export function checkInputs(doc: PipelineDocument, ports: Map<string, Ports | undefined>): Problem[] {
  const problems: Problem[] = [];
  const incoming = new Map<string, PipelineEdge[]>();
  for (const edge of doc.edges) {
    const key = `${edge.target}\u0000${edge.targetHandle}`;
    const list = incoming.get(key);
    if (list) list.push(edge);
    else incoming.set(key, [edge]);
  }
  const done = new Set<string>();
  for (const node of doc.nodes) {
    const nodePorts = ports.get(node.id);
    if (!nodePorts || done.has(node.id)) continue;
    done.add(node.id);
    for (const port of nodePorts.inputs) {
      const edges = incoming.get(`${node.id}\u0000${port.name}`) ?? [];
      const location = { nodeId: node.id, field: `inputs.${port.name}` };
      if (edges.length > 1) {
        const sources = edges.map((e) => `${e.source}.${e.sourceHandle} (edge "${e.id}")`).join(', ');
        problems.push(
          problem('input-multiple-sources', `Input "${port.name}" of node "${node.id}" has ${edges.length} sources: ${sources}; an input takes exactly one.`, {
            ...location,
            edgeId: edges[1].id,
            edgeIds: edges.map((e) => e.id),
          }),
        );
      } else if (edges.length === 0 && !port.optional) {
        problems.push(problem('input-unconnected', `Required input "${port.name}" (${port.kind}) of node "${node.id}" is not connected.`, location));
      }
    }
  }
  return problems;
}

/** Strongly connected components (Tarjan, iterative), as lists of node indexes. */
export function stronglyConnected(count: number, successors: readonly number[][]): number[][] {
  const index = new Array<number>(count).fill(-1);
  const low = new Array<number>(count).fill(0);
  const onStack = new Array<boolean>(count).fill(false);
  const stack: number[] = [];
  const components: number[][] = [];
  let next = 0;
  for (let root = 0; root < count; root++) {
    if (index[root] !== -1) continue;
    const work: [number, number][] = [[root, 0]];
    index[root] = low[root] = next++;
    stack.push(root);
    onStack[root] = true;
    while (work.length > 0) {
      const frame = work[work.length - 1];
      const [v, edgeAt] = frame;
      if (edgeAt < successors[v].length) {
        frame[1]++;
        const w = successors[v][edgeAt];
        if (index[w] === -1) {
          index[w] = low[w] = next++;
          stack.push(w);
          onStack[w] = true;
          work.push([w, 0]);
        } else if (onStack[w]) low[v] = Math.min(low[v], index[w]);
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1][0];
        low[parent] = Math.min(low[parent], low[v]);
      }
      if (low[v] === index[v]) {
        const component: number[] = [];
        let w: number;
        do {
          w = stack.pop()!;
          onStack[w] = false;
          component.push(w);
        } while (w !== v);
        components.push(component);
      }
    }
  }
  return components;
}

/** One problem per cycle, naming every node on it (in document order). */
export function checkCycles(doc: PipelineDocument): Problem[] {
  const indexOf = new Map<string, number>();
  doc.nodes.forEach((n, i) => {
    if (!indexOf.has(n.id)) indexOf.set(n.id, i);
  });
  const successors = doc.nodes.map(() => [] as number[]);
  const selfLoops = new Set<number>();
  for (const e of doc.edges) {
    const s = indexOf.get(e.source);
    const t = indexOf.get(e.target);
    if (s === undefined || t === undefined) continue;
    successors[s].push(t);
    if (s === t) selfLoops.add(s);
  }
  const problems: Problem[] = [];
  const components = stronglyConnected(doc.nodes.length, successors).filter((c) => c.length > 1 || selfLoops.has(c[0]));
  for (const component of components.sort((a, b) => Math.min(...a) - Math.min(...b))) {
    const ids = component.sort((a, b) => a - b).map((i) => doc.nodes[i].id);
    const members = new Set(ids);
    const edgeIds = doc.edges.filter((e) => members.has(e.source) && members.has(e.target)).map((e) => e.id);
    const message =
      ids.length === 1
        ? `Node "${ids[0]}" feeds its own input (edge "${edgeIds[0]}"); a pipeline must flow one way.`
        : `Nodes ${ids.map((id) => `"${id}"`).join(', ')} form a cycle (edges ${edgeIds.map((id) => `"${id}"`).join(', ')}); a pipeline must flow one way.`;
    problems.push(problem('cycle', message, { nodeId: ids[0], nodeIds: ids, edgeIds }));
  }
  return problems;
}
