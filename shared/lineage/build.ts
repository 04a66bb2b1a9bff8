/**
 * Lineage from the run records: a node's upstream (the data and models it came from) and downstream (what was
 * trained, evaluated and deployed from it) in its run, each artifact with its content hash, and every other run
 * holding the same content (equal SHA-256) or the same registered model version, with what those runs made of it.
 */
import type { NodeCatalog } from '../pipeline/catalog.ts';
import { downstreamIds, topologicalOrder } from '../pipeline/graph.ts';
import { resolveNode } from '../pipeline/resolve.ts';
import type { PipelineEdge, PipelineNode, PortSpec } from '../pipeline/types.ts';
import type { Lineage, LineageArtifact, LineageMatch, LineageRelatedRun, LineageRunInput, LineageStep } from './types.ts';

/** SHA-256 of nothing: an empty output says nothing about where it came from. */
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
/** Types whose steps are worth listing for a related run: they train, evaluate, register or deploy. */
const SUMMARY_TYPES = new Set(['cpt', 'sft', 'eval', 'ko-bench', 'deploy', 'python']);

type Ref = { run: LineageRunInput; node: PipelineNode };

function ancestors(run: LineageRunInput, nodeId: string): Set<string> {
  const seen = new Set<string>();
  const stack = [nodeId];
  while (stack.length > 0) {
    const id = stack.pop()!;
    for (const e of run.document.edges) {
      if (e.target === id && !seen.has(e.source)) {
        seen.add(e.source);
        stack.push(e.source);
      }
    }
  }
  return seen;
}

function artifactsOf(run: LineageRunInput, node: PipelineNode, catalog: NodeCatalog): LineageArtifact[] {
  const out: LineageArtifact[] = [];
  for (const input of run.inputs ?? []) {
    if (input.nodeId !== node.id) continue;
    out.push({
      port: input.param,
      input: true,
      ...(node.type === 'dataset' ? { kind: 'dataset' as const } : {}),
      ...(input.sha256 ? { sha256: input.sha256 } : {}),
      ...(input.bytes !== undefined ? { bytes: input.bytes } : {}),
      ...(input.uri ? { uri: input.uri } : {}),
      ...(input.unavailable ? { unavailable: input.unavailable } : {}),
    });
  }
  const outputs = resolveNode(node, catalog, run.parameterValues)?.outputs ?? [];
  const hashes = run.nodes[node.id]?.outputs ?? {};
  for (const port of outputs) {
    const hash = hashes[port.name];
    // A dataset importer's output is its input: the URI's hash names it.
    if (node.type === 'dataset' && out.length > 0 && !hash) continue;
    out.push({ port: port.name, kind: port.kind, ...(hash?.sha256 ? { sha256: hash.sha256 } : {}), ...(hash?.bytes !== undefined ? { bytes: hash.bytes } : {}) });
  }
  return out;
}

/** The training steps a model went through along model edges, oldest first. */
function trainingChain(run: LineageRunInput, node: PipelineNode, catalog: NodeCatalog): { nodeId: string; type: string }[] {
  const chain: { nodeId: string; type: string }[] = [];
  const seen = new Set<string>();
  let current: PipelineNode | undefined = node;
  while (current && !seen.has(current.id)) {
    seen.add(current.id);
    chain.unshift({ nodeId: current.id, type: current.type });
    const inputs: PortSpec[] = resolveNode(current, catalog, run.parameterValues)?.inputs ?? [];
    const modelPorts = new Set(inputs.filter((p) => p.kind === 'model').map((p) => p.name));
    const id: string = current.id;
    const edge: PipelineEdge | undefined = run.document.edges.find((e) => e.target === id && modelPorts.has(e.targetHandle));
    current = edge ? run.document.nodes.find((n) => n.id === edge.source) : undefined;
  }
  return chain;
}

function registeredModel(run: LineageRunInput, nodeId: string): { name: string; version: string; url?: string } | undefined {
  const m = run.nodes[nodeId]?.mlflow;
  return m?.modelName && m.modelVersion ? { name: m.modelName, version: m.modelVersion, ...(m.modelUrl ? { url: m.modelUrl } : {}) } : undefined;
}

function describeStep(run: LineageRunInput, node: PipelineNode, catalog: NodeCatalog, relation: LineageStep['relation']): LineageStep {
  const state = run.nodes[node.id];
  const resolved = resolveNode(node, catalog, run.parameterValues);
  const artifacts = artifactsOf(run, node, catalog);
  const step: LineageStep = {
    nodeId: node.id,
    type: node.type,
    ...(node.label ? { label: node.label } : {}),
    phase: state?.phase ?? 'pending',
    relation,
    from: [...new Set(run.document.edges.filter((e) => e.target === node.id).map((e) => e.source))],
    artifacts,
    elsewhere: [],
  };
  if (artifacts.some((a) => a.kind === 'model')) {
    step.trainedBy = trainingChain(run, node, catalog).filter((s) => s.type !== 'dataset');
    const first = step.trainedBy[0] && run.document.nodes.find((n) => n.id === step.trainedBy![0].nodeId);
    const base = first && resolveNode(first, catalog, run.parameterValues)?.params.base_model;
    if (typeof base === 'string' && base) step.baseModel = base;
  }
  if (state?.lastMetrics && Object.keys(state.lastMetrics).length > 0) step.metrics = { ...state.lastMetrics };
  const model = registeredModel(run, node.id);
  if (model) step.model = model;
  if (state?.mlflow?.runId) step.mlflowRun = { id: state.mlflow.runId, ...(state.mlflow.runUrl ? { url: state.mlflow.runUrl } : {}) };
  if (node.type === 'deploy') {
    const params = resolved?.params ?? {};
    const namespace = typeof params.namespace === 'string' && params.namespace ? params.namespace : 'inference';
    const status = state?.deploy;
    // The version it serves: its own (promotion, the registry watcher), else the one its model input registered.
    const source = run.document.edges.find((e) => e.target === node.id && e.targetHandle === 'model')?.source;
    const served = model ?? (source ? registeredModel(run, source) : undefined);
    step.deploy = {
      namespace,
      kind: status?.kind ?? (params.canary === true ? 'Rollout' : 'Deployment'),
      ...(status?.name ? { name: status.name } : {}),
      ...(status?.phase ? { phase: status.phase } : {}),
      applied: status !== undefined && status.phase !== 'Rendered',
      ...(served ? { model: { name: served.name, version: served.version } } : {}),
    };
  }
  return step;
}

/**
 * Keys a step is known by across runs: its artifacts' content hashes and its model version. A downstream step's own
 * inputs from outside (benchmark data, code) are another lineage: only what it made counts there.
 */
function keysOf(step: LineageStep): { how: LineageMatch['how']; key: string }[] {
  const keys: { how: LineageMatch['how']; key: string }[] = [];
  for (const a of step.artifacts) {
    if (!a.sha256 || a.sha256 === EMPTY_SHA256 || a.kind === 'endpoint' || (a.input && step.relation === 'downstream')) continue;
    keys.push({ how: 'sha256', key: a.sha256 });
  }
  const model = step.deploy?.model ?? step.model;
  if (model) keys.push({ how: 'model-version', key: `${model.name}/${model.version}` });
  return keys;
}

/** Every (run, node) holding each key, built once per call. */
function indexRuns(runs: readonly LineageRunInput[], catalog: NodeCatalog): Map<string, { ref: Ref; step: LineageStep }[]> {
  const index = new Map<string, { ref: Ref; step: LineageStep }[]>();
  for (const run of runs) {
    for (const node of run.document.nodes) {
      const step = describeStep(run, node, catalog, 'run');
      for (const { how, key } of keysOf(step)) {
        const id = `${how}:${key}`;
        const list = index.get(id) ?? [];
        list.push({ ref: { run, node }, step });
        index.set(id, list);
      }
    }
  }
  return index;
}

const newestFirst = (a: { createdAt: string; runId?: string; id?: string }, b: { createdAt: string }) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0);

/**
 * The lineage of `nodeId` in `runId` (or of every node of the run), from `runs` (the run history, the run itself
 * included). Throws when the run or node is not there, naming what was asked and what exists.
 */
export function buildLineage(runs: readonly LineageRunInput[], runId: string, nodeId: string | undefined, catalog: NodeCatalog): Lineage {
  const run = runs.find((r) => r.id === runId);
  if (!run) throw new Error(`No run "${runId}" in the run history`);
  if (nodeId !== undefined && !run.document.nodes.some((n) => n.id === nodeId)) {
    throw new Error(`Run ${runId} has no node "${nodeId}" (its nodes: ${run.document.nodes.map((n) => n.id).join(', ')})`);
  }
  const up = nodeId ? ancestors(run, nodeId) : new Set<string>();
  const down = nodeId ? downstreamIds(run.document, nodeId) : new Set<string>();
  const { order, cyclic } = topologicalOrder(run.document);
  const relation = (id: string): LineageStep['relation'] | undefined =>
    nodeId === undefined ? 'run' : id === nodeId ? 'focus' : up.has(id) ? 'upstream' : down.has(id) ? 'downstream' : undefined;
  const steps: LineageStep[] = [];
  for (const id of [...order, ...cyclic]) {
    const rel = relation(id);
    const node = run.document.nodes.find((n) => n.id === id);
    if (rel && node) steps.push(describeStep(run, node, catalog, rel));
  }

  const index = indexRuns(runs.filter((r) => r.id !== runId), catalog);
  const related = new Map<string, LineageRelatedRun>();
  for (const step of steps) {
    const seen = new Set<string>();
    for (const { how, key } of keysOf(step)) {
      for (const hit of index.get(`${how}:${key}`) ?? []) {
        const there = hit.ref;
        const matchId = `${there.run.id}/${there.node.id}`;
        if (!seen.has(matchId)) {
          seen.add(matchId);
          step.elsewhere.push({ runId: there.run.id, nodeId: there.node.id, createdAt: there.run.createdAt, phase: hit.step.phase, how, key });
        }
        let entry = related.get(there.run.id);
        if (!entry) {
          const { id, pipelineName, target, phase, createdAt } = there.run;
          entry = { id, pipelineName, target, phase, createdAt, shared: [], steps: [] };
          related.set(id, entry);
        }
        if (!entry.shared.some((s) => s.here === step.nodeId && s.there === there.node.id && s.key === key)) entry.shared.push({ here: step.nodeId, there: there.node.id, how, key });
      }
    }
    step.elsewhere.sort(newestFirst);
  }
  for (const entry of related.values()) {
    const other = runs.find((r) => r.id === entry.id)!;
    const sharedIds = new Set(entry.shared.map((s) => s.there));
    const below = new Set<string>();
    for (const id of sharedIds) for (const d of downstreamIds(other.document, id)) below.add(d);
    for (const id of topologicalOrder(other.document).order) {
      const node = other.document.nodes.find((n) => n.id === id);
      if (!node || sharedIds.has(id) || !below.has(id) || !SUMMARY_TYPES.has(node.type)) continue;
      entry.steps.push(describeStep(other, node, catalog, 'downstream'));
    }
  }
  const { id, pipelineName, target, phase, createdAt } = run;
  return {
    run: { id, pipelineName, target, phase, createdAt },
    ...(nodeId !== undefined ? { focus: nodeId } : {}),
    steps,
    related: [...related.values()].sort(newestFirst),
  };
}
