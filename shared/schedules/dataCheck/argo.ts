/**
 * "When the data changes" on Argo: the CronWorkflow's workflow starts with a DataCheck step that
 * fingerprints the dataset inputs and compares them with the last successful run's (kept in a ConfigMap);
 * the pipeline's DAG runs only when something changed (`when`), and a RecordData step, which runs only
 * when that DAG succeeded, writes the new fingerprints. A failed run therefore never becomes the baseline.
 */
import { ARGO_ENTRYPOINT } from '../../compile/argo.ts';
import type { YamlValue } from '../../compile/emitYaml.ts';
import { LAUNCHER, launcherCommand, protectArgoArg } from '../../compile/argo/launcher.ts';
import type { NodeCatalog } from '../../pipeline/catalog.ts';
import type { PipelineDocument, PipelineParameterValue } from '../../pipeline/types.ts';
import { ScheduleError, type ScheduleSpec } from '../types.ts';
import { base64Utf8, dataCheckInputs } from './inputs.ts';

type YamlMap = { [key: string]: YamlValue | undefined };
interface Template extends YamlMap {
  name: string;
  container?: YamlMap & { image?: string; command?: string[]; env?: (YamlMap & { name: string })[] };
}

/** Template and task names: capitalised, so no node id (lowercase) can take them. */
export const DATA_CHECK_ENTRYPOINT = 'WhenDataChanged';
export const DATA_CHECK_TASK = 'DataCheck';
export const RECORD_DATA_TASK = 'RecordData';
const SCRIPT_PARAMETER = 'pipewright-data-check';
const LAUNCHER_PARAMETER = 'pipewright-launcher';
const OUT = '/tmp/outputs';

/** The ConfigMap holding the last successful run's fingerprints: one per pipeline and schedule. */
export function dataCheckConfigMapName(pipeline: string, schedule: string): string {
  return `pipewright-data.${pipeline}.${schedule}`;
}

function commonArgs(doc: PipelineDocument, spec: ScheduleSpec): string[] {
  return ['--namespace', '{{workflow.namespace}}', '--configmap', dataCheckConfigMapName(doc.name, spec.name), '--schedule', spec.name, '--pipeline', doc.name];
}

/**
 * `workflowSpec` (the pipeline's compiled Workflow spec) wrapped in the data check. The check runs in the
 * image of the first dataset step, with the env of the steps that read the data (their credentials), and
 * gets the bundled samples those steps get.
 */
export function withArgoDataCheck(
  workflowSpec: YamlMap,
  doc: PipelineDocument,
  catalog: NodeCatalog,
  spec: ScheduleSpec,
  values: Readonly<Record<string, PipelineParameterValue>>,
): YamlMap {
  const script = catalog.dataCheckScript;
  if (!script) throw new ScheduleError('this build of Pipewright has no data-check step script, so "when the data changes" cannot run on a cluster', 'trigger');
  const inputs = dataCheckInputs(doc, catalog, values);
  if (inputs.length === 0) throw new ScheduleError('the pipeline has no dataset (or ko-bench data) input whose changes could start a run; use a plain cron schedule', 'trigger');
  const templates = (workflowSpec.templates as Template[]) ?? [];
  const readers = inputs.map((i) => templates.find((t) => t.name === i.nodeId)).filter((t): t is Template => !!t?.container);
  const image = readers[0]?.container?.image;
  if (!image) throw new ScheduleError(`node "${inputs[0].nodeId}" has no container to take the data check's image from`, 'trigger');

  const env = new Map<string, YamlMap & { name: string }>();
  env.set('PIPEWRIGHT_NODE_ID', { name: 'PIPEWRIGHT_NODE_ID', value: DATA_CHECK_TASK });
  for (const t of readers) for (const e of t.container?.env ?? []) if (!env.has(e.name)) env.set(e.name, e);
  // Bundled samples travel after the script in the readers' commands, as `--pipewright-sample=NAME TEXT` pairs.
  const samples = new Map<string, string>();
  for (const t of readers) {
    const command = t.container?.command ?? [];
    for (let i = 5; i + 1 < command.length; i += 2) samples.set(command[i], command[i + 1]);
  }

  const parameters = [...(((workflowSpec.arguments as YamlMap | undefined)?.parameters as YamlMap[] | undefined) ?? [])];
  if (!parameters.some((p) => p.name === LAUNCHER_PARAMETER)) parameters.push({ name: LAUNCHER_PARAMETER, value: protectArgoArg(LAUNCHER) });
  parameters.push({ name: SCRIPT_PARAMETER, value: protectArgoArg(script) });
  const command = launcherCommand(`{{workflow.parameters.${LAUNCHER_PARAMETER}}}`, `{{workflow.parameters.${SCRIPT_PARAMETER}}}`);
  for (const [flag, text] of samples) command.push(flag, text);
  const container = (args: string[]): YamlMap => ({
    image,
    command,
    args,
    env: [...env.values()],
    resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '512Mi' } },
  });
  const labels = { 'pipewright.dev/pipeline': doc.name, 'pipewright.dev/schedule': spec.name };
  const outputs = ['changed', 'message', 'fingerprints'];
  const checkTemplate: YamlMap = {
    name: DATA_CHECK_TASK,
    metadata: { labels },
    // The check talks to the API server as the workflow's account, even where that account does not mount its token by default.
    automountServiceAccountToken: true,
    outputs: { parameters: outputs.map((name) => ({ name, valueFrom: { path: `${OUT}/${name}` } })) },
    container: container(['check', ...commonArgs(doc, spec), '--inputs', base64Utf8(JSON.stringify(inputs)), ...outputs.flatMap((name) => [`--out-${name}`, `${OUT}/${name}`])]),
  };
  const recordTemplate: YamlMap = {
    name: RECORD_DATA_TASK,
    metadata: { labels },
    automountServiceAccountToken: true,
    inputs: { parameters: [{ name: 'fingerprints' }] },
    container: container(['record', ...commonArgs(doc, spec), '--fingerprints', '{{inputs.parameters.fingerprints}}', '--run', '{{workflow.name}}']),
  };
  const dag: YamlMap = {
    name: DATA_CHECK_ENTRYPOINT,
    dag: {
      tasks: [
        { name: DATA_CHECK_TASK, template: DATA_CHECK_TASK },
        // `depends`, not `dependencies`: Argo refuses a DAG that mixes the two.
        { name: ARGO_ENTRYPOINT, template: ARGO_ENTRYPOINT, depends: DATA_CHECK_TASK, when: `{{tasks.${DATA_CHECK_TASK}.outputs.parameters.changed}} == true` },
        {
          name: RECORD_DATA_TASK,
          template: RECORD_DATA_TASK,
          // Only after the pipeline succeeded: skipped (data unchanged) or failed, nothing is recorded.
          depends: `${DATA_CHECK_TASK}.Succeeded && ${ARGO_ENTRYPOINT}.Succeeded`,
          arguments: { parameters: [{ name: 'fingerprints', value: `{{tasks.${DATA_CHECK_TASK}.outputs.parameters.fingerprints}}` }] },
        },
      ],
    },
  };
  return { ...workflowSpec, entrypoint: DATA_CHECK_ENTRYPOINT, arguments: { parameters }, templates: [dag, checkTemplate, recordTemplate, ...templates] };
}
