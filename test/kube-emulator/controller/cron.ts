/**
 * Argo's CronWorkflow controller, fired on demand: a test "ticks" a CronWorkflow and gets the Workflow
 * its schedule would start now, made as Argo makes it (name `<cron>-<unix seconds>`, label
 * `workflows.argoproj.io/cron-workflow`, annotation `workflows.argoproj.io/scheduled-time`, the
 * workflowMetadata's labels, an owner reference, `status.active` and `lastScheduledTime`), or nothing
 * when Argo would start nothing (suspended; `Forbid` with a run still going).
 */
import type { ObjectStore } from '../store.ts';
import type { KubeObject } from '../types.ts';
import { clone, isRecord } from '../types.ts';

const CRON = { resource: 'cronworkflows', group: 'argoproj.io' };
const WORKFLOWS = { resource: 'workflows', group: 'argoproj.io' };
export const CRON_WORKFLOW_LABEL = 'workflows.argoproj.io/cron-workflow';
const SCHEDULED_TIME = 'workflows.argoproj.io/scheduled-time';

type Json = Record<string, unknown>;

function running(wf: KubeObject): boolean {
  const phase = (wf.status as Json | undefined)?.phase;
  return phase === undefined || phase === '' || phase === 'Pending' || phase === 'Running';
}

/** What a tick did: the Workflow started, or why none was. */
export type CronTick = { started: KubeObject } | { skipped: 'suspended' | 'concurrency' };

export function tickCronWorkflow(store: ObjectStore, namespace: string, name: string, at: Date = new Date()): CronTick {
  const cron = store.tryGet('cronworkflows', namespace, name);
  if (!cron) throw new Error(`no CronWorkflow ${namespace}/${name}`);
  const spec = (cron.spec ?? {}) as Json;
  if (spec.suspend === true) return { skipped: 'suspended' };
  const active = store.list('workflows', namespace, (w) => w.metadata.labels?.[CRON_WORKFLOW_LABEL] === name && running(w));
  if (active.length > 0 && spec.concurrencyPolicy === 'Forbid') return { skipped: 'concurrency' };
  if (spec.concurrencyPolicy === 'Replace') for (const w of active) store.delete(WORKFLOWS, namespace, w.metadata.name);
  const meta = (isRecord(spec.workflowMetadata) ? spec.workflowMetadata : {}) as { labels?: Record<string, string>; annotations?: Record<string, string> };
  let seconds = Math.floor(at.getTime() / 1000);
  while (store.tryGet('workflows', namespace, `${name}-${seconds}`)) seconds++;
  const scheduled = new Date(seconds * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
  const workflow: KubeObject = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Workflow',
    metadata: {
      name: `${name}-${seconds}`,
      namespace,
      labels: { ...meta.labels, [CRON_WORKFLOW_LABEL]: name },
      annotations: { ...meta.annotations, [SCHEDULED_TIME]: scheduled },
      ownerReferences: [{ apiVersion: 'argoproj.io/v1alpha1', kind: 'CronWorkflow', name, uid: cron.metadata.uid!, blockOwnerDeletion: true, controller: true }],
    },
    spec: clone((spec.workflowSpec ?? {}) as Json),
  };
  const started = store.create(WORKFLOWS, workflow);
  store.mutate(CRON, namespace, name, (c) => {
    const status = ((c.status as Json | undefined) ?? {}) as Json;
    const kept = ((status.active as Json[] | undefined) ?? []).filter((ref) => active.some((w) => w.metadata.name === ref.name) && spec.concurrencyPolicy !== 'Replace');
    c.status = { ...status, lastScheduledTime: scheduled, active: [...kept, { apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', name: started.metadata.name, namespace, uid: started.metadata.uid }] };
  });
  return { started };
}
