/**
 * Pipeline document -> Kubeflow Pipelines v2 IR (`pipeline.yaml`, schemaVersion 2.1.0), plus a second
 * YAML document `platforms.kubernetes` for node selectors, tolerations and secret env. Pure and deterministic.
 * The output parses strictly as KFP's PipelineSpec / PipelineDeploymentConfig / PlatformSpec /
 * KubernetesExecutorConfig protobufs (test/kfp-proto checks it against KFP's own .proto files).
 */
import type { NodeCatalog } from '../pipeline/catalog.ts';
import type { PipelineDocument, PipelineEdge } from '../pipeline/types.ts';
import { resolveNode } from '../pipeline/resolve.ts';
import type { ResolvedNode } from '../pipeline/resolve.ts';
import { topologicalOrder } from '../pipeline/graph.ts';
import type { CompiledFiles } from './types.ts';
import { containerExecutor } from './kfp/container.ts';
import { artifactType, componentName, containerComponent, executorLabel, importerComponent, importerExecutor, task } from './kfp/dag.ts';
import { KfpCompileError } from './kfp/errors.ts';
import { kubernetesExecutorConfig, platformDocument } from './kfp/platform.ts';
import { stringifyKfpDocuments } from './kfp/yaml.ts';

export { KfpCompileError } from './kfp/errors.ts';
export { escapeKubeletExpansion, STEP_LAUNCHER } from './kfp/container.ts';

export const KFP_SCHEMA_VERSION = '2.1.0';
export const KFP_SDK_VERSION = 'pipewright-0.1.0';

/** Names that go inside `{{$.inputs.parameters['NAME']}}` placeholders must not be able to close them. */
const SAFE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
const SAFE_ID = /^[a-z0-9][a-z0-9-]*$/;

function resolveAll(doc: PipelineDocument, catalog: NodeCatalog): Map<string, ResolvedNode> {
  const resolved = new Map<string, ResolvedNode>();
  for (const node of doc.nodes) {
    if (!SAFE_ID.test(node.id)) throw new KfpCompileError(`node id "${node.id}" is not lowercase letters, digits and '-'`, node.id);
    const r = resolveNode(node, catalog);
    if (!r) throw new KfpCompileError(`node "${node.id}": unknown node type "${node.type}"`, node.id);
    for (const name of [...Object.keys(r.params), ...r.inputs.map((p) => p.name), ...r.outputs.map((p) => p.name)]) {
      if (!SAFE_NAME.test(name)) throw new KfpCompileError(`node "${node.id}": parameter or port name "${name}" is not a plain identifier`, node.id);
    }
    resolved.set(node.id, r);
  }
  return resolved;
}

function incomingEdges(doc: PipelineDocument, resolved: Map<string, ResolvedNode>): Map<string, PipelineEdge[]> {
  const incoming = new Map<string, PipelineEdge[]>(doc.nodes.map((n) => [n.id, []]));
  for (const e of doc.edges) {
    const source = resolved.get(e.source);
    const target = resolved.get(e.target);
    if (!source?.outputs.some((p) => p.name === e.sourceHandle) || !target?.inputs.some((p) => p.name === e.targetHandle)) {
      throw new KfpCompileError(`edge "${e.id}" joins ports that do not exist (${e.source}.${e.sourceHandle} -> ${e.target}.${e.targetHandle})`, undefined, e.id);
    }
    incoming.get(e.target)!.push(e);
  }
  return incoming;
}

export function compileKfp(doc: PipelineDocument, catalog: NodeCatalog): CompiledFiles {
  const resolved = resolveAll(doc, catalog);
  const incoming = incomingEdges(doc, resolved);
  const { order, cyclic } = topologicalOrder(doc);
  if (cyclic.length > 0) throw new KfpCompileError(`the pipeline has a cycle through ${cyclic.join(', ')}`, cyclic[0]);

  const settings = doc.settings ?? {};
  const components: Record<string, unknown> = {};
  const executors: Record<string, unknown> = {};
  const tasks: Record<string, unknown> = {};
  const platformExecutors: Record<string, Record<string, unknown>> = {};
  const outputArtifacts: Record<string, object> = {};
  const outputDefinitions: Record<string, object> = {};

  for (const id of order) {
    const node = resolved.get(id)!;
    const edges = incoming.get(id)!;
    const connected = new Set(edges.map((e) => e.targetHandle));
    if (node.spec.importer) {
      components[componentName(id)] = importerComponent(node);
      executors[executorLabel(id)] = importerExecutor(node);
    } else {
      components[componentName(id)] = containerComponent(node, connected);
      executors[executorLabel(id)] = containerExecutor(node, settings, connected);
      const k8s = kubernetesExecutorConfig(node, settings.secretEnv ?? []);
      if (k8s) platformExecutors[executorLabel(id)] = k8s;
    }
    tasks[id] = task(node, edges);
    // Metrics become pipeline outputs, so the KFP run page lists them.
    for (const port of node.outputs.filter((p) => p.kind === 'metrics')) {
      outputArtifacts[`${id}_${port.name}`] = { artifactSelectors: [{ producerSubtask: id, outputArtifactKey: port.name }] };
      outputDefinitions[`${id}_${port.name}`] = { artifactType: artifactType(port.kind) };
    }
  }

  const pipelineInfo: Record<string, string> = { name: doc.name };
  if (doc.description) pipelineInfo.description = doc.description;
  const root: Record<string, unknown> = { dag: { tasks } };
  if (Object.keys(outputArtifacts).length > 0) {
    root.dag = { tasks, outputs: { artifacts: outputArtifacts } };
    root.outputDefinitions = { artifacts: outputDefinitions };
  }
  const pipeline: Record<string, unknown> = {
    pipelineInfo,
    schemaVersion: KFP_SCHEMA_VERSION,
    sdkVersion: KFP_SDK_VERSION,
    components,
    deploymentSpec: { executors },
    root,
  };
  if (settings.pipelineRoot) pipeline.defaultPipelineRoot = settings.pipelineRoot;

  const documents: object[] = [pipeline];
  if (Object.keys(platformExecutors).length > 0) documents.push(platformDocument(platformExecutors));
  const header = `# PIPELINE DEFINITION\n# Name: ${doc.name.replace(/[^\x20-\x7e]/g, "?")}\n# Compiled by Pipewright from a pipewright.pipeline/v1 document.\n`;
  return { 'pipeline.yaml': stringifyKfpDocuments(header, documents) };
}
