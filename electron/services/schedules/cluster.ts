/**
 * Cluster schedules as the CLI and the app both use them: connect to where they are (Argo namespace,
 * KFP experiment), create one from a pipeline document, pause, resume, delete; and import the runs
 * they started into the run history, marked scheduled and followed like any cluster run.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import { catalog } from '../../../node-catalog/index.ts';
import type { ClusterSchedule, ClusterScheduleEndpoint } from '../../../shared/api/schedules.ts';
import { runParameterValues } from '../../../shared/pipeline/parameters.ts';
import type { PipelineDocument } from '../../../shared/pipeline/types.ts';
import type { KfpServiceSettings } from '../../../shared/runs/kfpConnection.ts';
import type { KfpEndpointRequest, RunSummary } from '../../../shared/runs/types.ts';
import { argoCronWorkflow } from '../../../shared/schedules/argo.ts';
import { kfpRecurringRun } from '../../../shared/schedules/kfp.ts';
import type { ScheduleSpec } from '../../../shared/schedules/types.ts';
import { kfpProfileNamespace, openKfpEndpoint } from '../kube/kfpEndpoint.ts';
import { kubeConfigFor, loadKubeConfig } from '../kube/kubeconfig.ts';
import type { KubeconfigChoice } from '../kube/kubeconfig.ts';
import { ArgoSchedules, KfpSchedules } from '../kube/schedules.ts';
import type { ImportRunRequest } from '../runs/manager.ts';
import { ClusterScheduleRegistry, entryKey, recordedAt, type ClusterScheduleEntry } from './clusterRegistry.ts';
import { kfpRunAccount } from '../../../shared/schedules/dataCheck/rbac.ts';
import { dataCheckAccessWarning, dataCheckUncheckedWarning } from './dataCheckAccess.ts';

type Env = Readonly<Record<string, string | undefined>>;

/** Where to connect: the endpoint as the app sends it, with what the CLI can add (the KFP service). */
export interface ScheduleConnection extends ClusterScheduleEndpoint, Pick<KfpEndpointRequest, 'kfpService'> {}

/** What the app adds to every connection, as its runs use them: the KFP service settings (a connection's own `kfpService` wins) and the kubeconfig files chosen in Settings. */
export interface ScheduleDefaults {
  kfpService?: Partial<KfpServiceSettings>;
  kubeconfig?: KubeconfigChoice;
}

export interface OpenedSchedules {
  schedules: ArgoSchedules | KfpSchedules;
  where: string;
  /** The kubeconfig context used (resolved from "current"), when one was. */
  context?: string;
  /** Argo: the namespace. */
  namespace?: string;
  /** KFP: the profile namespace of a multi-user install (none on a single-user one). */
  kfpNamespace?: string;
  /** KFP: the service the proxy reached (the app's settings, or the connection's own). */
  kfpService?: KfpServiceSettings;
  experimentId?: string;
  /** The kubeconfig it connected with (KFP: only where it goes through Kubernetes). */
  kc?: KubeConfig;
  /** Where the runs' pods run and as whom: what the data check's RBAC is about. */
  runAccount?: { namespace: string; serviceAccount: string };
}

/** The KFP connection fields a schedule keeps (names of variables and accounts, never a secret). */
function kfpConnectionOf(c: ScheduleConnection): Pick<ScheduleConnection, 'kfpAuth' | 'kfpTokenEnv' | 'kfpCookieEnv' | 'kfpServiceAccount' | 'kfpService'> {
  return {
    ...(c.kfpAuth ? { kfpAuth: c.kfpAuth } : {}),
    ...(c.kfpTokenEnv ? { kfpTokenEnv: c.kfpTokenEnv } : {}),
    ...(c.kfpCookieEnv ? { kfpCookieEnv: c.kfpCookieEnv } : {}),
    ...(c.kfpServiceAccount ? { kfpServiceAccount: c.kfpServiceAccount } : {}),
    ...(c.kfpService ? { kfpService: c.kfpService } : {}),
  };
}

/**
 * Connects to the schedules the endpoint names; throws with a plain message when it cannot. KFP is
 * opened exactly as a run opens it (kfpEndpoint.ts: service proxy, Kubeflow login session, service
 * account token; the same settings, profile namespace rule and 401/403 advice).
 */
export async function openClusterSchedules(c: ScheduleConnection, env: Env, pipelineNamespace?: string, defaults: ScheduleDefaults = {}): Promise<OpenedSchedules> {
  const experimentName = c.experiment || 'Default';
  if (c.target === 'kfp') {
    const { client, kc, service } = openKfpEndpoint(c, c.namespace || pipelineNamespace, { kubeConfigFor: (name) => kubeConfigFor(loadKubeConfig(env, defaults.kubeconfig), name), env, service: defaults.kfpService });
    const namespace = kfpProfileNamespace((await client.healthz(1)).multi_user, c.namespace, pipelineNamespace);
    const experiment = await client.ensureExperiment(experimentName, namespace);
    const context = c.kfpUrl ? undefined : kc?.getCurrentContext();
    const where = `KFP ${c.kfpUrl ? `at ${c.kfpUrl}` : `on ${context}`}${namespace ? `, namespace ${namespace}` : ''}, experiment ${experiment.display_name}`;
    return {
      ...(kc ? { kc } : {}),
      runAccount: kfpRunAccount(namespace, service.namespace),
      schedules: new KfpSchedules(client, experiment.experiment_id, namespace),
      ...(context ? { context } : {}),
      ...(namespace ? { kfpNamespace: namespace } : {}),
      ...(c.kfpUrl ? {} : { kfpService: service }),
      experimentId: experiment.experiment_id,
      where,
    };
  }
  const kc = kubeConfigFor(loadKubeConfig(env, defaults.kubeconfig), c.context || undefined);
  const context = kc.getCurrentContext();
  const namespace = c.namespace || kc.getContextObject(context)?.namespace || pipelineNamespace || 'default';
  // The CronWorkflow sets no serviceAccountName: its workflows run as the namespace's default account.
  return { schedules: new ArgoSchedules(kc, namespace), context, namespace, kc, runAccount: { namespace, serviceAccount: 'default' }, where: `Argo on ${context}, namespace ${namespace}` };
}

function entryFor(c: ScheduleConnection, opened: OpenedSchedules, s: ClusterSchedule, document: PipelineDocument, spec: Pick<ScheduleSpec, 'parameters'>): ClusterScheduleEntry {
  return {
    target: s.target,
    id: s.id,
    name: s.name,
    pipeline: document.name,
    ...(opened.context ? { context: opened.context } : {}),
    ...(opened.namespace ? { namespace: opened.namespace } : {}),
    ...(opened.kfpNamespace ? { namespace: opened.kfpNamespace } : {}),
    ...(c.target === 'kfp' && c.kfpUrl ? { kfpUrl: c.kfpUrl } : {}),
    ...(c.target === 'kfp' ? { ...kfpConnectionOf(c), ...(opened.kfpService ? { kfpService: opened.kfpService } : {}) } : {}),
    ...(opened.experimentId ? { experimentId: opened.experimentId, experiment: c.experiment || 'Default' } : {}),
    document,
    parameterValues: runParameterValues(document, catalog, spec.parameters).values,
    createdAt: new Date().toISOString(),
  };
}

/** Checks and compiles the schedule, creates it on the cluster and remembers it (with the document) in the data folder. */
export async function createClusterSchedule(
  c: ScheduleConnection,
  document: PipelineDocument,
  spec: ScheduleSpec,
  options: { env: Env; dataDir: string; pipelineId?: string; pipelineVersionId?: string } & ScheduleDefaults,
): Promise<{ created: ClusterSchedule; where: string; warnings: string[] }> {
  // Checked before connecting: a bad cron or time zone is named without touching the cluster.
  const built = c.target === 'argo' ? argoCronWorkflow(document, catalog, spec) : kfpRecurringRun(document, catalog, spec, { pipelineId: options.pipelineId, pipelineVersionId: options.pipelineVersionId });
  const opened = await openClusterSchedules(c, options.env, document.settings?.namespace, options);
  const created = opened.schedules instanceof KfpSchedules ? await opened.schedules.create({ ...(built as ReturnType<typeof kfpRecurringRun>), experiment_id: opened.experimentId }) : await opened.schedules.create(built);
  await new ClusterScheduleRegistry(options.dataDir).add(entryFor(c, opened, created, document, spec));
  const warnings: string[] = [];
  if (spec.trigger === 'data-changed' && opened.runAccount) {
    const { namespace, serviceAccount } = opened.runAccount;
    const warning = opened.kc
      ? await dataCheckAccessWarning(opened.kc, document.name, spec.name, namespace, serviceAccount)
      : dataCheckUncheckedWarning(document.name, spec.name, namespace, serviceAccount, 'Kubeflow Pipelines was reached by its URL, without Kubernetes access to ask the cluster');
    if (warning) warnings.push(warning);
  }
  return { created, where: opened.where, warnings };
}

export async function setClusterSchedulePaused(c: ScheduleConnection, id: string, paused: boolean, env: Env, defaults: ScheduleDefaults = {}): Promise<{ schedule: ClusterSchedule; where: string }> {
  const opened = await openClusterSchedules(c, env, undefined, defaults);
  return { schedule: await opened.schedules.setPaused(id, paused), where: opened.where };
}

/** Deletes it on the cluster and forgets it here (the runs it started stay in the history). */
export async function deleteClusterSchedule(c: ScheduleConnection, id: string, options: { env: Env; dataDir: string } & ScheduleDefaults): Promise<{ where: string }> {
  const opened = await openClusterSchedules(c, options.env, undefined, options);
  const schedule = opened.schedules instanceof KfpSchedules ? await opened.schedules.find(id) : undefined;
  await opened.schedules.delete(id);
  const key = entryKey({ target: c.target, id: schedule?.id ?? id, context: opened.context, namespace: opened.namespace, kfpUrl: c.target === 'kfp' ? c.kfpUrl : undefined });
  await new ClusterScheduleRegistry(options.dataDir).remove(key);
  return { where: opened.where };
}

/** The part of the run manager importing needs. */
export interface RunImporter {
  listRuns(): Promise<RunSummary[]>;
  importRun(request: ImportRunRequest): Promise<RunSummary | undefined>;
}

export interface DiscoveryResult {
  imported: RunSummary[];
  /** One line per place that could not be read (unreachable cluster, a schedule's namespace gone). */
  errors: string[];
}

/** Where an entry's schedule is, connected to the way it was made (a token only from memory). */
function connectionOf(e: ClusterScheduleEntry): ScheduleConnection {
  return { target: e.target, context: e.context, namespace: e.namespace, kfpUrl: e.kfpUrl, experiment: e.experiment, ...(e.target === 'kfp' ? kfpConnectionOf(e) : {}) };
}

/**
 * Imports the runs the given schedules started that the history lacks. Entries are grouped by where
 * they are, so each place is asked once. `tokens`: KFP tokens by URL, held in memory by the app.
 */
export async function importScheduledRuns(entries: readonly ClusterScheduleEntry[], runs: RunImporter, options: { env: Env; tokens?: ReadonlyMap<string, string>; signal?: AbortSignal } & ScheduleDefaults): Promise<DiscoveryResult> {
  const result: DiscoveryResult = { imported: [], errors: [] };
  if (entries.length === 0) return result;
  const known = new Set<string>();
  for (const r of await runs.listRuns()) {
    if (r.external?.workflowName) known.add(`argo|${r.external.workflowNamespace ?? r.namespace ?? ''}|${r.external.workflowName}`);
    if (r.external?.kfpRunId) known.add(`kfp|${r.external.kfpRunId}`);
  }
  const groups = new Map<string, ClusterScheduleEntry[]>();
  for (const e of entries) {
    const where = e.target === 'argo' ? `argo|${e.context ?? ''}|${e.namespace ?? ''}` : `kfp|${e.kfpUrl ?? e.context ?? ''}|${e.experimentId ?? e.experiment ?? ''}`;
    groups.set(where, [...(groups.get(where) ?? []), e]);
  }
  for (const group of groups.values()) {
    if (options.signal?.aborted) break;
    const first = group[0];
    const token = first.kfpUrl ? options.tokens?.get(first.kfpUrl) : undefined;
    const connection = { ...connectionOf(first), ...(token ? { kfpToken: token } : {}) };
    try {
      const opened = await openClusterSchedules(connection, options.env, undefined, options);
      const byId = new Map(group.map((e) => [e.id, e]));
      for (const started of await opened.schedules.startedRuns([...byId.keys()])) {
        const key = first.target === 'argo' ? `argo|${started.namespace ?? ''}|${started.id}` : `kfp|${started.id}`;
        const entry = byId.get(started.scheduleId);
        if (known.has(key) || !entry || options.signal?.aborted) continue;
        const summary = await runs.importRun({
          request: {
            document: entry.document,
            target: entry.target,
            ...(entry.context ? { context: entry.context } : {}),
            ...(entry.namespace ? { namespace: entry.namespace } : {}),
            ...(entry.kfpUrl ? { kfpUrl: entry.kfpUrl } : {}),
            ...(token ? { kfpToken: token } : {}),
            ...(entry.target === 'kfp' ? kfpConnectionOf(entry) : {}),
            ...(entry.experiment ? { experiment: entry.experiment } : {}),
            parameterValues: entry.parameterValues,
            scheduledBy: `${entry.target}:${entry.id}`,
          },
          scheduleName: entry.name,
          createdAt: started.createdAt,
          external: entry.target === 'argo' ? { workflowName: started.id, workflowNamespace: started.namespace } : { kfpRunId: started.id, ...(entry.kfpUrl ? { kfpUrl: entry.kfpUrl } : {}), ...(opened.kfpNamespace ? { kfpNamespace: opened.kfpNamespace } : {}) },
        });
        known.add(key);
        if (summary) result.imported.push(summary);
      }
    } catch (err) {
      const names = group.map((e) => e.name).join(', ');
      result.errors.push(`cannot look for the runs of ${first.target === 'argo' ? 'CronWorkflow' : 'recurring run'}${group.length > 1 ? 's' : ''} ${names}: ${(err as Error).message}`);
    }
  }
  return result;
}

/**
 * The entries for the pipeline's schedules at an endpoint: those this data folder made (with the
 * document they were made from), and for any other schedule of the pipeline found there (made by
 * another machine, or applied from `--out` files), the document the app has open.
 */
export async function entriesAt(c: ScheduleConnection, document: PipelineDocument, options: { env: Env; dataDir: string } & ScheduleDefaults): Promise<{ entries: ClusterScheduleEntry[]; schedules: ClusterSchedule[]; opened: OpenedSchedules }> {
  const opened = await openClusterSchedules(c, options.env, document.settings?.namespace, options);
  const remembered = await new ClusterScheduleRegistry(options.dataDir).list();
  let schedules: ClusterSchedule[];
  try {
    schedules = (await opened.schedules.list()).filter((s) => s.pipeline === document.name);
  } catch (err) {
    // Not listable here (RBAC may refuse listing CronWorkflows): the runs of the ones this data folder made are still looked for.
    const mine = remembered.filter((e) => e.pipeline === document.name && recordedAt(e, c, opened));
    if (mine.length === 0) throw err;
    return { entries: mine.map((e) => ({ ...e, ...(c.target === 'kfp' ? kfpConnectionOf(c) : {}) })), schedules: [], opened };
  }
  const entries = schedules.map((s) => {
    const key = entryKey({ target: s.target, id: s.id, context: opened.context, namespace: opened.namespace, kfpUrl: c.target === 'kfp' ? c.kfpUrl : undefined });
    const known = remembered.find((e) => entryKey(e) === key);
    // Reached just now this way: the runs are looked for (and followed) the same way.
    return known ? { ...known, ...(c.target === 'kfp' ? kfpConnectionOf(c) : {}) } : entryFor(c, opened, s, document, { parameters: {} });
  });
  return { entries, schedules, opened };
}
