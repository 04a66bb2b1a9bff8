import type { KubeObject } from '../types.ts';
import { isRecord } from '../types.ts';

/**
 * The Argo Workflow KFP v2's backend compiles a pipeline run into: an `entrypoint` DAG with
 * `root-driver` and `root`, and per pipeline task a `<task>-driver` (system-container-driver pod)
 * followed by `<task>` (system-container-executor DAG) whose `executor` task runs the component in a
 * `system-container-impl` pod. The emulated drivers hand the component's container to the executor
 * through `pod-spec-patch`, as the real driver does.
 */

type Json = Record<string, unknown>;

export interface KfpRunInput {
  runId: string;
  displayName: string;
  namespace: string;
  pipelineSpec: Json;
  /** The PlatformSpec that came with the pipeline spec (kubernetes executor config), if any. */
  platformSpec?: Json;
  parameters: Json;
  pipelineRoot?: string;
}

const DRIVER_IMAGE = 'ghcr.io/kubeflow/kfp-driver:2.5.0';
const LAUNCHER_IMAGE = 'ghcr.io/kubeflow/kfp-launcher:2.5.0';

function str(v: unknown): string {
  return v === undefined || v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v);
}

function seconds(duration: unknown): string {
  const m = /^(\d+(?:\.\d+)?)s$/.exec(str(duration));
  return m ? m[1] : '0';
}

/** `{{$.inputs.parameters['x']}}`, artifact paths and `{{$}}` in a component's command line. */
function resolvePlaceholders(text: string, task: Json, input: KfpRunInput, taskName: string): string {
  const rootDefaults = ((((input.pipelineSpec.root as Json)?.inputDefinitions as Json)?.parameters ?? {}) as Record<string, Json>);
  const params = ((task.inputs as Json)?.parameters ?? {}) as Record<string, Json>;
  const valueOf = (name: string): string => {
    const p = params[name];
    if (!p) return '';
    if (p.componentInputParameter !== undefined) {
      const key = String(p.componentInputParameter);
      return str(input.parameters[key] ?? rootDefaults[key]?.defaultValue);
    }
    const constant = (p.runtimeValue as Json)?.constant;
    return str(constant);
  };
  const root = input.pipelineRoot || 'minio://mlpipeline/v2/artifacts';
  return text
    .replace(/\{\{\$\.inputs\.parameters\[['"]([^'"]+)['"]\]\}\}/g, (_m, name: string) => valueOf(name))
    .replace(/\{\{\$\.(inputs|outputs)\.artifacts\[['"]([^'"]+)['"]\]\.(path|uri)\}\}/g, (_m, _io, name: string, kind: string) =>
      kind === 'path' ? `/minio/mlpipeline/v2/artifacts/${input.runId}/${taskName}/${name}` : `${root}/${input.runId}/${taskName}/${name}`,
    )
    .replace(/\{\{\$\.outputs\.parameters\[['"]([^'"]+)['"]\]\.output_file\}\}/g, (_m, name: string) => `/tmp/kfp_outputs/${name}`)
    .replace(/\{\{\$\}\}/g, '{"inputs":{},"outputs":{}}');
}

function podSpecPatch(task: Json, input: KfpRunInput, taskName: string): string {
  const components = (input.pipelineSpec.components ?? {}) as Record<string, Json>;
  const component = components[str((task.componentRef as Json)?.name)] ?? {};
  const executors = (((input.pipelineSpec.deploymentSpec as Json)?.executors ?? {}) as Record<string, Json>);
  const container = (executors[str(component.executorLabel)]?.container ?? {}) as Json;
  const resolve = (list: unknown) => ((list as unknown[]) ?? []).map((a) => resolvePlaceholders(str(a), task, input, taskName));
  const userCommand = [...resolve(container.command), ...resolve(container.args)];
  const main: Json = {
    name: 'main',
    image: str(container.image) || 'python:3.11',
    command: ['/kfp-launcher/launch', '--pipeline_name', str((input.pipelineSpec.pipelineInfo as Json)?.name), '--run_id', input.runId, '--execution_id', '1', '--executor_input', '{}', '--component_spec', JSON.stringify(component), '--pod_name', '$(KFP_POD_NAME)', '--pod_uid', '$(KFP_POD_UID)', '--mlmd_server_address', '$(METADATA_GRPC_SERVICE_HOST)', '--mlmd_server_port', '$(METADATA_GRPC_SERVICE_PORT)', '--', ...userCommand],
  };
  const resources = container.resources as Json | undefined;
  if (resources) {
    const limits: Record<string, string> = {};
    if (resources.resourceCpuLimit ?? resources.cpuLimit) limits.cpu = str(resources.resourceCpuLimit ?? resources.cpuLimit);
    if (resources.resourceMemoryLimit ?? resources.memoryLimit) limits.memory = str(resources.resourceMemoryLimit ?? `${resources.memoryLimit}G`);
    const acc = resources.accelerator as Json | undefined;
    if (acc) limits[str(acc.resourceType ?? acc.type) || 'nvidia.com/gpu'] = str(acc.resourceCount ?? acc.count ?? '1');
    if (Object.keys(limits).length) main.resources = { limits };
  }
  return JSON.stringify({ containers: [main] });
}

function driverTemplate(name: string, type: 'DAG' | 'CONTAINER'): Json {
  return {
    name,
    inputs: { parameters: [{ name: 'component' }, { name: 'task' }, { name: 'parent-dag-id', default: '0' }, { name: 'emulated-pod-spec-patch', default: '' }] },
    outputs: {
      parameters: [
        { name: 'execution-id', valueFrom: { path: '/tmp/outputs/execution-id', default: '1' } },
        { name: 'pod-spec-patch', valueFrom: { path: '/tmp/outputs/pod-spec-patch', default: '{{inputs.parameters.emulated-pod-spec-patch}}' } },
        { name: 'cached-decision', default: 'false', valueFrom: { path: '/tmp/outputs/cached-decision', default: 'false' } },
        { name: 'condition', valueFrom: { path: '/tmp/outputs/condition', default: 'true' } },
      ],
    },
    container: {
      image: DRIVER_IMAGE,
      command: ['driver'],
      args: ['--type', type, '--component', '{{inputs.parameters.component}}', '--task', '{{inputs.parameters.task}}', '--dag_execution_id', '{{inputs.parameters.parent-dag-id}}'],
    },
  };
}

/** An importer task is one launcher pod of its own, with no driver. */
function importerTemplate(): Json {
  return {
    name: 'system-importer',
    inputs: { parameters: [{ name: 'task' }, { name: 'component' }, { name: 'importer' }, { name: 'parent-dag-id', default: '0' }] },
    container: {
      image: LAUNCHER_IMAGE,
      command: ['launcher-v2'],
      args: ['--executor_type', 'importer', '--task_spec', '{{inputs.parameters.task}}', '--component_spec', '{{inputs.parameters.component}}', '--importer_spec', '{{inputs.parameters.importer}}', '--parent_dag_id', '{{inputs.parameters.parent-dag-id}}'],
    },
  };
}

function executorTemplates(retry: boolean): Json[] {
  const prefix = retry ? 'retry-' : '';
  const retryParams = retry ? [{ name: 'retry-max-count', default: '0' }, { name: 'retry-backoff-duration', default: '0' }, { name: 'retry-backoff-factor', default: '1' }, { name: 'retry-backoff-max-duration', default: '0' }] : [];
  const impl: Json = {
    name: `${prefix}system-container-impl`,
    inputs: { parameters: [{ name: 'pod-spec-patch' }, ...retryParams.map((p) => ({ name: p.name }))] },
    podSpecPatch: '{{inputs.parameters.pod-spec-patch}}',
    initContainers: [{ name: 'kfp-launcher', image: LAUNCHER_IMAGE, command: ['launcher-v2', '--copy', '/kfp-launcher/launch'] }],
    container: { image: 'gcr.io/ml-pipeline/should-be-overridden-during-runtime', command: ['should-be-overridden-during-runtime'] },
  };
  if (retry) {
    impl.retryStrategy = {
      limit: '{{inputs.parameters.retry-max-count}}',
      backoff: { duration: '{{inputs.parameters.retry-backoff-duration}}', factor: '{{inputs.parameters.retry-backoff-factor}}', maxDuration: '{{inputs.parameters.retry-backoff-max-duration}}' },
    };
  }
  const executor: Json = {
    name: `${prefix}system-container-executor`,
    inputs: { parameters: [{ name: 'pod-spec-patch' }, { name: 'cached-decision', default: 'false' }, ...retryParams] },
    dag: {
      tasks: [
        {
          name: 'executor',
          template: `${prefix}system-container-impl`,
          when: '{{inputs.parameters.cached-decision}} != true',
          arguments: { parameters: [{ name: 'pod-spec-patch', value: '{{inputs.parameters.pod-spec-patch}}' }, ...retryParams.map((p) => ({ name: p.name, value: `{{inputs.parameters.${p.name}}}` }))] },
        },
      ],
    },
  };
  return [executor, impl];
}

/** Every DAG template takes its DAG's execution id, which its drivers hand on as `--dag_execution_id`. */
const PARENT_DAG_INPUT = { parameters: [{ name: 'parent-dag-id' }] };
const PARENT_DAG_ARG = { name: 'parent-dag-id', value: '{{inputs.parameters.parent-dag-id}}' };

function dagTasks(dag: Json, input: KfpRunInput, templates: Map<string, Json>): Json[] {
  const tasks = (dag.tasks ?? {}) as Record<string, Json>;
  const components = (input.pipelineSpec.components ?? {}) as Record<string, Json>;
  const out: Json[] = [];
  for (const [taskName, task] of Object.entries(tasks)) {
    const deps = ((task.dependentTasks as string[]) ?? []).map((d) => `${d}.Succeeded`).join(' && ');
    const componentName = str((task.componentRef as Json)?.name);
    const component = components[componentName] ?? {};
    if (isRecord(component.dag)) {
      templates.set(componentName, { name: componentName, inputs: PARENT_DAG_INPUT, dag: { tasks: dagTasks(component.dag, input, templates) } });
      templates.set('system-dag-driver', driverTemplate('system-dag-driver', 'DAG'));
      out.push({ name: `${taskName}-driver`, template: 'system-dag-driver', ...(deps ? { depends: deps } : {}), arguments: { parameters: [{ name: 'component', value: componentName }, { name: 'task', value: taskName }, PARENT_DAG_ARG] } });
      // As KFP's compiler writes a DAG task: skipped when its driver evaluated the task's condition false.
      out.push({
        name: taskName,
        template: componentName,
        depends: `${taskName}-driver.Succeeded`,
        when: `{{tasks.${taskName}-driver.outputs.parameters.condition}} != false`,
        arguments: { parameters: [{ name: 'parent-dag-id', value: `{{tasks.${taskName}-driver.outputs.parameters.execution-id}}` }] },
      });
      continue;
    }
    const executor = ((input.pipelineSpec.deploymentSpec as Json)?.executors as Record<string, Json> | undefined)?.[str(component.executorLabel)];
    if (isRecord(executor?.importer)) {
      templates.set('system-importer', importerTemplate());
      out.push({
        name: taskName,
        template: 'system-importer',
        ...(deps ? { depends: deps } : {}),
        arguments: { parameters: [{ name: 'task', value: JSON.stringify(task) }, { name: 'component', value: JSON.stringify(component) }, { name: 'importer', value: JSON.stringify(executor.importer) }, PARENT_DAG_ARG] },
      });
      continue;
    }
    const policy = task.retryPolicy as Json | undefined;
    const retry = !!policy && Number(policy.maxRetryCount ?? 0) > 0;
    for (const t of executorTemplates(retry)) templates.set(str(t.name), t);
    templates.set('system-container-driver', driverTemplate('system-container-driver', 'CONTAINER'));
    out.push({
      name: `${taskName}-driver`,
      template: 'system-container-driver',
      ...(deps ? { depends: deps } : {}),
      arguments: { parameters: [{ name: 'component', value: componentName }, { name: 'task', value: taskName }, PARENT_DAG_ARG, { name: 'emulated-pod-spec-patch', value: podSpecPatch(task, input, taskName) }] },
    });
    const retryArgs = retry
      ? [
          { name: 'retry-max-count', value: str(policy!.maxRetryCount) },
          { name: 'retry-backoff-duration', value: seconds(policy!.backoffDuration) },
          { name: 'retry-backoff-factor', value: str(policy!.backoffFactor ?? 2) },
          { name: 'retry-backoff-max-duration', value: seconds(policy!.backoffMaxDuration) },
        ]
      : [];
    out.push({
      name: taskName,
      template: `${retry ? 'retry-' : ''}system-container-executor`,
      depends: `${taskName}-driver.Succeeded`,
      when: `{{tasks.${taskName}-driver.outputs.parameters.condition}} != false`,
      arguments: {
        parameters: [
          { name: 'pod-spec-patch', value: `{{tasks.${taskName}-driver.outputs.parameters.pod-spec-patch}}` },
          { name: 'cached-decision', value: `{{tasks.${taskName}-driver.outputs.parameters.cached-decision}}`, default: 'false' },
          ...retryArgs,
        ],
      },
    });
  }
  return out;
}

export const RUN_ID_LABEL = 'pipeline/runid';

export function kfpWorkflow(input: KfpRunInput): KubeObject {
  const pipelineName = str((input.pipelineSpec.pipelineInfo as Json)?.name) || 'pipeline';
  const templates = new Map<string, Json>();
  templates.set('system-dag-driver', driverTemplate('system-dag-driver', 'DAG'));
  const rootTasks = dagTasks(((input.pipelineSpec.root as Json)?.dag ?? {}) as Json, input, templates);
  const generateName = `${pipelineName.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 50) || 'pipeline'}-`;
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Workflow',
    metadata: {
      name: '',
      generateName,
      namespace: input.namespace,
      labels: { [RUN_ID_LABEL]: input.runId, 'pipelines.kubeflow.org/v2_component': 'true' },
      annotations: { 'pipelines.kubeflow.org/v2_pipeline': 'true', 'pipelines.kubeflow.org/run_name': input.displayName },
    },
    spec: {
      entrypoint: 'entrypoint',
      serviceAccountName: 'pipeline-runner',
      podMetadata: { labels: { [RUN_ID_LABEL]: input.runId, 'pipelines.kubeflow.org/v2_component': 'true' }, annotations: { 'pipelines.kubeflow.org/v2_component': 'true' } },
      arguments: { parameters: [{ name: 'components-root', value: JSON.stringify((input.pipelineSpec.root as Json) ?? {}) }] },
      templates: [
        {
          name: 'entrypoint',
          dag: {
            tasks: [
              { name: 'root-driver', template: 'system-dag-driver', arguments: { parameters: [{ name: 'component', value: 'root' }, { name: 'task', value: '' }] } },
              { name: 'root', template: 'root', depends: 'root-driver.Succeeded', arguments: { parameters: [{ name: 'parent-dag-id', value: '{{tasks.root-driver.outputs.parameters.execution-id}}' }] } },
            ],
          },
        },
        { name: 'root', inputs: PARENT_DAG_INPUT, dag: { tasks: rootTasks } },
        ...templates.values(),
      ],
    },
  };
}
