/** The container executor of a step: the step script carried in the command, flags in args, resources, env. */
import { trainingEnv } from '../trainingLaunch.ts';
import { stepImage } from '../../pipeline/image.ts';
import type { PipelineSettings } from '../../pipeline/types.ts';
import { cpuToCores, memoryToGigabytes } from '../../pipeline/quantity.ts';
import { CompileError } from '../plan.ts';
import type { PlannedNode } from '../plan.ts';
import { escapeKubeletExpansion, literalField } from './launcher.ts';
import type { YamlMap } from './yaml.ts';

/**
 * The task input that carries the node id: executors are shared by tasks, so the id cannot sit in their env.
 * Parameter names never hold '-', so it cannot meet one of the node's own.
 */
export const NODE_ID_PARAMETER = 'pipewright-node-id';

export const inputParameter = (name: string): string => `{{$.inputs.parameters['${name}']}}`;
export const inputArtifactPath = (port: string): string => `{{$.inputs.artifacts['${port}'].path}}`;
export const outputArtifactPath = (port: string): string => `{{$.outputs.artifacts['${port}'].path}}`;

/** Catalog steps with a metrics output get KFP's executor input, to write the metrics the KFP UI shows. */
export function wantsExecutorInput(p: PlannedNode): boolean {
  return p.resolved.spec.type !== 'python' && p.resolved.outputs.some((o) => o.kind === 'metrics');
}

/**
 * Each flag its own argv element, each value a whole-element placeholder that KFP fills in without a shell;
 * the node id first, for the launcher to take off and put in PIPEWRIGHT_NODE_ID.
 */
export function containerArgs(p: PlannedNode): string[] {
  const args: string[] = ['--pipewright-node-id', inputParameter(NODE_ID_PARAMETER)];
  for (const name of Object.keys(p.resolved.params)) args.push(`--${name}`, inputParameter(name));
  for (const input of p.inputs) args.push(`--in-${input.port}`, inputArtifactPath(input.port));
  for (const output of p.resolved.outputs) args.push(`--out-${output.name}`, outputArtifactPath(output.name));
  if (wantsExecutorInput(p)) args.push('--executor-input', '{{$}}');
  return args;
}

function converted(p: PlannedNode, field: string, text: string, to: (t: string) => number): number {
  try {
    return to(text);
  } catch (err) {
    throw new CompileError(`node "${p.id}": resources.${field}: ${(err as Error).message}`, { nodeId: p.id, field: `resources.${field}` });
  }
}

/** Both styles, as current KFP SDKs write them: string fields (backends >= 2.3) and the deprecated numeric ones. */
export function resourceSpec(p: PlannedNode): YamlMap | undefined {
  const { cpu, memory, gpus, gpuResource } = p.resolved.resources;
  const spec: YamlMap = {};
  if (cpu) {
    spec.resourceCpuLimit = literalField(cpu, p.id, 'resources.cpu');
    spec.resourceCpuRequest = cpu;
    spec.cpuLimit = converted(p, 'cpu', cpu, cpuToCores);
    spec.cpuRequest = spec.cpuLimit;
  }
  if (memory) {
    spec.resourceMemoryLimit = literalField(memory, p.id, 'resources.memory');
    spec.resourceMemoryRequest = memory;
    // KFP's numeric memory fields are decimal gigabytes: 256Mi -> 0.268435456.
    spec.memoryLimit = converted(p, 'memory', memory, memoryToGigabytes);
    spec.memoryRequest = spec.memoryLimit;
  }
  if (gpus !== undefined && gpus > 0) {
    const type = literalField(gpuResource || 'nvidia.com/gpu', p.id, 'resources.gpuResource');
    spec.accelerator = { resourceType: type, resourceCount: String(gpus), type, count: String(gpus) };
  }
  return Object.keys(spec).length > 0 ? spec : undefined;
}

/** The env every container gets: the pipeline name, the MLflow and Pushgateway URLs when set (PIPEWRIGHT_NODE_ID comes from the launcher). */
export function containerEnv(settings: PipelineSettings, pipeline: string): YamlMap[] {
  const env: YamlMap[] = [{ name: 'PIPEWRIGHT_PIPELINE', value: pipeline }];
  const url = (name: string, value: string | undefined, field: string) => {
    if (value) env.push({ name, value: escapeKubeletExpansion(literalField(value, undefined, field)) });
  };
  url('MLFLOW_TRACKING_URI', settings.mlflowTrackingUri, 'settings.mlflowTrackingUri');
  url('PIPEWRIGHT_PUSHGATEWAY_URL', settings.pushgatewayUrl, 'settings.pushgatewayUrl');
  return env;
}

/** The executor's container; `command` comes from LauncherCommands, `env` from containerEnv. */
export function containerExecutor(p: PlannedNode, settings: PipelineSettings, command: string[], env: YamlMap[]): YamlMap {
  const own = trainingEnv(p, settings).map(({ name, value }) => ({ name, value: escapeKubeletExpansion(value) }));
  const container: YamlMap = {
    image: literalField(stepImage(p.resolved.node, p.resolved.spec, settings).image, p.id, 'image'),
    command,
    args: containerArgs(p),
    env: own.length > 0 ? [...env, ...own] : env,
    resources: resourceSpec(p),
  };
  return { container };
}

/**
 * Everything a step's component, executor and platform config are made from, as one short string: two
 * steps with the same signature compile to the same definitions (kfp.test.ts checks it on random pipelines).
 * `command` is the LauncherCommands id; env and secrets are the same for every step of a document.
 */
export function containerSignature(p: PlannedNode, command: number, settings: PipelineSettings): string {
  const r = p.resolved;
  const { cpu, memory, gpus, gpuResource, gpuProduct, tolerations } = r.resources;
  // The type only names the component, but a `cpt` task using `comp-sft` would read wrongly.
  let key = `${r.spec.type}\n${command}\n${stepImage(r.node, r.spec, settings).image}\n${wantsExecutorInput(p)}\n${cpu}\n${memory}\n${gpus}\n${gpuResource}\n${gpuProduct}\n`;
  key += tolerations && tolerations.length > 0 ? JSON.stringify(tolerations) : '';
  for (const spec of r.paramSpecs) if (Object.hasOwn(r.params, spec.name)) key += `\np${spec.name}:${spec.type}`;
  let next = 0;
  for (const port of r.inputs) {
    const connected = p.inputs[next]?.port === port.name;
    if (connected) next++;
    key += `\ni${port.name}:${port.kind}:${connected}`;
  }
  for (const port of r.outputs) key += `\no${port.name}:${port.kind}`;
  return key;
}

