/** A schedule as an Argo CronWorkflow: the pipeline's Workflow spec plus cron, time zone, concurrency and catch-up. */
import { argoWorkflow } from '../compile/argo.ts';
import { emitYaml, type YamlValue } from '../compile/emitYaml.ts';
import type { NodeCatalog } from '../pipeline/catalog.ts';
import type { PipelineDocument } from '../pipeline/types.ts';
import { checkSchedule } from './check.ts';
import { nextFireTime } from './cron.ts';
import { withArgoDataCheck } from './dataCheck/argo.ts';
import { PIPELINE_LABEL, SCHEDULE_LABEL, TRIGGER_ANNOTATION, type ScheduleSpec } from './types.ts';

type YamlMap = { [key: string]: YamlValue | undefined };

/**
 * Seconds a missed run may still start: 0 without catch-up; with it, up to the gap between two
 * firings (Argo then starts the latest missed run, once).
 */
export function catchUpDeadlineSeconds(spec: ScheduleSpec, cron: Parameters<typeof nextFireTime>[0], nowMs: number): number {
  if (!spec.catchUp) return 0;
  const first = nextFireTime(cron, spec.timezone, nowMs);
  const second = first === undefined ? undefined : nextFireTime(cron, spec.timezone, first);
  return first === undefined || second === undefined ? 86400 : Math.round((second - first) / 1000);
}

/** The CronWorkflow object. `nowMs` fixes the catch-up window's measure (tests pass a fixed clock). */
export function argoCronWorkflow(doc: PipelineDocument, catalog: NodeCatalog, spec: ScheduleSpec, nowMs = Date.now()): YamlMap {
  const { cron, values } = checkSchedule(doc, catalog, spec, 'argo');
  const workflow = argoWorkflow(doc, catalog) as YamlMap & { metadata: YamlMap; spec: YamlMap };
  const workflowSpec = { ...workflow.spec };
  const args = (workflowSpec.arguments as { parameters?: { name: string; value: string }[] } | undefined)?.parameters ?? [];
  const merged = args.map((p) => (Object.hasOwn(values, p.name) ? { ...p, value: String(values[p.name]) } : p));
  for (const [name, value] of Object.entries(values)) if (!merged.some((p) => p.name === name)) merged.push({ name, value: String(value) });
  workflowSpec.arguments = merged.length ? { parameters: merged } : undefined;
  const runSpec = spec.trigger === 'data-changed' ? withArgoDataCheck(workflowSpec, doc, catalog, spec, values) : workflowSpec;
  const labels = { [PIPELINE_LABEL]: doc.name, [SCHEDULE_LABEL]: spec.name };
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'CronWorkflow',
    metadata: {
      name: spec.name,
      namespace: workflow.metadata.namespace,
      labels,
      annotations: { [TRIGGER_ANNOTATION]: spec.trigger },
    },
    spec: {
      schedules: [cron.text],
      timezone: spec.timezone,
      // Argo counts no more than "one at a time" (Forbid) or "any number" (Allow).
      concurrencyPolicy: spec.maxConcurrency === 1 ? 'Forbid' : 'Allow',
      startingDeadlineSeconds: catchUpDeadlineSeconds(spec, cron, nowMs),
      suspend: false,
      successfulJobsHistoryLimit: 10,
      failedJobsHistoryLimit: 10,
      workflowMetadata: { labels },
      workflowSpec: runSpec,
    },
  };
}

export function argoCronWorkflowYaml(doc: PipelineDocument, catalog: NodeCatalog, spec: ScheduleSpec, nowMs = Date.now()): string {
  return emitYaml(argoCronWorkflow(doc, catalog, spec, nowMs));
}
