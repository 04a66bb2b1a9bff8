/**
 * Schedules on a cluster: Argo CronWorkflows (through the Kubernetes API) and KFP recurring runs
 * (through the KFP API) created, listed, paused, resumed and deleted, seen the same way.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import type { ClusterSchedule } from '../../../shared/api/schedules.ts';
import { ARGO_CRON_LABEL, PIPELINE_LABEL, SCHEDULE_LABEL, TRIGGER_ANNOTATION } from '../../../shared/schedules/types.ts';
import { KFP_DATA_CHANGED_NOTE } from '../../../shared/schedules/kfp.ts';
import { nextArgoRun, nextKfpRun } from '../../../shared/schedules/nextRun.ts';
import type { KfpClient, KfpRecurringRun } from './kfpClient.ts';
import { kubeJson } from './request.ts';

export type { ClusterSchedule };

/** A run a schedule started, as the cluster shows it. */
export interface StartedRun {
  /** The Argo Workflow's name, or the KFP run id. */
  id: string;
  /** Argo: the Workflow's namespace. */
  namespace?: string;
  /** The schedule that started it (CronWorkflow name, recurring run id). */
  scheduleId: string;
  createdAt: string;
  /** Target-side state (Argo phase, KFP state), for a first look before it is followed. */
  state?: string;
}

const CRON_WORKFLOWS = (ns: string) => `/apis/argoproj.io/v1alpha1/namespaces/${encodeURIComponent(ns)}/cronworkflows`;
const WORKFLOWS = (ns: string) => `/apis/argoproj.io/v1alpha1/namespaces/${encodeURIComponent(ns)}/workflows`;

interface CronWorkflowObject {
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec: { schedules?: string[]; schedule?: string; timezone?: string; suspend?: boolean; concurrencyPolicy?: string; startingDeadlineSeconds?: number };
  status?: { lastScheduledTime?: string };
}

function fromCronWorkflow(cw: CronWorkflowObject): ClusterSchedule {
  const crons = cw.spec.schedules ?? (cw.spec.schedule ? [cw.spec.schedule] : []);
  const nextRun = cw.spec.suspend === true ? undefined : nextArgoRun(crons, cw.spec.timezone || undefined, Date.now());
  return {
    target: 'argo',
    id: cw.metadata.name,
    name: cw.metadata.name,
    pipeline: cw.metadata.labels?.[PIPELINE_LABEL],
    cron: crons.join(', '),
    timezone: cw.spec.timezone || 'controller local time',
    paused: cw.spec.suspend === true,
    maxConcurrency: cw.spec.concurrencyPolicy === 'Forbid' || cw.spec.concurrencyPolicy === 'Replace' ? '1' : 'any',
    catchUp: (cw.spec.startingDeadlineSeconds ?? 0) > 0,
    lastScheduled: cw.status?.lastScheduledTime,
    ...(cw.metadata.annotations?.[TRIGGER_ANNOTATION] === 'data-changed' ? { trigger: 'data-changed' as const } : {}),
    ...(cw.metadata.labels?.[SCHEDULE_LABEL] === undefined ? { external: true as const } : {}),
    ...(nextRun ? { nextRun } : {}),
  };
}

function fromRecurringRun(r: KfpRecurringRun, experiments?: ReadonlyMap<string, string>): ClusterSchedule {
  const pipeline = /^Pipewright schedule of ([a-z0-9-]+):/.exec(r.description ?? '')?.[1];
  const cron = r.trigger?.cron_schedule?.cron;
  const every = Number(r.trigger?.periodic_schedule?.interval_second);
  const nextRun = r.status !== 'DISABLED' && cron ? nextKfpRun(cron, Date.now()) : undefined;
  const experiment = r.experiment_id ? experiments?.get(r.experiment_id) : undefined;
  return {
    ...(pipeline ? {} : { external: true as const }),
    target: 'kfp',
    id: r.recurring_run_id,
    name: r.display_name,
    pipeline,
    cron: r.trigger?.cron_schedule?.cron ?? '',
    timezone: 'UTC',
    paused: r.status === 'DISABLED',
    maxConcurrency: r.max_concurrency,
    catchUp: r.no_catchup !== true,
    ...(pipeline && (r.description ?? '').endsWith(KFP_DATA_CHANGED_NOTE) ? { trigger: 'data-changed' as const } : {}),
    ...(nextRun ? { nextRun } : {}),
    ...(!cron && Number.isFinite(every) && every > 0 ? { every } : {}),
    ...(experiment ? { experiment } : {}),
  };
}

export class ArgoSchedules {
  constructor(
    private readonly kc: KubeConfig,
    private readonly namespace: string,
  ) {}

  async create(cronWorkflow: object): Promise<ClusterSchedule> {
    const name = (cronWorkflow as CronWorkflowObject).metadata.name;
    const body = { ...cronWorkflow, metadata: { ...(cronWorkflow as CronWorkflowObject).metadata, namespace: this.namespace } };
    return fromCronWorkflow(await kubeJson<CronWorkflowObject>(this.kc, { method: 'POST', path: CRON_WORKFLOWS(this.namespace), body }, `create CronWorkflow ${name} in ${this.namespace}`));
  }

  /** Every CronWorkflow in the namespace; those without Pipewright's schedule label are marked external. */
  async list(): Promise<ClusterSchedule[]> {
    const res = await kubeJson<{ items?: CronWorkflowObject[] }>(this.kc, { path: CRON_WORKFLOWS(this.namespace) }, `list CronWorkflows in ${this.namespace}`);
    return (res.items ?? []).map(fromCronWorkflow).sort((a, b) => a.name.localeCompare(b.name));
  }

  /** One CronWorkflow, read by name (RBAC may allow `get` where it refuses `list`). */
  async get(name: string): Promise<ClusterSchedule> {
    return fromCronWorkflow(await kubeJson<CronWorkflowObject>(this.kc, { path: `${CRON_WORKFLOWS(this.namespace)}/${encodeURIComponent(name)}` }, `read CronWorkflow ${name} in ${this.namespace}`));
  }

  async setPaused(name: string, paused: boolean): Promise<ClusterSchedule> {
    const path = `${CRON_WORKFLOWS(this.namespace)}/${encodeURIComponent(name)}`;
    return fromCronWorkflow(await kubeJson<CronWorkflowObject>(this.kc, { method: 'PATCH', path, body: { spec: { suspend: paused } }, contentType: 'application/merge-patch+json' }, `${paused ? 'pause' : 'resume'} CronWorkflow ${name}`));
  }

  async delete(name: string): Promise<void> {
    await kubeJson(this.kc, { method: 'DELETE', path: `${CRON_WORKFLOWS(this.namespace)}/${encodeURIComponent(name)}` }, `delete CronWorkflow ${name}`);
  }

  /** The Workflows the CronWorkflows called `names` started (Argo labels each with workflows.argoproj.io/cron-workflow), oldest first. */
  async startedRuns(names: readonly string[]): Promise<StartedRun[]> {
    if (names.length === 0) return [];
    const selector = `${ARGO_CRON_LABEL} in (${names.join(',')})`;
    const res = await kubeJson<{ items?: { metadata: { name: string; namespace?: string; creationTimestamp?: string; labels?: Record<string, string> }; status?: { phase?: string } }[] }>(
      this.kc,
      { path: WORKFLOWS(this.namespace), query: { labelSelector: selector } },
      `list the Workflows of CronWorkflows ${names.join(', ')} in ${this.namespace}`,
    );
    return (res.items ?? [])
      .map((w) => ({ id: w.metadata.name, namespace: w.metadata.namespace ?? this.namespace, scheduleId: w.metadata.labels?.[ARGO_CRON_LABEL] ?? '', createdAt: w.metadata.creationTimestamp ?? new Date().toISOString(), state: w.status?.phase }))
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  }
}

export class KfpSchedules {
  constructor(
    private readonly client: KfpClient,
    private readonly experimentId?: string,
    /** The profile namespace (multi-user KFP): where recurring runs of any experiment are listed. */
    private readonly namespace?: string,
  ) {}

  async create(body: Parameters<KfpClient['createRecurringRun']>[0]): Promise<ClusterSchedule> {
    return fromRecurringRun(await this.client.createRecurringRun(body));
  }

  /** The experiment's recurring runs; `lastScheduled` from the newest run each started (KFP's recurring run does not say). */
  async list(): Promise<ClusterSchedule[]> {
    const all = (await this.client.listRecurringRuns(this.experimentId)).map((r) => fromRecurringRun(r)).sort((a, b) => a.name.localeCompare(b.name));
    if (all.length === 0) return all;
    const last = new Map<string, string>();
    for (const r of await this.startedRuns(all.map((s) => s.id))) last.set(r.scheduleId, r.createdAt);
    return all.map((s) => (last.has(s.id) ? { ...s, lastScheduled: last.get(s.id) } : s));
  }

  /**
   * Every recurring run of the namespace (all of them on a single-user KFP), in any experiment, each
   * with its experiment's name; `lastScheduled` from the newest runs of the namespace.
   */
  async listNamespace(): Promise<ClusterSchedule[]> {
    const [runs, experiments] = await Promise.all([this.client.listRecurringRuns(undefined, this.namespace), this.client.experiments(this.namespace)]);
    const names = new Map(experiments.map((e) => [e.experiment_id, e.display_name]));
    const all = runs.map((r) => fromRecurringRun(r, names)).sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
    if (all.length === 0) return all;
    const wanted = new Set(all.map((s) => s.id));
    const last = new Map<string, string>();
    for (const r of await this.client.listRuns(undefined, 5, this.namespace)) {
      if (!r.recurring_run_id || !wanted.has(r.recurring_run_id) || !r.created_at) continue;
      const seen = last.get(r.recurring_run_id);
      if (!seen || r.created_at > seen) last.set(r.recurring_run_id, r.created_at);
    }
    return all.map((s) => (last.has(s.id) ? { ...s, lastScheduled: last.get(s.id) } : s));
  }

  /**
   * The recurring run called `nameOrId` (display name or id, in the experiment; by id, anywhere in the
   * namespace: one of another experiment shown among the other schedules); an error naming the ones there are otherwise.
   */
  async find(nameOrId: string): Promise<ClusterSchedule> {
    const all = await this.list();
    const found = all.filter((s) => s.id === nameOrId || s.name === nameOrId);
    if (found.length === 0 && this.experimentId) {
      const elsewhere = (await this.client.listRecurringRuns(undefined, this.namespace)).find((r) => r.recurring_run_id === nameOrId);
      if (elsewhere) return fromRecurringRun(elsewhere);
    }
    if (found.length === 1) return found[0];
    if (found.length > 1) throw new Error(`${found.length} recurring runs are called "${nameOrId}"; give one of their ids: ${found.map((s) => s.id).join(', ')}`);
    throw new Error(`no recurring run "${nameOrId}" (there are: ${all.map((s) => s.name).join(', ') || 'none'})`);
  }

  async setPaused(nameOrId: string, paused: boolean): Promise<ClusterSchedule> {
    const s = await this.find(nameOrId);
    await this.client.setRecurringRunEnabled(s.id, !paused);
    return { ...s, paused };
  }

  async delete(nameOrId: string): Promise<void> {
    await this.client.deleteRecurringRun((await this.find(nameOrId)).id);
  }

  /** The runs the recurring runs `ids` started (runs carry `recurring_run_id`), among the experiment's newest, oldest first. */
  async startedRuns(ids: readonly string[]): Promise<StartedRun[]> {
    if (ids.length === 0) return [];
    const wanted = new Set(ids);
    const runs = await this.client.listRuns(this.experimentId);
    return runs
      .filter((r) => r.recurring_run_id && wanted.has(r.recurring_run_id))
      .map((r) => ({ id: r.run_id, scheduleId: r.recurring_run_id!, createdAt: r.created_at ?? new Date().toISOString(), state: r.state }))
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  }
}
