/** The container executor of one node: the step script carried in the command, flags in args, resources, env. */
import type { PipelineSettings } from '../../pipeline/types.ts';
import type { ResolvedNode } from '../../pipeline/resolve.ts';
import { cpuToCores, memoryToGigabytes } from '../../pipeline/quantity.ts';
import { KfpCompileError } from './errors.ts';
import { KfpDouble } from './yaml.ts';

/**
 * `sh -ec LAUNCHER SCRIPT ARGS...`: the script arrives as $0, is written to a file and run with the
 * remaining argv, the way KFP's lightweight components carry code, so any image with Python 3 works.
 */
export const STEP_LAUNCHER =
  'program_path=$(mktemp -d)\nprintf "%s" "$0" > "$program_path/step.py"\nexec python3 -u "$program_path/step.py" "$@"\n';

/** Linux refuses a single argv string over 128 KiB (MAX_ARG_STRLEN), and the script is one. */
export const MAX_SCRIPT_BYTES = 131072;

/**
 * Kubernetes expands `$(VAR)` and turns `$$` into `$` in a container's command, args and env values; a `$`
 * doubled only before `$` or `(` comes out of that expansion exactly as written, and nothing else changes.
 */
export function escapeKubeletExpansion(text: string): string {
  return text.replace(/\$(?=[$(])/g, () => '$$');
}

export const inputParameter = (name: string): string => `{{$.inputs.parameters['${name}']}}`;
export const inputArtifactPath = (port: string): string => `{{$.inputs.artifacts['${port}'].path}}`;
export const outputArtifactPath = (port: string): string => `{{$.outputs.artifacts['${port}'].path}}`;

/** Every flag is its own argv element and every value a whole-element placeholder, filled in by KFP without a shell. */
export function containerArgs(node: ResolvedNode, connectedInputs: ReadonlySet<string>, executorInput: boolean): string[] {
  const args: string[] = [];
  for (const name of Object.keys(node.params)) args.push(`--${name}`, inputParameter(name));
  for (const port of node.inputs) if (connectedInputs.has(port.name)) args.push(`--in-${port.name}`, inputArtifactPath(port.name));
  for (const port of node.outputs) args.push(`--out-${port.name}`, outputArtifactPath(port.name));
  if (executorInput) args.push('--executor-input', '{{$}}');
  return args;
}

function resourceSpec(node: ResolvedNode): Record<string, unknown> | undefined {
  const { cpu, memory, gpus, gpuResource } = node.resources;
  const spec: Record<string, unknown> = {};
  const convert = (field: string, text: string, to: (t: string) => number): KfpDouble => {
    try {
      return new KfpDouble(to(text));
    } catch (err) {
      throw new KfpCompileError(`node "${node.node.id}": resources.${field}: ${(err as Error).message}`, node.node.id);
    }
  };
  // Both styles, as current KFP SDKs write them: the string fields for backends >= 2.3, the numeric ones for older.
  if (cpu !== undefined && cpu !== '') {
    spec.resourceCpuLimit = cpu;
    spec.resourceCpuRequest = cpu;
    spec.cpuLimit = convert('cpu', cpu, cpuToCores);
    spec.cpuRequest = spec.cpuLimit;
  }
  if (memory !== undefined && memory !== '') {
    spec.resourceMemoryLimit = memory;
    spec.resourceMemoryRequest = memory;
    spec.memoryLimit = convert('memory', memory, memoryToGigabytes);
    spec.memoryRequest = spec.memoryLimit;
  }
  if (gpus !== undefined && gpus > 0) {
    const type = gpuResource || 'nvidia.com/gpu';
    spec.accelerator = { resourceType: type, resourceCount: String(gpus), type, count: String(gpus) };
  }
  return Object.keys(spec).length > 0 ? spec : undefined;
}

function scriptOf(node: ResolvedNode): string {
  const bytes = new TextEncoder().encode(node.script).length;
  if (bytes > MAX_SCRIPT_BYTES) {
    throw new KfpCompileError(
      `node "${node.node.id}": its step script is ${bytes} bytes; KFP passes it as one command-line argument, which Linux limits to ${MAX_SCRIPT_BYTES} bytes`,
      node.node.id,
    );
  }
  return escapeKubeletExpansion(node.script);
}

export function containerExecutor(
  node: ResolvedNode,
  settings: PipelineSettings,
  connectedInputs: ReadonlySet<string>,
): { container: Record<string, unknown> } {
  const executorInput = node.spec.type !== 'python' && node.outputs.some((p) => p.kind === 'metrics');
  const env = [{ name: 'PIPEWRIGHT_NODE_ID', value: node.node.id }];
  if (settings.mlflowTrackingUri) env.push({ name: 'MLFLOW_TRACKING_URI', value: escapeKubeletExpansion(settings.mlflowTrackingUri) });
  const container: Record<string, unknown> = {
    image: settings.image || node.spec.image,
    command: ['sh', '-ec', STEP_LAUNCHER, scriptOf(node)],
    args: containerArgs(node, connectedInputs, executorInput),
    env,
  };
  const resources = resourceSpec(node);
  if (resources) container.resources = resources;
  return { container };
}
