/** Pipeline document -> Argo Workflow (`workflow.yaml`): a DAG of one container template per node. */
import type { NodeCatalog } from '../pipeline/catalog.ts';
import type { PipelineDocument, PipelineParameterValue } from '../pipeline/types.ts';
import { WorkflowTexts } from './argo/globals.ts';
import { plainField, containerTemplate } from './argo/template.ts';
import type { TemplateContext } from './argo/template.ts';
import { emitYaml, ListEntries } from './emitYaml.ts';
import type { YamlValue } from './emitYaml.ts';
import { CompileError, formatArgValue, planPipeline } from './plan.ts';
import { protectArgoArg } from './argo/launcher.ts';
import type { PlannedNode } from './plan.ts';
import type { CompiledFiles } from './types.ts';
import { CHECKPOINT_VOLUME, checkpointPvc } from './trainingLaunch.ts';

/** The DAG template's name: capitalised, so no node id (lowercase) can take it. */
export const ARGO_ENTRYPOINT = 'Pipeline';

function dagTask(p: PlannedNode): { [key: string]: YamlValue | undefined } {
  const artifacts = p.inputs.map((i) => ({ name: i.port, from: `{{tasks.${i.source}.outputs.artifacts.${i.sourcePort}}}` }));
  return {
    name: p.id,
    template: p.id,
    dependencies: p.upstream.length ? p.upstream : undefined,
    arguments: artifacts.length ? { artifacts } : undefined,
  };
}

/** A pipeline parameter's value as the workflow argument holds it (protected as a step argument is). */
export function argoParameterValue(value: PipelineParameterValue): string {
  return protectArgoArg(formatArgValue(value));
}

/** One workflow argument per pipeline parameter (names hold no '-', so none meets a text's); none without a value: the run must give one. */
function pipelineArguments(doc: PipelineDocument, values: Readonly<Record<string, PipelineParameterValue>>): { [key: string]: YamlValue | undefined }[] {
  return (Array.isArray(doc.parameters) ? doc.parameters : []).map((p) => {
    const value = Object.hasOwn(values, p.name) ? values[p.name] : p.default;
    return {
      name: p.name,
      value: value === undefined ? undefined : argoParameterValue(value),
      // Argo would read `{{` in the text as a placeholder; the description is for people, so it is only broken up.
      description: p.description ? p.description.replace(/\{(?=\{)/g, '{ ') : undefined,
    };
  });
}

/** The Workflow object (before it is written as YAML). */
/** `parameterValues`: a run's values (the workflow's arguments); each parameter's default where none is given. */
/** `stream`: per-node templates and tasks are written as YAML text as they are made (for compileArgo), not kept as data. */
export function argoWorkflow(doc: PipelineDocument, catalog: NodeCatalog, parameterValues: Readonly<Record<string, PipelineParameterValue>> = {}, stream = false): { [key: string]: YamlValue | undefined } {
  const plan = planPipeline(doc, catalog);
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(doc.name) || doc.name.length > 63) {
    throw new CompileError(`pipeline name ${JSON.stringify(doc.name)} must be lowercase letters, digits and '-', at most 63 characters`, { field: 'name' });
  }
  for (const p of plan.nodes) {
    // Argo refuses DAG task names that start with a digit once tasks have dependencies.
    if (/^[0-9]/.test(p.id)) throw new CompileError(`node id "${p.id}" starts with a digit, which Argo does not allow for a DAG task`, { nodeId: p.id });
  }
  const settings = doc.settings ?? {};
  const ctx: TemplateContext = { pipeline: doc.name, settings, samples: catalog.samples, texts: new WorkflowTexts(), measured: new Set(), memo: new Map() };
  // Levels: spec (0) > templates (1) > their dashes (2); a template's keys (3) > dag (4) > tasks' dashes (5).
  const templates = new ListEntries(stream, 2);
  for (const p of plan.nodes) templates.push(containerTemplate(p, ctx));
  const tasks = new ListEntries(stream, 5);
  for (const p of plan.nodes) tasks.push(dagTask(p));
  const parameters = [...pipelineArguments(doc, parameterValues), ...ctx.texts.parameters()];
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Workflow',
    metadata: {
      generateName: `${doc.name}-`,
      namespace: settings.namespace ? plainField(settings.namespace, undefined, 'settings.namespace') : undefined,
      labels: { 'pipewright.dev/pipeline': doc.name },
    },
    spec: {
      entrypoint: ARGO_ENTRYPOINT,
      arguments: parameters.length ? { parameters } : undefined,
      templates: [{ name: ARGO_ENTRYPOINT, dag: { tasks: tasks.value() } }, ...templates.items()],
      volumes: plan.nodes.some((p) => checkpointPvc(p, settings))
        ? [{ name: CHECKPOINT_VOLUME, persistentVolumeClaim: { claimName: plainField(settings.checkpointPvc!, undefined, 'settings.checkpointPvc') } }]
        : undefined,
    },
  };
}

export function compileArgo(doc: PipelineDocument, catalog: NodeCatalog, parameterValues?: Readonly<Record<string, PipelineParameterValue>>): CompiledFiles {
  return { 'workflow.yaml': emitYaml(argoWorkflow(doc, catalog, parameterValues, true)) };
}
