/**
 * KFP v2's driver and launcher for the emulator's execute mode (controller/exec.ts), as KFP's backend runs a
 * pipeline (backend/src/v2/driver, backend/src/v2/component/launcher_v2.go):
 *  - the driver pods (`system-dag-driver`, `system-container-driver`) run here, in the emulator's process: they
 *    resolve the task's inputs (`runtimeValue.constant` with the `{{$.pipeline_job_*}}` placeholders,
 *    `componentInputParameter` from the parent DAG's execution, `taskOutputParameter` / `taskOutputArtifact`
 *    from the producer task's execution in the same DAG, the component's defaults), evaluate the task's
 *    `triggerPolicy.condition` over them (kfp/condition.ts) and write what the Workflow reads: `execution-id`,
 *    `condition`, and for a container the `pod-spec-patch` (the launcher command with the executor input, the
 *    component's env and the PlatformSpec's `fieldPathAsEnv`) and `cached-decision` (true on a hit of KFP's
 *    execution cache, for a task with `cachingOptions.enableCache`: the earlier execution's outputs are reused
 *    and the executor does not run);
 *  - the launcher runs in the executor pod in front of the component's real command (kfp/launcher.ts);
 *  - executions, their inputs and outputs are kept here as KFP keeps them in ML Metadata.
 * A failing driver (an unresolvable input, a condition it refuses) exits 1 with the reason, so the run fails
 * with it. Importer tasks record their URI as the task's output artifact (the launcher of a consumer downloads
 * it from the emulated object store). Sub-DAG outputs, loops and exit handlers are refused with an error.
 */
import { createHash } from 'node:crypto';
import type { PodOutputs, PodRunner } from '../controller/exec.ts';
import type { KubeObject } from '../types.ts';
import { isRecord } from '../types.ts';
import { ConditionError, evaluateCondition } from './condition.ts';
import type { LauncherContext } from './launcher.ts';
import { EXECUTOR_OUTPUT_FILE, kfpLauncher, OUTPUT_PARAMETERS_DIR } from './launcher.ts';
import type { Artifact, Execution, Json } from './mlmd.ts';
import { DriverError, flag, str } from './mlmd.ts';
import type { KfpRunInput } from './workflow.ts';
import { RUN_ID_LABEL } from './workflow.ts';

const LAUNCHER_PATH = '/kfp-launcher/launch';
const DEFAULT_PIPELINE_ROOT = 'minio://mlpipeline/v2/artifacts';

/** The main container's command line: after the emissary's `--`, or as a pod-spec-patch set it. */
function mainCommand(pod: KubeObject): string[] {
  const main = ((pod.spec as Json).containers as Json[]).find((c) => c.name === 'main');
  const command = (main?.command as string[]) ?? [];
  return command[0]?.endsWith('argoexec') ? command.slice(command.indexOf('--') + 1) : command;
}

export class KfpExecutionBackend {
  private readonly executions = new Map<number, Execution>();
  private nextId = 1;
  /** KFP's execution cache: `namespace/pipeline/fingerprint` -> the execution whose outputs a hit reuses. */
  private readonly cache = new Map<string, number>();
  /** Imported artifacts by URI: an importer without `reimport` reuses the artifact already imported from its URI. */
  private readonly imported = new Map<string, string>();
  private nextArtifact = 1;

  constructor(
    /** The run as KFP's API server stored it (its pipeline spec, platform spec and runtime config). */
    private readonly runInput: (runId: string) => KfpRunInput | undefined,
    /** The emulator's execute root: the object store lives under it. */
    private readonly root: string,
  ) {}

  private launcherContext(): LauncherContext {
    return {
      root: this.root,
      outputParameterDefinitions: (runId, component) => ((((this.runInput(runId)?.pipelineSpec.components as Record<string, Json> | undefined)?.[component]?.outputDefinitions as Json | undefined)?.parameters ?? {}) as Record<string, Json>),
      newArtifactName: () => `artifacts/${this.nextArtifact++}`,
      completed: (execution) => {
        if (execution.cacheKey) this.cache.set(execution.cacheKey, execution.id);
      },
    };
  }

  /** How a pod of a KFP Workflow runs in execute mode; undefined for other pods. */
  podRunner(pod: KubeObject): PodRunner | undefined {
    const runId = pod.metadata.labels?.[RUN_ID_LABEL];
    if (!runId) return undefined;
    const argv = mainCommand(pod);
    if (argv[0] === 'driver') return { inProcess: () => this.driver(pod, runId, argv) };
    if (argv[0] === LAUNCHER_PATH) return { launcher: kfpLauncher(this.executions.get(Number(flag(argv, '--execution_id'))), runId, argv, this.launcherContext()) };
    if (argv[0] === 'launcher-v2' && flag(argv, '--executor_type') === 'importer') return { inProcess: () => this.importer(pod, runId, argv) };
    return undefined;
  }

  /**
   * KFP's importer (launcher-v2 --executor_type importer): the artifact at the importer spec's URI (a constant,
   * or the task's input parameter it names) becomes the task's output artifact; nothing is downloaded.
   */
  private importer(pod: KubeObject, runId: string, argv: string[]): { lines: string[]; exitCode: number; message?: string } {
    const lines: string[] = [];
    try {
      const run = this.runInput(runId);
      if (!run) throw new DriverError(`run ${runId} not found`);
      const parse = (name: string) => JSON.parse(flag(argv, name) ?? '{}') as Json;
      const task = parse('--task_spec');
      const component = parse('--component_spec');
      const spec = parse('--importer_spec');
      const taskName = str((task.taskInfo as Json | undefined)?.name);
      const parent = this.executions.get(Number(flag(argv, '--parent_dag_id') ?? '0'));
      if (!parent || parent.runId !== runId) throw new DriverError(`parent DAG execution ${flag(argv, '--parent_dag_id')} not found`);
      const { parameters } = this.resolveInputs(run, pod.metadata.labels?.['workflows.argoproj.io/workflow'] ?? '', task, taskName, component, parent);
      const source = (spec.artifactUri ?? {}) as Json;
      const uri = source.runtimeParameter !== undefined ? parameters[str(source.runtimeParameter)] : source.constant;
      if (typeof uri !== 'string' || !uri) throw new DriverError(`importer of task "${taskName}": no artifact URI (${JSON.stringify(source)})`);
      const outputs = Object.keys((((component.outputDefinitions as Json | undefined)?.artifacts ?? {}) as Json));
      if (outputs.length !== 1) throw new DriverError(`importer of task "${taskName}": its component must declare one output artifact, not ${outputs.length}`);
      const execution = this.create({ runId, type: 'CONTAINER', component: '', task: taskName, parentId: parent.id, parameters, artifacts: {} });
      const known = spec.reimport === true ? undefined : this.imported.get(uri);
      const artifactName = known ?? `artifacts/${this.nextArtifact++}`;
      this.imported.set(uri, artifactName);
      execution.outputArtifacts[outputs[0]] = { name: artifactName, uri, type: (spec.typeSchema ?? {}) as Json };
      execution.state = 'COMPLETE';
      lines.push(`I importer.go] ${known ? 'reused' : 'imported'} ${uri} (${artifactName}) as output artifact "${outputs[0]}" of task "${taskName}" (execution ${execution.id})`);
      return { lines, exitCode: 0 };
    } catch (err) {
      const message = `importer failed: ${(err as Error).message}`;
      lines.push(`F importer.go] ${message}`);
      return { lines, exitCode: 1, message };
    }
  }

  private spec(run: KfpRunInput): { components: Record<string, Json>; executors: Record<string, Json>; root: Json } {
    const spec = run.pipelineSpec;
    return {
      components: (spec.components ?? {}) as Record<string, Json>,
      executors: ((spec.deploymentSpec as Json | undefined)?.executors ?? {}) as Record<string, Json>,
      root: (spec.root ?? {}) as Json,
    };
  }

  private driver(pod: KubeObject, runId: string, argv: string[]): { lines: string[]; exitCode: number; message?: string; outputs?: PodOutputs } {
    const type = flag(argv, '--type') ?? '';
    const componentName = flag(argv, '--component') ?? '';
    const task = flag(argv, '--task') ?? '';
    const parentId = Number(flag(argv, '--dag_execution_id') ?? '0');
    const lines: string[] = [`I driver.go] ${type} driver: run ${runId}, task ${JSON.stringify(task)}, component ${componentName}, parent DAG execution ${parentId}`];
    try {
      const run = this.runInput(runId);
      if (!run) throw new DriverError(`run ${runId} not found`);
      const workflow = pod.metadata.labels?.['workflows.argoproj.io/workflow'] ?? '';
      const result = type === 'DAG' && componentName === 'root' && !task ? this.rootDag(run) : this.task(run, workflow, type, componentName, task, parentId);
      lines.push(...result.lines);
      const parameters = Object.entries(result.outputs).map(([name, value]) => ({ name, value }));
      return { lines, exitCode: 0, outputs: { parameters } };
    } catch (err) {
      const what = type === 'DAG' ? 'driver.DAG' : 'driver.Container';
      const message = `${what}(task=${JSON.stringify(task)}) failed: ${(err as Error).message}`;
      lines.push(`F driver.go] ${message}`);
      return { lines, exitCode: 1, message };
    }
  }

  private create(e: Omit<Execution, 'id' | 'outputParameters' | 'outputArtifacts' | 'state'>): Execution {
    const execution: Execution = { ...e, id: this.nextId++, outputParameters: {}, outputArtifacts: {}, state: 'RUNNING' };
    this.executions.set(execution.id, execution);
    return execution;
  }

  private rootDag(run: KfpRunInput): { lines: string[]; outputs: Record<string, string> } {
    const { root } = this.spec(run);
    const definitions = (((root.inputDefinitions as Json | undefined)?.parameters ?? {}) as Record<string, Json>);
    const parameters: Json = {};
    for (const [name, d] of Object.entries(definitions)) {
      if (Object.hasOwn(run.parameters, name)) parameters[name] = run.parameters[name];
      else if (d.defaultValue !== undefined) parameters[name] = d.defaultValue;
      else if (!d.isOptional) throw new DriverError(`input parameter "${name}" of the pipeline has no value in the runtime config and no default`);
    }
    for (const name of Object.keys(run.parameters)) if (!Object.hasOwn(definitions, name)) throw new DriverError(`the runtime config names parameter "${name}", which the pipeline does not take`);
    const execution = this.create({ runId: run.runId, type: 'DAG', component: 'root', task: '', parentId: 0, parameters, artifacts: {} });
    return { lines: [`I driver.go] root DAG execution ${execution.id} with parameters ${JSON.stringify(parameters)}`], outputs: { 'execution-id': String(execution.id), condition: 'true' } };
  }

  private task(run: KfpRunInput, workflow: string, type: string, componentName: string, taskName: string, parentId: number): { lines: string[]; outputs: Record<string, string> } {
    const parent = this.executions.get(parentId);
    if (!parent || parent.runId !== run.runId) throw new DriverError(`parent DAG execution ${parentId} not found`);
    const { components, executors, root } = this.spec(run);
    const parentComponent = parent.component === 'root' ? root : components[parent.component];
    const task = (((parentComponent?.dag as Json | undefined)?.tasks ?? {}) as Record<string, Json>)[taskName];
    if (!task) throw new DriverError(`task "${taskName}" not found in ${parent.component}`);
    const component = components[componentName];
    if (!component) throw new DriverError(`component "${componentName}" not found`);
    for (const unsupported of ['parameterIterator', 'artifactIterator']) if (task[unsupported]) throw new DriverError(`${unsupported} (dsl.ParallelFor) is not emulated`);

    const { parameters, artifacts } = this.resolveInputs(run, workflow, task, taskName, component, parent);
    const lines = [`I driver.go] resolved inputs of task "${taskName}": ${JSON.stringify(parameters)}`];
    const condition = str((task.triggerPolicy as Json | undefined)?.condition);
    let willTrigger = true;
    if (condition) {
      try {
        willTrigger = evaluateCondition(condition, parameters);
      } catch (err) {
        if (err instanceof ConditionError) throw new DriverError(`triggerPolicy.condition ${JSON.stringify(condition)}: ${err.message}`);
        throw err;
      }
      lines.push(`I driver.go] condition ${JSON.stringify(condition)} evaluated ${willTrigger}`);
    }
    const kind = type === 'DAG' ? 'DAG' : 'CONTAINER';
    if (kind === 'DAG' !== isRecord(component.dag)) throw new DriverError(`component "${componentName}" is not a ${kind === 'DAG' ? 'DAG' : 'container'} component`);
    const execution = this.create({ runId: run.runId, type: kind, component: componentName, task: taskName, parentId, parameters, artifacts });
    if (!willTrigger) execution.state = 'COMPLETE';
    const outputs: Record<string, string> = { 'execution-id': String(execution.id), condition: String(willTrigger) };
    if (kind === 'CONTAINER') {
      outputs['cached-decision'] = 'false';
      outputs['pod-spec-patch'] = willTrigger ? this.podSpecPatch(run, component, componentName, executors, execution) : '';
      if (willTrigger && (task.cachingOptions as Json | undefined)?.enableCache === true) {
        const key = this.cacheKey(run, component, executors, execution);
        const hit = this.executions.get(this.cache.get(key) ?? 0);
        if (hit?.state === 'COMPLETE') {
          // A cache hit: the earlier execution's outputs become this task's, and the executor does not run.
          execution.outputParameters = { ...hit.outputParameters };
          execution.outputArtifacts = { ...hit.outputArtifacts };
          execution.state = 'COMPLETE';
          outputs['cached-decision'] = 'true';
          lines.push(`I driver.go] cache hit: reusing the outputs of execution ${hit.id} (run ${hit.runId}) for task "${taskName}"`);
        } else execution.cacheKey = key;
      }
    }
    return { lines, outputs };
  }

  /**
   * KFP's cache key for a container task (cacheutils.GenerateCacheKey): the input parameter values, the input
   * artifacts' identities, the output definitions and the container's image, command and args; looked up among
   * earlier executions of the same pipeline in the same namespace.
   */
  private cacheKey(run: KfpRunInput, component: Json, executors: Record<string, Json>, execution: Execution): string {
    const container = (executors[str(component.executorLabel)]?.container ?? {}) as Json;
    const fingerprint = JSON.stringify({
      parameters: execution.parameters,
      artifacts: Object.fromEntries(Object.entries(execution.artifacts).map(([n, list]) => [n, list.map((a) => a.name)])),
      outputs: component.outputDefinitions ?? {},
      image: container.image,
      command: container.command,
      args: container.args,
    });
    return `${run.namespace}\0${str((run.pipelineSpec.pipelineInfo as Json | undefined)?.name)}\0${createHash('sha256').update(fingerprint).digest('hex')}`;
  }

  private resolveInputs(run: KfpRunInput, workflow: string, task: Json, taskName: string, component: Json, parent: Execution): { parameters: Json; artifacts: Record<string, Artifact[]> } {
    const specs = (((task.inputs as Json | undefined)?.parameters ?? {}) as Record<string, Json>);
    const definitions = (((component.inputDefinitions as Json | undefined)?.parameters ?? {}) as Record<string, Json>);
    const producer = (name: string) => {
      const found = [...this.executions.values()].filter((e) => e.runId === run.runId && e.parentId === parent.id && e.task === name).at(-1);
      if (!found) throw new DriverError(`producer task "${name}" has no execution in this DAG`);
      if (found.type === 'DAG') throw new DriverError(`outputs of sub-DAG task "${name}" are not emulated`);
      if (found.state !== 'COMPLETE') throw new DriverError(`producer task "${name}" has not completed`);
      return found;
    };
    const parameters: Json = {};
    for (const [name, spec] of Object.entries(specs)) {
      if (spec.componentInputParameter !== undefined) {
        const key = str(spec.componentInputParameter);
        if (!Object.hasOwn(parent.parameters, key)) throw new DriverError(`parent DAG does not have input parameter "${key}" (for input "${name}" of task "${taskName}")`);
        parameters[name] = parent.parameters[key];
      } else if (isRecord(spec.taskOutputParameter)) {
        const { producerTask, outputParameterKey } = spec.taskOutputParameter as { producerTask?: string; outputParameterKey?: string };
        const from = producer(str(producerTask));
        if (!Object.hasOwn(from.outputParameters, str(outputParameterKey))) throw new DriverError(`cannot find output parameter key "${str(outputParameterKey)}" of producer task "${str(producerTask)}"`);
        parameters[name] = from.outputParameters[str(outputParameterKey)];
      } else if (isRecord(spec.runtimeValue)) {
        const constant = (spec.runtimeValue as Json).constant;
        const placeholders: Record<string, string> = {
          '{{$.pipeline_job_name}}': run.displayName,
          '{{$.pipeline_job_resource_name}}': workflow,
          '{{$.pipeline_job_uuid}}': run.runId,
          '{{$.pipeline_task_name}}': taskName,
        };
        parameters[name] = typeof constant === 'string' && Object.hasOwn(placeholders, constant) ? placeholders[constant] : constant;
      } else {
        throw new DriverError(`input parameter "${name}" of task "${taskName}": ${Object.keys(spec).join(', ') || 'an empty spec'} is not emulated`);
      }
    }
    for (const [name, d] of Object.entries(definitions)) {
      if (Object.hasOwn(parameters, name)) continue;
      if (d.defaultValue !== undefined) parameters[name] = d.defaultValue;
      else if (!d.isOptional) throw new DriverError(`input parameter "${name}" of task "${taskName}" has no value and no default`);
    }
    const artifacts: Record<string, Artifact[]> = {};
    for (const [name, spec] of Object.entries((((task.inputs as Json | undefined)?.artifacts ?? {}) as Record<string, Json>))) {
      if (isRecord(spec.taskOutputArtifact)) {
        const { producerTask, outputArtifactKey } = spec.taskOutputArtifact as { producerTask?: string; outputArtifactKey?: string };
        const artifact = producer(str(producerTask)).outputArtifacts[str(outputArtifactKey)];
        if (!artifact) throw new DriverError(`cannot find output artifact key "${str(outputArtifactKey)}" of producer task "${str(producerTask)}"`);
        artifacts[name] = [artifact];
      } else if (spec.componentInputArtifact !== undefined) {
        const from = parent.artifacts[str(spec.componentInputArtifact)];
        if (!from) throw new DriverError(`parent DAG does not have input artifact "${str(spec.componentInputArtifact)}"`);
        artifacts[name] = from;
      } else throw new DriverError(`input artifact "${name}" of task "${taskName}": ${Object.keys(spec).join(', ')} is not emulated`);
    }
    return { parameters, artifacts };
  }

  private podSpecPatch(run: KfpRunInput, component: Json, componentName: string, executors: Record<string, Json>, execution: Execution): string {
    const executorLabel = str(component.executorLabel);
    const container = (executors[executorLabel]?.container ?? {}) as Json;
    if (!isRecord(executors[executorLabel]?.container)) throw new DriverError(`executor "${executorLabel}" of component "${componentName}" has no container`);
    const pipelineName = str((run.pipelineSpec.pipelineInfo as Json | undefined)?.name) || 'pipeline';
    const base = `${(run.pipelineRoot || DEFAULT_PIPELINE_ROOT).replace(/\/+$/, '')}/${pipelineName}/${run.runId}/${execution.task}/${execution.id}`;
    const outputs = (component.outputDefinitions ?? {}) as Json;
    const executorInput = {
      inputs: {
        parameterValues: execution.parameters,
        artifacts: Object.fromEntries(Object.entries(execution.artifacts).map(([name, list]) => [name, { artifacts: list.map((a) => ({ name: a.name, type: a.type, uri: a.uri })) }])),
      },
      outputs: {
        parameters: Object.fromEntries(Object.keys((outputs.parameters ?? {}) as Json).map((name) => [name, { outputFile: `${OUTPUT_PARAMETERS_DIR}/${name}` }])),
        artifacts: Object.fromEntries(
          Object.entries((outputs.artifacts ?? {}) as Record<string, Json>).map(([name, d]) => [name, { artifacts: [{ name, type: d.artifactType ?? {}, uri: `${base}/${name}` }] }]),
        ),
        outputFile: EXECUTOR_OUTPUT_FILE,
      },
    };
    const platform = ((((run.platformSpec?.platforms as Json | undefined)?.kubernetes as Json | undefined)?.deploymentSpec as Json | undefined)?.executors as Record<string, Json> | undefined)?.[executorLabel];
    const env: Json[] = [...(((container.env as Json[]) ?? []).map((e) => ({ name: e.name, value: str(e.value) })))];
    for (const f of ((platform?.fieldPathAsEnv as Json[]) ?? [])) env.push({ name: f.name, valueFrom: { fieldRef: { fieldPath: f.fieldPath } } });
    for (const s of ((platform?.secretAsEnv as Json[]) ?? [])) {
      for (const m of ((s.keyToEnv as Json[]) ?? [])) env.push({ name: m.envVar, valueFrom: { secretKeyRef: { name: (s.secretNameParameter as Json | undefined)?.runtimeValue ? str(((s.secretNameParameter as Json).runtimeValue as Json).constant) : str(s.secretName), key: m.secretKey } } });
    }
    const main: Json = {
      name: 'main',
      image: str(container.image),
      command: [
        LAUNCHER_PATH,
        '--pipeline_name', pipelineName,
        '--run_id', run.runId,
        '--execution_id', String(execution.id),
        '--executor_input', JSON.stringify(executorInput),
        '--component_spec', JSON.stringify(component),
        '--pod_name', '$(KFP_POD_NAME)',
        '--pod_uid', '$(KFP_POD_UID)',
        '--',
        ...((container.command as string[]) ?? []),
        ...((container.args as string[]) ?? []),
      ],
      ...(env.length ? { env } : {}),
    };
    return JSON.stringify({ containers: [main] });
  }
}
