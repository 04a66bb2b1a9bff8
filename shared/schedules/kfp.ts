/** A schedule as a KFP v2beta1 RecurringRun body (POST /apis/v2beta1/recurringruns). */
import { kfpDocuments } from '../compile/kfp.ts';
import type { NodeCatalog } from '../pipeline/catalog.ts';
import type { PipelineDocument } from '../pipeline/types.ts';
import { checkSchedule } from './check.ts';
import { kfpCron } from './cron.ts';
import { withKfpDataCheck } from './dataCheck/kfp.ts';
import { ScheduleError, type ScheduleSpec } from './types.ts';

/** Ends the description of a recurring run that runs only when the data changed (the list reads it back). */
export const KFP_DATA_CHANGED_NOTE = ', only when the data changed (data-check)';

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
  if (spec.trigger === 'data-changed' && target.pipelineId) {
    throw new ScheduleError('"when the data changes" wraps the compiled pipeline in a data check, so it cannot run an uploaded pipeline (--pipeline-id); leave the pipeline id out', 'pipelineId');
  }
  if (target.pipelineVersionId && !target.pipelineId) throw new ScheduleError('a pipeline version needs its pipeline id as well', 'pipelineId');
  const utcCron = kfpCron(cron, spec.timezone, nowMs);
  const zone = spec.timezone === 'UTC' ? '' : ` (${cron.text} in ${spec.timezone})`;
  const body: KfpRecurringRunBody = {
    display_name: spec.name,
    description: `Pipewright schedule of ${doc.name}: ${utcCron} UTC${zone}${spec.trigger === 'data-changed' ? KFP_DATA_CHANGED_NOTE : ''}`,
    runtime_config: { parameters: values },
    max_concurrency: String(spec.maxConcurrency),
    trigger: { cron_schedule: { cron: utcCron } },
    mode: 'ENABLE',
    no_catchup: !spec.catchUp,
  };
  if (target.pipelineId) {
    body.pipeline_version_reference = { pipeline_id: target.pipelineId, ...(target.pipelineVersionId ? { pipeline_version_id: target.pipelineVersionId } : {}) };
  } else {
    const compiled = kfpDocuments(doc, catalog);
    const { pipeline, platform } = spec.trigger === 'data-changed' ? withKfpDataCheck(compiled.pipeline, compiled.platform, doc, catalog, spec, values) : compiled;
    body.pipeline_spec = (platform ? { pipeline_spec: pipeline, platform_spec: platform } : pipeline) as Record<string, unknown>;
  }
  // The namespace is output only: KFP takes it from the experiment.
  if (target.experimentId) body.experiment_id = target.experimentId;
  return body;
}
