/** Component definitions (shared by tasks that define the same one) and root-DAG tasks (one per node) of the IR. */
import type { ParamType, ParamValue, PipelineParameter, PipelineParameterType, PipelineParameterValue, PortKind, PortSpec } from '../../pipeline/types.ts';
import type { PlannedNode } from '../plan.ts';
import { NODE_ID_PARAMETER } from './container.ts';
import { literalField, protectKfpText } from './launcher.ts';
import { sharedPart } from '../emitYaml.ts';
import type { YamlMap, YamlValue } from './yaml.ts';

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

export const artifactType = (kind: PortKind): YamlMap => ({ schemaTitle: ARTIFACT_TYPES[kind], schemaVersion: '0.0.1' });

/** The value as the IR's constant, strings protected for their trip to the step. */
export function parameterConstant(value: ParamValue): YamlValue {
  if (typeof value === 'string') return protectKfpText(value);
  return Array.isArray(value) ? value.map((v) => (typeof v === 'string' ? protectKfpText(v) : v)) : value;
}

function artifactDefinitions(ports: readonly PortSpec[], connected?: ReadonlySet<string>): YamlMap {
  const defs: YamlMap = {};
  for (const port of ports) {
    defs[port.name] = connected && !connected.has(port.name) ? { artifactType: artifactType(port.kind), isOptional: true } : { artifactType: artifactType(port.kind) };
  }
  return defs;
}

function hasMembers(map: YamlMap): boolean {
  for (const key in map) if (map[key] !== undefined) return true;
  return false;
}

/** The maps that have members, or undefined when none has. */
function nonEmpty(entries: Record<string, YamlMap>): YamlMap | undefined {
  let present: YamlMap | undefined;
  for (const key in entries) if (hasMembers(entries[key])) (present ??= {})[key] = entries[key];
  return present;
}

/** A container step's component: its parameters and the node id, its inputs (unconnected optional ones marked so), its outputs. */
export function containerComponent(p: PlannedNode, executorLabel: string): YamlMap {
  const specs = new Map(p.resolved.paramSpecs.map((s) => [s.name, s]));
  const parameters: YamlMap = {};
  for (const name of Object.keys(p.resolved.params)) parameters[name] = { parameterType: PARAMETER_TYPES[specs.get(name)?.type ?? 'string'] };
  parameters[NODE_ID_PARAMETER] = { parameterType: 'STRING' };
  const connected = new Set(p.inputs.map((i) => i.port));
  return {
    executorLabel,
    inputDefinitions: nonEmpty({ parameters, artifacts: artifactDefinitions(p.resolved.inputs, connected) }),
    outputDefinitions: nonEmpty({ artifacts: artifactDefinitions(p.resolved.outputs) }),
  };
}

/** Like KFP's dsl.importer: a `uri` parameter in, the node's one artifact out. */
export function importerComponent(p: PlannedNode, executorLabel: string): YamlMap {
  return {
    executorLabel,
    inputDefinitions: { parameters: { uri: { parameterType: 'STRING' } } },
    outputDefinitions: { artifacts: artifactDefinitions(p.resolved.outputs) },
  };
}

export function importerExecutor(p: PlannedNode, uri: string): YamlMap {
  const importer: YamlMap = {
    // A bound URI is the importer's `uri` input, as dsl.importer writes it for a pipeline parameter.
    artifactUri: p.resolved.bindings.uri ? { runtimeParameter: 'uri' } : { constant: literalField(uri, p.id, 'params.uri') },
    typeSchema: artifactType(p.resolved.outputs[0]?.kind ?? 'dataset'),
  };
  const format = p.resolved.params.format;
  if (typeof format === 'string') importer.metadata = { format: literalField(format, p.id, 'params.format') };
  return { importer };
}

/** Retry after 1, 2, 4... minutes, at most an hour in all (KFP's own cap). */
export const RETRY_BACKOFF = { backoffDuration: '60s', backoffFactor: 2, backoffMaxDuration: '3600s' };

/** Parts of tasks that many tasks hold alike (a constant, the caching and retry settings), made once per document. */
export class TaskParts {
  private readonly parts = new Map<string, YamlMap>();

  get(key: string, make: () => YamlMap): YamlMap {
    return sharedPart(this.parts, key, make);
  }

  /** `{runtimeValue: {constant}}` for a parameter value. */
  constant(value: ParamValue): YamlMap {
    const key = typeof value === 'string' ? `s${value}` : Array.isArray(value) ? `l${JSON.stringify(value)}` : `${typeof value}${value}`;
    return this.get(key, () => ({ runtimeValue: { constant: parameterConstant(value) } }));
  }
}

export function task(p: PlannedNode, componentName: string, parts: TaskParts, importerUri?: string): YamlMap {
  const parameters: YamlMap = {};
  const uriBinding = p.resolved.bindings.uri;
  if (importerUri !== undefined) parameters.uri = uriBinding ? { componentInputParameter: uriBinding } : { runtimeValue: { constant: importerUri } };
  else {
    const { params, bindings } = p.resolved;
    // A bound param takes the run's value of its pipeline parameter (root inputDefinitions).
    for (const name in params) parameters[name] = Object.hasOwn(bindings, name) ? { componentInputParameter: bindings[name] } : parts.constant(params[name]);
    parameters[NODE_ID_PARAMETER] = { runtimeValue: { constant: p.id } };
  }
  const artifacts: YamlMap = {};
  for (const i of p.inputs) artifacts[i.port] = { taskOutputArtifact: { producerTask: i.source, outputArtifactKey: i.sourcePort } };
  const { cache, retries } = p.resolved;
  return {
    taskInfo: { name: p.id },
    componentRef: parts.get(`component\n${componentName}`, () => ({ name: componentName })),
    dependentTasks: p.upstream.length > 0 ? [...p.upstream] : undefined,
    inputs: nonEmpty({ parameters, artifacts }),
    cachingOptions: parts.get(`cache\n${cache}`, () => ({ enableCache: cache })),
    retryPolicy: retries > 0 ? parts.get(`retry\n${retries}`, () => ({ maxRetryCount: retries, ...RETRY_BACKOFF })) : undefined,
  };
}

const PIPELINE_PARAMETER_TYPES: Record<PipelineParameterType, string> = {
  number: 'NUMBER_DOUBLE',
  integer: 'NUMBER_INTEGER',
  string: 'STRING',
  boolean: 'BOOLEAN',
};

/** A pipeline parameter's value as KFP must carry it (text protected for its trip to the step, as constants are). */
export function pipelineParameterValue(value: PipelineParameterValue): PipelineParameterValue {
  return typeof value === 'string' ? protectKfpText(value) : value;
}

/** The root's inputDefinitions: one per pipeline parameter, as the KFP SDK writes a pipeline function's arguments. */
export function rootInputDefinitions(parameters: readonly PipelineParameter[]): YamlMap | undefined {
  if (parameters.length === 0) return undefined;
  const defs: YamlMap = {};
  for (const p of parameters) {
    const def: YamlMap = { parameterType: PIPELINE_PARAMETER_TYPES[p.type] };
    if (p.default !== undefined) {
      def.defaultValue = pipelineParameterValue(p.default);
      def.isOptional = true;
    }
    if (p.description) def.description = p.description.slice(0, 1024);
    defs[p.name] = def;
  }
  return { parameters: defs };
}
