/** A schedule as a KFP v2beta1 RecurringRun body (POST /apis/v2beta1/recurringruns). */
import { kfpDocuments } from '../compile/kfp.ts';
import type { NodeCatalog } from '../pipeline/catalog.ts';
import type { PipelineDocument } from '../pipeline/types.ts';
import { checkSchedule } from './check.ts';
import { kfpCron } from './cron.ts';
import { ScheduleError, type ScheduleSpec } from './types.ts';

/** Why "when the data changes" is refused for KFP, and what to use instead. */
export const KFP_DATA_TRIGGER_REFUSAL =
  '"when the data changes" is not available for Kubeflow Pipelines: a recurring run cannot skip a run from inside it without ' +
  "rewriting the whole pipeline into a condition group, and its pipeline-runner account cannot keep the last successful run's " +
  'data fingerprints without ConfigMap write access that Pipewright cannot check there. Use --target argo (the Argo Workflows ' +
  'that KFP runs on, where a data-check step does it) or a local schedule (--target local), or a plain cron schedule on KFP';

export interface KfpScheduleTarget {
  /** An uploaded pipeline (and version) to run; without one the compiled pipeline spec goes inline. */
  pipelineId?: string;
  pipelineVersionId?: string;
  experimentId?: string;
}

export interface KfpRecurringRunBody {
  display_name: string;
  description: string;
  pipeline_version_reference?: { pipeline_id: string; pipeline_version_id?: string };
  pipeline_spec?: Record<string, unknown>;
  runtime_config: { parameters: Record<string, unknown> };
  max_concurrency: string;
  trigger: { cron_schedule: { cron: string; start_time?: string } };
  mode: 'ENABLE' | 'DISABLE';
  no_catchup: boolean;
  experiment_id?: string;
}

export function kfpRecurringRun(doc: PipelineDocument, catalog: NodeCatalog, spec: ScheduleSpec, target: KfpScheduleTarget = {}, nowMs = Date.now()): KfpRecurringRunBody {
  const { cron, values } = checkSchedule(doc, catalog, spec, 'kfp');
  if (spec.trigger === 'data-changed') throw new ScheduleError(KFP_DATA_TRIGGER_REFUSAL, 'trigger');
  if (target.pipelineVersionId && !target.pipelineId) throw new ScheduleError('a pipeline version needs its pipeline id as well', 'pipelineId');
  const utcCron = kfpCron(cron, spec.timezone, nowMs);
  const zone = spec.timezone === 'UTC' ? '' : ` (${cron.text} in ${spec.timezone})`;
  const body: KfpRecurringRunBody = {
    display_name: spec.name,
    description: `Pipewright schedule of ${doc.name}: ${utcCron} UTC${zone}`,
    runtime_config: { parameters: values },
    max_concurrency: String(spec.maxConcurrency),
    trigger: { cron_schedule: { cron: utcCron } },
    mode: 'ENABLE',
    no_catchup: !spec.catchUp,
  };
  if (target.pipelineId) {
    body.pipeline_version_reference = { pipeline_id: target.pipelineId, ...(target.pipelineVersionId ? { pipeline_version_id: target.pipelineVersionId } : {}) };
  } else {
    const { pipeline, platform } = kfpDocuments(doc, catalog);
    body.pipeline_spec = (platform ? { pipeline_spec: pipeline, platform_spec: platform } : pipeline) as Record<string, unknown>;
  }
  // The namespace is output only: KFP takes it from the experiment.
  if (target.experimentId) body.experiment_id = target.experimentId;
  return body;
}
