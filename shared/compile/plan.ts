/**
 * What every compiler needs from a document: its nodes resolved against the catalog in dependency
 * order, each connected input with its source, and the checks that keep user text out of names.
 */
import type { NodeCatalog } from '../pipeline/catalog.ts';
import { dependencyOrder } from '../pipeline/graph.ts';
import { resolveNode } from '../pipeline/resolve.ts';
import type { ResolvedNode } from '../pipeline/resolve.ts';
import type { ParamValue, PipelineDocument, PipelineParameterValue, ProblemLocation } from '../pipeline/types.ts';
import { parameterDefaults } from '../pipeline/parameters.ts';

/** A document the compilers cannot turn into output; `location` names the node, edge or field. */
export class CompileError extends Error {
  constructor(
    message: string,
    readonly location: ProblemLocation = {},
  ) {
    super(message);
    this.name = 'CompileError';
  }
}

export interface PlannedInput {
  /** The input port of this node. */
  port: string;
  source: string;
  sourcePort: string;
}

export interface PlannedNode {
  id: string;
  resolved: ResolvedNode;
  /** Connected inputs, in the order the node declares its ports. */
  inputs: PlannedInput[];
  /** Ids this node depends on, sorted, without repeats. */
  upstream: readonly string[];
}

export interface CompilePlan {
  doc: PipelineDocument;
  /** Every node, in dependency order (ties in document order). */
  nodes: PlannedNode[];
}

// Node ids, port and parameter names reach commands, paths and YAML keys: only these shapes are allowed.
const NODE_ID = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const PORT_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function checkName(kind: string, name: string, pattern: RegExp, hint: string, location: ProblemLocation): void {
  if (!pattern.test(name) || name.length > 63) {
    throw new CompileError(`${kind} ${JSON.stringify(name)} is not allowed: ${hint}, at most 63 characters`, location);
  }
}

/** `parameterValues`: the pipeline parameters' values bound params take (default: each parameter's default). */
export function planPipeline(doc: PipelineDocument, catalog: NodeCatalog, parameterValues: Readonly<Record<string, PipelineParameterValue>> = parameterDefaults(doc)): CompilePlan {
  const index = new Map<string, number>();
  const resolvedNodes: ResolvedNode[] = [];
  // Nodes of one catalog type share their port and parameter lists: each list is checked once.
  const checked = new Set<readonly unknown[]>();
  for (const node of doc.nodes) {
    checkName('node id', node.id, NODE_ID, "lowercase letters, digits and '-', starting and ending with a letter or digit", { nodeId: node.id });
    if (index.has(node.id)) throw new CompileError(`node id "${node.id}" is used twice`, { nodeId: node.id });
    const resolved = resolveNode(node, catalog, parameterValues);
    if (!resolved) throw new CompileError(`node "${node.id}" has unknown type "${node.type}"`, { nodeId: node.id, field: 'type' });
    checkInterface(resolved, checked);
    index.set(node.id, resolvedNodes.length);
    resolvedNodes.push(resolved);
  }
  // Per node, its connected inputs (a short list: a node has a few ports) and the nodes it feeds; the
  // plan lives for the whole compile, so nothing here is made for a node that does not need it.
  const sources: (PlannedInput[] | undefined)[] = [];
  const successors: number[][] = [];
  const indegree = new Array<number>(resolvedNodes.length).fill(0);
  for (const edge of doc.edges) {
    const from = index.get(edge.source);
    const to = index.get(edge.target);
    if (from === undefined || to === undefined) throw new CompileError(`edge "${edge.id}" joins a node that does not exist`, { edgeId: edge.id });
    if (!resolvedNodes[from].outputs.some((p) => p.name === edge.sourceHandle)) {
      throw new CompileError(`edge "${edge.id}": node "${edge.source}" has no output "${edge.sourceHandle}"`, { edgeId: edge.id });
    }
    if (!resolvedNodes[to].inputs.some((p) => p.name === edge.targetHandle)) {
      throw new CompileError(`edge "${edge.id}": node "${edge.target}" has no input "${edge.targetHandle}"`, { edgeId: edge.id });
    }
    const inputs = (sources[to] ??= []);
    if (inputs.some((input) => input.port === edge.targetHandle)) {
      throw new CompileError(`input "${edge.targetHandle}" of node "${edge.target}" has two sources`, { edgeId: edge.id, nodeId: edge.target });
    }
    inputs.push({ port: edge.targetHandle, source: edge.source, sourcePort: edge.sourceHandle });
    (successors[from] ??= []).push(to);
    indegree[to]++;
  }
  const order = dependencyOrder(successors, indegree);
  if (order.length < resolvedNodes.length) {
    const placed = new Set(order);
    const cyclic = doc.nodes.filter((_, i) => !placed.has(i)).map((n) => n.id);
    throw new CompileError(`the pipeline has a cycle through ${cyclic.join(', ')}`, { nodeId: cyclic[0] });
  }
  const nodes = order.map((i): PlannedNode => {
    const resolved = resolvedNodes[i];
    const connected = sources[i];
    const inputs: PlannedInput[] = [];
    if (connected) {
      for (const port of resolved.inputs) {
        const input = connected.find((c) => c.port === port.name);
        if (input) inputs.push(input);
      }
    }
    return { id: resolved.node.id, resolved, inputs, upstream: connected ? upstreamOf(connected) : NO_IDS };
  });
  return { doc, nodes };
}

function checkInterface(resolved: ResolvedNode, checked: Set<readonly unknown[]>): void {
  const nodeId = resolved.node.id;
  for (const ports of [resolved.inputs, resolved.outputs]) {
    if (checked.has(ports)) continue;
    for (const port of ports) checkName('port name', port.name, PORT_NAME, "letters, digits, '_' and '-', starting with a letter or digit", { nodeId, field: 'interface' });
    checked.add(ports);
  }
  if (checked.has(resolved.paramSpecs)) return;
  for (const p of resolved.paramSpecs) checkName('parameter name', p.name, PARAM_NAME, "letters, digits and '_', not starting with a digit", { nodeId, param: p.name });
  checked.add(resolved.paramSpecs);
}

const NO_IDS: readonly string[] = [];

function upstreamOf(connected: readonly PlannedInput[]): readonly string[] {
  const ids: string[] = [];
  for (const input of connected) if (!ids.includes(input.source)) ids.push(input.source);
  return ids.length > 1 ? ids.sort() : ids;
}

/** A parameter value as one command-line argument (the step-script contract). */
export function formatArgValue(value: ParamValue): string {
  if (Array.isArray(value)) return JSON.stringify(value);
  return typeof value === 'string' ? value : String(value);
}

export type DatasetSource = { kind: 'sample'; name: string } | { kind: 'local'; path: string } | { kind: 'remote'; uri: string };

/** Where a `dataset` node's `uri` points: a bundled sample, a local path, or a remote URI. */
export function datasetSource(uri: string): DatasetSource {
  if (uri.startsWith('sample://')) return { kind: 'sample', name: uri.slice('sample://'.length) };
  if (uri.startsWith('file://')) return { kind: 'local', path: uri.slice('file://'.length) };
  return /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(uri) ? { kind: 'remote', uri } : { kind: 'local', path: uri };
}

/** The bundled sample a `sample://NAME` URI names, or a CompileError naming the node (and the parameter holding the URI). */
export function sampleText(samples: Readonly<Record<string, string>> | undefined, name: string, nodeId: string, param = 'uri'): string {
  const text = samples && Object.hasOwn(samples, name) ? samples[name] : undefined;
  if (text === undefined) {
    const known = Object.keys(samples ?? {}).sort();
    throw new CompileError(`node "${nodeId}": unknown sample "${name}"${known.length ? ` (known: ${known.join(', ')})` : ''}`, { nodeId, param });
  }
  return text;
}

export interface ParamSample {
  /** The parameter whose value is `sample://NAME`. */
  param: string;
  name: string;
  text: string;
}

/**
 * Bundled samples a step names in a text parameter as `sample://NAME` (other than a dataset's `uri`, which
 * is imported): each travels with the step into $PIPEWRIGHT_SAMPLES_DIR, as a dataset's sample does.
 */
export function paramSamples(p: PlannedNode, samples: Readonly<Record<string, string>> | undefined): ParamSample[] {
  if (p.resolved.spec.importer) return [];
  const out: ParamSample[] = [];
  const { params } = p.resolved;
  // for-in, not Object.entries: this runs for every node of every compile, and an entries array per
  // node was a tenth of what a large compile allocated.
  for (const param in params) {
    const value = params[param];
    if (typeof value !== 'string' || !value.startsWith('sample://')) continue;
    const name = value.slice('sample://'.length);
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) {
      throw new CompileError(`node "${p.id}": parameter ${param} names sample "${name}", which is not a plain file name`, { nodeId: p.id, param });
    }
    out.push({ param, name, text: sampleText(samples, name, p.id, param) });
  }
  return out;
}
