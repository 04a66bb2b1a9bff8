/**
 * "When the data changes" on Kubeflow Pipelines: the compiled PipelineSpec rewritten so that its root DAG is
 * `data-check` (the data-check step as a container component, output parameter `changed`) followed by
 * `pipeline`, the original root DAG moved into a sub-DAG component and run under a condition, the way the
 * KFP SDK compiles `with dsl.If(check.outputs['changed'] == 'true')`. Inside that sub-DAG `record-data`
 * runs after the original tasks' sinks: only when the pipeline ran and every task of it succeeded, so a
 * skipped or failed run never becomes the baseline. State lives in the same ConfigMap as on Argo.
 */
import { containerEnv } from '../../compile/kfp/container.ts';
import { KFP_LAUNCHER, protectKfpText } from '../../compile/kfp/launcher.ts';
import { KFP_RUN_ID_ENV, secretAsEnv } from '../../compile/kfp/platform.ts';
import type { YamlMap } from '../../compile/kfp/yaml.ts';
import { stepImage } from '../../pipeline/image.ts';
import type { NodeCatalog } from '../../pipeline/catalog.ts';
import { resolveNode } from '../../pipeline/resolve.ts';
import type { PipelineDocument, PipelineParameterValue } from '../../pipeline/types.ts';
import { ScheduleError, type ScheduleSpec } from '../types.ts';
import { dataCheckConfigMapName } from './argo.ts';
import { base64Utf8, dataCheckInputs } from './inputs.ts';

export const KFP_DATA_CHECK_TASK = 'data-check';
export const KFP_PIPELINE_TASK = 'pipeline';
export const KFP_RECORD_DATA_TASK = 'record-data';
/** The sub-DAG's inputs carrying the check's outputs, named as the KFP SDK names a pipeline channel. */
export const CHANGED_CHANNEL = `pipelinechannel--${KFP_DATA_CHECK_TASK}-changed`;
export const FINGERPRINTS_CHANNEL = `pipelinechannel--${KFP_DATA_CHECK_TASK}-fingerprints`;
/** The condition on the `pipeline` task, as the KFP SDK writes `dsl.If(changed == 'true')`. */
export const KFP_DATA_CHANGED_CONDITION = `inputs.parameter_values['${CHANGED_CHANNEL}'] == 'true'`;
/** The data-check pods learn their namespace (the run's) from the downward API. */
export const NAMESPACE_ENV = 'PIPEWRIGHT_NAMESPACE';
const OUTPUTS = ['changed', 'message', 'fingerprints'] as const;

type Tasks = Record<string, YamlMap & { dependentTasks?: string[]; componentRef?: { name: string } }>;

/** A name not yet among `taken` keys: `base`, else `base-2`, ... */
function freeName(taken: YamlMap, base: string): string {
  let name = base;
  for (let i = 2; Object.hasOwn(taken, name); i++) name = `${base}-${i}`;
  return name;
}

/**
 * `pipeline` (the compiled PipelineSpec document) and its PlatformSpec document (`platform`, if any) with
 * the data check around the root DAG. Inputs are not changed; new objects are returned.
 */
export function withKfpDataCheck(
  pipeline: YamlMap,
  platform: YamlMap | undefined,
  doc: PipelineDocument,
  catalog: NodeCatalog,
  spec: ScheduleSpec,
  values: Readonly<Record<string, PipelineParameterValue>>,
): { pipeline: YamlMap; platform: YamlMap } {
  const script = catalog.dataCheckScript;
  if (!script) throw new ScheduleError('this build of Pipewright has no data-check step script, so "when the data changes" cannot run on a cluster', 'trigger');
  const inputs = dataCheckInputs(doc, catalog, values);
  if (inputs.length === 0) throw new ScheduleError('the pipeline has no dataset (or ko-bench data) input whose changes could start a run; use a plain cron schedule', 'trigger');

  const root = pipeline.root as YamlMap & { dag: YamlMap & { tasks: Tasks }; inputDefinitions?: YamlMap };
  const innerTasks = root.dag.tasks;
  for (const name of [KFP_RECORD_DATA_TASK]) {
    if (Object.hasOwn(innerTasks, name)) throw new ScheduleError(`node "${name}" has the name of the data check's own step; rename the node to schedule "when the data changes" on KFP`, 'trigger');
  }
  const components = { ...(pipeline.components as YamlMap) };
  const executors = { ...((pipeline.deploymentSpec as YamlMap).executors as YamlMap) };
  const platformExecutors = {
    ...(((((platform?.platforms as YamlMap | undefined)?.kubernetes as YamlMap | undefined)?.deploymentSpec as YamlMap | undefined)?.executors as YamlMap | undefined) ?? {}),
  };

  // The image is the first data-reading step's (the catalog's, when KFP imports the data itself); env from the readers' containers.
  const first = doc.nodes.find((n) => n.id === inputs[0].nodeId)!;
  const resolved = resolveNode(first, catalog, values);
  if (!resolved) throw new ScheduleError(`node "${first.id}" has no step type the catalog knows, so the data check has no image`, 'trigger');
  const image = stepImage(first, resolved.spec, doc.settings ?? {}).image;
  if (image.includes('{{')) throw new ScheduleError(`the image of node "${first.id}" cannot contain "{{" in a KFP pipeline`, 'trigger');
  const env = new Map<string, YamlMap>([['PIPEWRIGHT_NODE_ID', { name: 'PIPEWRIGHT_NODE_ID', value: KFP_DATA_CHECK_TASK }]]);
  for (const e of containerEnv(doc.settings ?? {}, doc.name)) env.set(String(e.name), e);
  const samples = new Map<string, string>();
  for (const input of inputs) {
    const component = components[String(innerTasks[input.nodeId]?.componentRef?.name)] as YamlMap | undefined;
    const container = (executors[String(component?.executorLabel)] as YamlMap | undefined)?.container as { env?: YamlMap[]; command?: string[] } | undefined;
    for (const e of container?.env ?? []) if (!env.has(String(e.name))) env.set(String(e.name), e);
    // A bundled sample follows the script as `--pipewright-sample=NAME TEXT` (already protected for KFP).
    const command = container?.command ?? [];
    for (let i = 5; i + 1 < command.length; i += 2) if (command[i].startsWith('--pipewright-sample=')) samples.set(command[i], command[i + 1]);
  }
  const command = ['python3', '-u', '-c', KFP_LAUNCHER, protectKfpText(script)];
  for (const [flag, text] of samples) command.push(flag, text);
  const secrets = doc.settings?.secretEnv?.length ? secretAsEnv(doc.settings.secretEnv) : undefined;

  const common = (): string[] => ['--configmap', dataCheckConfigMapName(doc.name, spec.name), '--schedule', spec.name, '--pipeline', doc.name];
  const container = (args: string[]): YamlMap => ({
    image,
    command,
    args,
    env: [...env.values()],
    resources: { resourceCpuRequest: '100m', resourceMemoryRequest: '128Mi', resourceMemoryLimit: '512Mi', cpuRequest: 0.1, memoryRequest: 0.134217728, memoryLimit: 0.536870912 },
  });
  const platformConfig: YamlMap = {
    ...(secrets ? { secretAsEnv: secrets } : {}),
    fieldPathAsEnv: [{ name: NAMESPACE_ENV, fieldPath: 'metadata.namespace' }, { ...KFP_RUN_ID_ENV }],
  };

  const checkName = freeName({ ...components, ...executors }, `comp-${KFP_DATA_CHECK_TASK}`).slice('comp-'.length);
  components[`comp-${checkName}`] = {
    executorLabel: `exec-${checkName}`,
    outputDefinitions: { parameters: Object.fromEntries(OUTPUTS.map((o) => [o, { parameterType: 'STRING' }])) },
  };
  executors[`exec-${checkName}`] = {
    container: container([
      'check',
      ...common(),
      '--inputs',
      base64Utf8(JSON.stringify(inputs)),
      ...OUTPUTS.flatMap((o) => [`--out-${o}`, `{{$.outputs.parameters['${o}'].output_file}}`]),
    ]),
  };
  platformExecutors[`exec-${checkName}`] = platformConfig;

  const recordName = freeName({ ...components, ...executors }, `comp-${KFP_RECORD_DATA_TASK}`).slice('comp-'.length);
  components[`comp-${recordName}`] = {
    executorLabel: `exec-${recordName}`,
    inputDefinitions: { parameters: { fingerprints: { parameterType: 'STRING' }, run: { parameterType: 'STRING' } } },
  };
  executors[`exec-${recordName}`] = {
    container: container(['record', ...common(), '--fingerprints', "{{$.inputs.parameters['fingerprints']}}", '--run', "{{$.inputs.parameters['run']}}"]),
  };
  platformExecutors[`exec-${recordName}`] = platformConfig;

  // record-data after the sinks (tasks nothing else waits for): it runs only when all of them succeeded.
  const waitedFor = new Set(Object.values(innerTasks).flatMap((t) => t.dependentTasks ?? []));
  const sinks = Object.keys(innerTasks).filter((name) => !waitedFor.has(name));
  const noCache = { enableCache: false };
  // KFP's cache would defeat the check: a dataset task's inputs (its URI) and an imported object's artifact (an
  // importer reuses the artifact of a URI it imported before) stay the same when the data behind them changed,
  // so the data-reading tasks and their direct consumers would reuse the last run's outputs. They run uncached.
  const dataTasks = new Set(inputs.map((i) => i.nodeId));
  const readsData = (name: string, t: Tasks[string]) =>
    dataTasks.has(name) ||
    (t.dependentTasks ?? []).some((d) => dataTasks.has(d)) ||
    Object.values(((t.inputs as YamlMap | undefined)?.artifacts ?? {}) as Record<string, { taskOutputArtifact?: { producerTask?: string } }>).some((a) => dataTasks.has(String(a.taskOutputArtifact?.producerTask)));
  const freshTasks: Tasks = Object.fromEntries(Object.entries(innerTasks).map(([name, t]) => [name, readsData(name, t) && t.cachingOptions ? { ...t, cachingOptions: { ...(t.cachingOptions as YamlMap), enableCache: false } } : t]));
  const subTasks: Tasks = {
    ...freshTasks,
    [KFP_RECORD_DATA_TASK]: {
      cachingOptions: noCache,
      componentRef: { name: `comp-${recordName}` },
      dependentTasks: sinks,
      inputs: {
        parameters: {
          fingerprints: { componentInputParameter: FINGERPRINTS_CHANNEL },
          // Resolved by KFP's driver, as the SDK's dsl.PIPELINE_JOB_NAME_PLACEHOLDER.
          run: { runtimeValue: { constant: '{{$.pipeline_job_name}}' } },
        },
      },
      taskInfo: { name: KFP_RECORD_DATA_TASK },
    },
  };
  const rootParameters = ((root.inputDefinitions?.parameters as YamlMap | undefined) ?? {}) as Record<string, YamlMap>;
  const subParameters: YamlMap = {};
  const passed: YamlMap = {};
  for (const [name, definition] of Object.entries(rootParameters)) {
    subParameters[name] = { parameterType: definition.parameterType };
    passed[name] = { componentInputParameter: name };
  }
  subParameters[CHANGED_CHANNEL] = { parameterType: 'STRING' };
  subParameters[FINGERPRINTS_CHANNEL] = { parameterType: 'STRING' };
  passed[CHANGED_CHANNEL] = { taskOutputParameter: { producerTask: KFP_DATA_CHECK_TASK, outputParameterKey: 'changed' } };
  passed[FINGERPRINTS_CHANNEL] = { taskOutputParameter: { producerTask: KFP_DATA_CHECK_TASK, outputParameterKey: 'fingerprints' } };
  const pipelineName = freeName(components, `comp-${KFP_PIPELINE_TASK}`);
  // The pipeline's metrics outputs stay on their tasks: the SDK lets no output out of a condition group.
  components[pipelineName] = { dag: { tasks: subTasks }, inputDefinitions: { parameters: subParameters } };

  const wrapped: YamlMap = {
    ...pipeline,
    components,
    deploymentSpec: { ...(pipeline.deploymentSpec as YamlMap), executors },
    root: {
      dag: {
        tasks: {
          [KFP_DATA_CHECK_TASK]: { cachingOptions: noCache, componentRef: { name: `comp-${checkName}` }, taskInfo: { name: KFP_DATA_CHECK_TASK } },
          [KFP_PIPELINE_TASK]: {
            componentRef: { name: pipelineName },
            dependentTasks: [KFP_DATA_CHECK_TASK],
            inputs: { parameters: passed },
            taskInfo: { name: KFP_PIPELINE_TASK },
            triggerPolicy: { condition: KFP_DATA_CHANGED_CONDITION },
          },
        },
      },
      inputDefinitions: root.inputDefinitions,
    },
  };
  return { pipeline: wrapped, platform: { platforms: { kubernetes: { deploymentSpec: { executors: platformExecutors } } } } };
}
