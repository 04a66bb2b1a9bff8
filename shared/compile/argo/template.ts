/** One Argo container template per pipeline node. */
import { stepImage } from '../../pipeline/image.ts';
import type { PipelineSettings, Toleration } from '../../pipeline/types.ts';
import { sharedPart, sharedYaml } from '../emitYaml.ts';
import type { YamlValue } from '../emitYaml.ts';
import type { PlannedNode } from '../plan.ts';
import { CompileError, datasetSource, formatArgValue, paramSamples, sampleText } from '../plan.ts';
import { utf8Length } from '../largeText.ts';
import { CHECKPOINT_MOUNT, CHECKPOINT_VOLUME, checkpointPvc, trainingEnv } from '../trainingLaunch.ts';
import type { WorkflowTexts } from './globals.ts';
import { escapeKubernetesVars, LAUNCHER, launcherCommand, MAX_ARG_BYTES, protectArgoArg } from './launcher.ts';

type YamlMap = { [key: string]: YamlValue | undefined };

export const INPUTS_DIR = '/tmp/inputs';
export const OUTPUTS_DIR = '/tmp/outputs';
export const GPU_PRODUCT_LABEL = 'nvidia.com/gpu.product';

// Deterministic failures (bad arguments, missing input, missing library: the step-script contract's
// exit codes 2, 3, 4) are not retried; crashes, OOM kills, preemption and pod errors are.
export const RETRY_EXPRESSION = "lastRetry.status == 'Error' || !(lastRetry.exitCode in ['2', '3', '4'])";

export interface TemplateContext {
  pipeline: string;
  settings: PipelineSettings;
  samples: Readonly<Record<string, string>> | undefined;
  texts: WorkflowTexts;
  /** Texts whose size was checked already. */
  measured: Set<string>;
  /** Parts that many nodes share, made once per document and written once by the emitter. */
  memo: Map<string, YamlValue>;
}

/** The part `key` names, made by `make` the first time (which may throw for the node at hand). */
function memoized<T extends YamlMap | YamlValue[]>(ctx: TemplateContext, key: string, make: () => T): T {
  return sharedPart(ctx.memo as Map<string, T>, key, make);
}

/** A string that goes into the Workflow verbatim, where Argo would read `{{` as a placeholder. */
export function plainField(value: string, nodeId: string | undefined, field: string): string {
  if (value.includes('{{')) {
    throw new CompileError(`${field} ${JSON.stringify(value)}${nodeId ? ` of node "${nodeId}"` : ''} cannot contain "{{" in an Argo workflow`, { nodeId, field });
  }
  return value;
}

function tolerationYaml(t: Toleration, nodeId: string, i: number): YamlMap {
  const field = `resources.tolerations.${i}`;
  return {
    key: t.key === undefined ? undefined : plainField(t.key, nodeId, `${field}.key`),
    operator: t.operator,
    value: t.value === undefined ? undefined : plainField(t.value, nodeId, `${field}.value`),
    effect: t.effect,
    tolerationSeconds: t.tolerationSeconds,
  };
}

function resourcesYaml(p: PlannedNode, ctx: TemplateContext): YamlMap | undefined {
  const r = p.resolved.resources;
  if (!r.cpu && !r.memory && !(r.gpus && r.gpus > 0)) return undefined;
  return memoized(ctx, `resources\n${r.cpu}\n${r.memory}\n${r.gpus}\n${r.gpuResource}`, () => resourcesOf(p)!);
}

function resourcesOf(p: PlannedNode): YamlMap | undefined {
  const r = p.resolved.resources;
  const requests: YamlMap = {};
  const limits: YamlMap = {};
  if (r.cpu) requests.cpu = limits.cpu = plainField(r.cpu, p.id, 'resources.cpu');
  if (r.memory) requests.memory = limits.memory = plainField(r.memory, p.id, 'resources.memory');
  if (r.gpus && r.gpus > 0) limits[plainField(r.gpuResource || 'nvidia.com/gpu', p.id, 'resources.gpuResource')] = String(r.gpus);
  const out: YamlMap = {};
  if (Object.keys(requests).length) out.requests = requests;
  if (Object.keys(limits).length) out.limits = limits;
  return Object.keys(out).length ? out : undefined;
}

function envYaml(p: PlannedNode, ctx: TemplateContext): YamlMap[] {
  // Everything after the node id is the same for every node of the document.
  return [{ name: 'PIPEWRIGHT_NODE_ID', value: p.id }, ...memoized(ctx, 'env', () => sharedEnv(ctx))];
}

function sharedEnv(ctx: TemplateContext): YamlMap[] {
  const env: YamlMap[] = [{ name: 'PIPEWRIGHT_RUN_ID', value: '{{workflow.name}}' }, { name: 'PIPEWRIGHT_PIPELINE', value: ctx.pipeline }];
  if (ctx.settings.mlflowTrackingUri) env.push({ name: 'MLFLOW_TRACKING_URI', value: escapeKubernetesVars(plainField(ctx.settings.mlflowTrackingUri, undefined, 'settings.mlflowTrackingUri')) });
  if (ctx.settings.pushgatewayUrl) env.push({ name: 'PIPEWRIGHT_PUSHGATEWAY_URL', value: escapeKubernetesVars(plainField(ctx.settings.pushgatewayUrl, undefined, 'settings.pushgatewayUrl')) });
  (ctx.settings.secretEnv ?? []).forEach((s, i) => {
    const field = `settings.secretEnv.${i}`;
    env.push({
      name: plainField(s.env, undefined, `${field}.env`),
      valueFrom: { secretKeyRef: { name: plainField(s.secret, undefined, `${field}.secret`), key: plainField(s.key, undefined, `${field}.key`) } },
    });
  });
  return env.map(sharedYaml);
}

function stepArgs(p: PlannedNode): string[] {
  const args: string[] = [];
  const { bindings } = p.resolved;
  // A bound param is the run's value of the workflow parameter: the whole argv element, never part of one.
  for (const [name, value] of Object.entries(p.resolved.params)) {
    args.push(`--${name}`, Object.hasOwn(bindings, name) ? `{{workflow.parameters.${bindings[name]}}}` : protectArgoArg(formatArgValue(value)));
  }
  for (const input of p.inputs) args.push(`--in-${input.port}`, `${INPUTS_DIR}/${input.port}`);
  for (const output of p.resolved.outputs) args.push(`--out-${output.name}`, `${OUTPUTS_DIR}/${output.name}`);
  return args;
}

/** The bundled samples a step needs (a dataset's URI, or a parameter naming one): they travel in the command, to the launcher. */
function sampleFor(p: PlannedNode, ctx: TemplateContext): [string, string][] {
  if (!p.resolved.spec.importer) {
    return paramSamples(p, ctx.samples).map((s) => {
      checkArgSize(ctx, s.text, `sample "${s.name}"`, p.id, `params.${s.param}`);
      return [s.name, ctx.texts.ref(`sample-${s.name}`, s.text)];
    });
  }
  const uri = p.resolved.params.uri;
  if (typeof uri !== 'string') return [];
  const source = datasetSource(uri);
  if (source.kind !== 'sample') return [];
  const text = sampleText(ctx.samples, source.name, p.id);
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(source.name)) throw new CompileError(`node "${p.id}": sample name "${source.name}" is not a plain file name`, { nodeId: p.id, param: 'uri' });
  checkArgSize(ctx, text, `sample "${source.name}"`, p.id, 'params.uri');
  return [[source.name, ctx.texts.ref(`sample-${source.name}`, text)]];
}

/** The node's script, by reference: one parameter per catalog type, one per custom node. */
function scriptFor(p: PlannedNode, ctx: TemplateContext): string {
  const script = checkArgSize(ctx, p.resolved.script, 'step script', p.id, 'code');
  return ctx.texts.ref(p.resolved.spec.type === 'python' ? `code-${p.id}` : `step-${p.resolved.spec.type}`, script);
}

function checkArgSize(ctx: TemplateContext, text: string, what: string, nodeId: string, field: string): string {
  // UTF-8 needs at most 3 bytes per UTF-16 unit, so most texts need no encoding to be measured; nodes
  // of one type share one script string, so each is encoded once.
  if (text.length * 3 <= MAX_ARG_BYTES || ctx.measured.has(text)) return text;
  const bytes = utf8Length(text);
  if (bytes > MAX_ARG_BYTES) {
    throw new CompileError(`node "${nodeId}": its ${what} is ${bytes} bytes; the container gets it as one argument, which Linux limits to ${MAX_ARG_BYTES} bytes`, { nodeId, field });
  }
  ctx.measured.add(text);
  return text;
}

/** The launcher command of a step; one list per script, since nodes of one type share it. */
function commandFor(p: PlannedNode, ctx: TemplateContext): string[] {
  const launcher = ctx.texts.ref('pipewright-launcher', LAUNCHER);
  const script = scriptFor(p, ctx);
  const samples = sampleFor(p, ctx);
  if (samples.length > 0) return launcherCommand(launcher, script, samples);
  return memoized(ctx, `command\n${script}`, () => launcherCommand(launcher, script));
}

function artifactsYaml(ctx: TemplateContext, dir: string, ports: readonly string[]): YamlMap | undefined {
  if (ports.length === 0) return undefined;
  return { artifacts: ports.map((name) => memoized(ctx, `artifact\n${dir}\n${name}`, () => ({ name, path: `${dir}/${name}` }))) };
}

function retryYaml(ctx: TemplateContext, retries: number): YamlMap | undefined {
  if (retries <= 0) return undefined;
  return memoized(ctx, `retry\n${retries}`, () => ({
    limit: String(retries),
    retryPolicy: 'Always',
    expression: RETRY_EXPRESSION,
    backoff: { duration: '1m', factor: '2' },
  }));
}

export function containerTemplate(p: PlannedNode, ctx: TemplateContext): YamlMap {
  const { resolved } = p;
  const { gpuProduct, tolerations } = resolved.resources;
  const { image } = stepImage(resolved.node, resolved.spec, ctx.settings);
  return {
    name: p.id,
    metadata: { labels: { 'pipewright.dev/pipeline': ctx.pipeline, 'pipewright.dev/node': p.id } },
    inputs: artifactsYaml(ctx, INPUTS_DIR, p.inputs.map((i) => i.port)),
    outputs: artifactsYaml(ctx, OUTPUTS_DIR, resolved.outputs.map((o) => o.name)),
    nodeSelector: gpuProduct ? { [GPU_PRODUCT_LABEL]: plainField(gpuProduct, p.id, 'resources.gpuProduct') } : undefined,
    tolerations: tolerations?.length ? tolerations.map((t, i) => tolerationYaml(t, p.id, i)) : undefined,
    retryStrategy: retryYaml(ctx, resolved.retries),
    container: {
      image: plainField(image, p.id, 'image'),
      command: commandFor(p, ctx),
      args: stepArgs(p),
      env: [...envYaml(p, ctx), ...trainingEnv(p, ctx.settings).map(({ name, value }) => ({ name, value: escapeKubernetesVars(plainField(value, p.id, 'image')) }))],
      resources: resourcesYaml(p, ctx),
      volumeMounts: checkpointPvc(p, ctx.settings) ? [{ name: CHECKPOINT_VOLUME, mountPath: CHECKPOINT_MOUNT }] : undefined,
    },
  };
}
