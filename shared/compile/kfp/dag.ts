/** Component definitions and root-DAG tasks of the IR, one of each per node. */
import type { ParamSpec, ParamType, ParamValue, PortKind, PortSpec } from '../../pipeline/types.ts';
import type { PlannedNode } from '../plan.ts';
import { literalField, protectKfpText } from './launcher.ts';
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

/** The value as the IR's typed constant: doubles keep a decimal point, strings are protected for the trip to the step. */
export function parameterConstant(spec: ParamSpec | undefined, value: ParamValue): unknown {
  if (typeof value === 'number') return spec?.type === 'number' || !Number.isInteger(value) ? new KfpDouble(value) : value;
  if (typeof value === 'string') return protectKfpText(value);
  return Array.isArray(value) ? value.map((v) => (typeof v === 'string' ? protectKfpText(v) : v)) : value;
}

function artifactDefinitions(ports: readonly PortSpec[], connected?: ReadonlySet<string>): Record<string, object> {
  const defs: Record<string, object> = {};
  for (const port of ports) {
    defs[port.name] = connected && !connected.has(port.name) ? { artifactType: artifactType(port.kind), isOptional: true } : { artifactType: artifactType(port.kind) };
  }
  return defs;
}

function nonEmpty(entries: Record<string, object>): Record<string, object> | undefined {
  const present = Object.entries(entries).filter(([, v]) => Object.keys(v).length > 0);
  return present.length > 0 ? Object.fromEntries(present) : undefined;
}

/** A container step's component: its parameters, its inputs (unconnected optional ones marked so), its outputs. */
export function containerComponent(p: PlannedNode): Record<string, unknown> {
  const specs = new Map(p.resolved.paramSpecs.map((s) => [s.name, s]));
  const parameters: Record<string, object> = {};
  for (const name of Object.keys(p.resolved.params)) parameters[name] = { parameterType: PARAMETER_TYPES[specs.get(name)?.type ?? 'string'] };
  const connected = new Set(p.inputs.map((i) => i.port));
  const component: Record<string, unknown> = { executorLabel: executorLabel(p.id) };
  const inputs = nonEmpty({ parameters, artifacts: artifactDefinitions(p.resolved.inputs, connected) });
  const outputs = nonEmpty({ artifacts: artifactDefinitions(p.resolved.outputs) });
  if (inputs) component.inputDefinitions = inputs;
  if (outputs) component.outputDefinitions = outputs;
  return component;
}

/** Like KFP's dsl.importer: a `uri` parameter in, the node's one artifact out. */
export function importerComponent(p: PlannedNode): Record<string, unknown> {
  return {
    executorLabel: executorLabel(p.id),
    inputDefinitions: { parameters: { uri: { parameterType: 'STRING' } } },
    outputDefinitions: { artifacts: artifactDefinitions(p.resolved.outputs) },
  };
}

export function importerExecutor(p: PlannedNode, uri: string): { importer: Record<string, unknown> } {
  const importer: Record<string, unknown> = {
    artifactUri: { constant: literalField(uri, p.id, 'params.uri') },
    typeSchema: artifactType(p.resolved.outputs[0]?.kind ?? 'dataset'),
  };
  const format = p.resolved.params.format;
  if (typeof format === 'string') importer.metadata = { format: literalField(format, p.id, 'params.format') };
  return { importer };
}

/** Retry after 1, 2, 4... minutes, at most an hour in all (KFP's own cap). */
export const RETRY_BACKOFF = { backoffDuration: '60s', backoffFactor: new KfpDouble(2), backoffMaxDuration: '3600s' };

export function task(p: PlannedNode, importerUri?: string): Record<string, unknown> {
  const specs = new Map(p.resolved.paramSpecs.map((s) => [s.name, s]));
  const parameters: Record<string, object> = {};
  if (importerUri !== undefined) parameters.uri = { runtimeValue: { constant: importerUri } };
  else for (const [name, value] of Object.entries(p.resolved.params)) parameters[name] = { runtimeValue: { constant: parameterConstant(specs.get(name), value) } };
  const artifacts: Record<string, object> = {};
  for (const i of p.inputs) artifacts[i.port] = { taskOutputArtifact: { producerTask: i.source, outputArtifactKey: i.sourcePort } };

  const spec: Record<string, unknown> = { taskInfo: { name: p.id }, componentRef: { name: componentName(p.id) } };
  if (p.upstream.length > 0) spec.dependentTasks = [...p.upstream];
  const inputs = nonEmpty({ parameters, artifacts });
  if (inputs) spec.inputs = inputs;
  spec.cachingOptions = { enableCache: p.resolved.cache };
  if (p.resolved.retries > 0) spec.retryPolicy = { maxRetryCount: p.resolved.retries, ...RETRY_BACKOFF };
  return spec;
}
