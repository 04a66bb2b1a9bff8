/** Component definitions and root-DAG tasks of the IR, one of each per node. */
import type { ParamSpec, ParamType, ParamValue, PipelineEdge, PortKind, PortSpec } from '../../pipeline/types.ts';
import type { ResolvedNode } from '../../pipeline/resolve.ts';
import { KfpDouble } from './yaml.ts';

export const componentName = (nodeId: string): string => `comp-${nodeId}`;
export const executorLabel = (nodeId: string): string => `exec-${nodeId}`;

const PARAMETER_TYPES: Record<ParamType, string> = {
  number: 'NUMBER_DOUBLE',
  integer: 'NUMBER_INTEGER',
  string: 'STRING',
  enum: 'STRING',
  boolean: 'BOOLEAN',
  'string-list': 'LIST',
};

const ARTIFACT_TYPES: Record<PortKind, string> = {
  dataset: 'system.Dataset',
  model: 'system.Model',
  metrics: 'system.Metrics',
  endpoint: 'system.Artifact',
};

export const artifactType = (kind: PortKind): object => ({ schemaTitle: ARTIFACT_TYPES[kind], schemaVersion: '0.0.1' });

/** The value as the IR's typed constant: doubles keep a decimal point, lists are copied. */
export function parameterConstant(spec: ParamSpec | undefined, value: ParamValue): unknown {
  if (typeof value === 'number' && (spec?.type === 'number' || !Number.isInteger(value))) return new KfpDouble(value);
  return Array.isArray(value) ? [...value] : value;
}

function parameterDefinitions(node: ResolvedNode): Record<string, object> {
  const specs = new Map(node.paramSpecs.map((p) => [p.name, p]));
  const defs: Record<string, object> = {};
  for (const name of Object.keys(node.params)) defs[name] = { parameterType: PARAMETER_TYPES[specs.get(name)?.type ?? 'string'] };
  return defs;
}

function artifactDefinitions(ports: readonly PortSpec[], connected?: ReadonlySet<string>): Record<string, object> {
  const defs: Record<string, object> = {};
  for (const port of ports) {
    const optional = connected !== undefined && !connected.has(port.name);
    defs[port.name] = optional ? { artifactType: artifactType(port.kind), isOptional: true } : { artifactType: artifactType(port.kind) };
  }
  return defs;
}

function nonEmpty(entries: Record<string, object>): Record<string, object> | undefined {
  const present = Object.entries(entries).filter(([, v]) => Object.keys(v).length > 0);
  return present.length > 0 ? Object.fromEntries(present) : undefined;
}

/** A container step's component: its parameters, the inputs it declares (unconnected optional ones marked so), its outputs. */
export function containerComponent(node: ResolvedNode, connected: ReadonlySet<string>): Record<string, unknown> {
  const component: Record<string, unknown> = { executorLabel: executorLabel(node.node.id) };
  const inputs = nonEmpty({ parameters: parameterDefinitions(node), artifacts: artifactDefinitions(node.inputs, connected) });
  const outputs = nonEmpty({ artifacts: artifactDefinitions(node.outputs) });
  if (inputs) component.inputDefinitions = inputs;
  if (outputs) component.outputDefinitions = outputs;
  return component;
}

/** Like KFP's dsl.importer: a `uri` parameter in, one artifact out. */
export function importerComponent(node: ResolvedNode): Record<string, unknown> {
  return {
    executorLabel: executorLabel(node.node.id),
    inputDefinitions: { parameters: { uri: { parameterType: 'STRING' } } },
    outputDefinitions: { artifacts: artifactDefinitions(node.outputs) },
  };
}

export function importerExecutor(node: ResolvedNode): { importer: Record<string, unknown> } {
  const kind = node.outputs[0]?.kind ?? 'dataset';
  const importer: Record<string, unknown> = {
    artifactUri: { constant: String(node.params.uri ?? '') },
    typeSchema: artifactType(kind),
  };
  if (typeof node.params.format === 'string') importer.metadata = { format: node.params.format };
  return { importer };
}

/** KFP's own default backoff (as `pipeline_with_retry.yaml` shows), starting at one minute. */
export const RETRY_BACKOFF = { backoffDuration: '60s', backoffFactor: new KfpDouble(2), backoffMaxDuration: '3600s' };

export function task(node: ResolvedNode, incoming: readonly PipelineEdge[]): Record<string, unknown> {
  const id = node.node.id;
  const specs = new Map(node.paramSpecs.map((p) => [p.name, p]));
  const parameters: Record<string, object> = {};
  if (node.spec.importer) parameters.uri = { runtimeValue: { constant: String(node.params.uri ?? '') } };
  else for (const [name, value] of Object.entries(node.params)) parameters[name] = { runtimeValue: { constant: parameterConstant(specs.get(name), value) } };
  const artifacts: Record<string, object> = {};
  for (const e of incoming) artifacts[e.targetHandle] = { taskOutputArtifact: { producerTask: e.source, outputArtifactKey: e.sourceHandle } };

  const spec: Record<string, unknown> = { taskInfo: { name: id }, componentRef: { name: componentName(id) } };
  const dependents = [...new Set(incoming.map((e) => e.source))].sort();
  if (dependents.length > 0) spec.dependentTasks = dependents;
  const inputs = nonEmpty({ parameters, artifacts });
  if (inputs) spec.inputs = inputs;
  spec.cachingOptions = { enableCache: node.cache };
  if (node.retries > 0) spec.retryPolicy = { maxRetryCount: node.retries, ...RETRY_BACKOFF };
  return spec;
}
