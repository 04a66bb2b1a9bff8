/** Pipeline document -> Argo Workflow (`workflow.yaml`): a DAG of one container template per node. */
import type { NodeCatalog } from '../pipeline/catalog.ts';
import type { PipelineDocument } from '../pipeline/types.ts';
import { WorkflowTexts } from './argo/globals.ts';
import { plainField, containerTemplate } from './argo/template.ts';
import type { TemplateContext } from './argo/template.ts';
import { emitYaml } from './emitYaml.ts';
import type { YamlValue } from './emitYaml.ts';
import { CompileError, planPipeline } from './plan.ts';
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

/** The Workflow object (before it is written as YAML). */
export function argoWorkflow(doc: PipelineDocument, catalog: NodeCatalog): { [key: string]: YamlValue | undefined } {
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
  const templates = plan.nodes.map((p) => containerTemplate(p, ctx));
  const parameters = ctx.texts.parameters();
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
      templates: [{ name: ARGO_ENTRYPOINT, dag: { tasks: plan.nodes.map(dagTask) } }, ...templates],
      volumes: plan.nodes.some((p) => checkpointPvc(p, settings))
        ? [{ name: CHECKPOINT_VOLUME, persistentVolumeClaim: { claimName: plainField(settings.checkpointPvc!, undefined, 'settings.checkpointPvc') } }]
        : undefined,
    },
  };
}

export function compileArgo(doc: PipelineDocument, catalog: NodeCatalog): CompiledFiles {
  return { 'workflow.yaml': emitYaml(argoWorkflow(doc, catalog)) };
}
