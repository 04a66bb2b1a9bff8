/**
 * The app's cluster schedules: the same service code as `pipewright schedule(s)` (schedules/cluster.ts),
 * plus the runs they start brought into the run history while the app is open: when the app lists
 * runs (at most every `listThrottleMs`), every `pollMs`, and when the schedules dialog asks.
 */
import type { ClusterScheduleEndpoint, ClusterSchedulesApi } from '../../../shared/api/schedules.ts';
import type { KfpServiceSettings } from '../../../shared/runs/kfpConnection.ts';
import type { RunSummary } from '../../../shared/runs/types.ts';
import type { KubeconfigChoice } from '../kube/kubeconfig.ts';
import type { RunImporter, ScheduleDefaults } from './cluster.ts';
import { ClusterScheduleRegistry } from './clusterRegistry.ts';

type Env = Readonly<Record<string, string | undefined>>;

// The Kubernetes client is slow to load: only when a cluster schedule is touched.
const cluster = () => import('./cluster.ts');
const overview = () => import('./clusterOverview.ts');

export interface ClusterSchedulesService {
  api: ClusterSchedulesApi;
  /** Look for new scheduled runs soon (the app listed its runs); at most once per throttle period. */
  discoverSoon(): void;
  stop(): void;
}

export function createClusterSchedulesService(options: {
  dataDir: string;
  runs?: Partial<RunImporter>;
  env?: Env;
  /** The app's KFP service settings, read at each call (as a run reads them when it starts). */
  kfpService?: () => Promise<Partial<KfpServiceSettings>>;
  /** The kubeconfig files and context chosen in Settings (as runs read them). */
  kubeconfig?: () => KubeconfigChoice;
  pollMs?: number;
  listThrottleMs?: number;
  onError?: (message: string) => void;
}): ClusterSchedulesService {
  const env = options.env ?? process.env;
  const registry = new ClusterScheduleRegistry(options.dataDir);
  // KFP bearer tokens typed in the app, by URL: in memory only.
  const tokens = new Map<string, string>();
  let chain: Promise<unknown> = Promise.resolve();
  let lastDiscovery = 0;
  const defaults = async (): Promise<ScheduleDefaults> => ({ kfpService: await options.kfpService?.(), kubeconfig: options.kubeconfig?.() });
  const report = options.onError ?? ((message: string) => console.error(`scheduled runs: ${message}`));

  const importer = (): RunImporter => {
    const runs = options.runs;
    if (!runs?.importRun || !runs.listRuns) throw new Error('runs are not available in this back end');
    return runs as RunImporter;
  };
  const remember = (e: ClusterScheduleEndpoint) => {
    if (e.kfpUrl && e.kfpToken) tokens.set(e.kfpUrl, e.kfpToken);
    return e;
  };
  /** One import at a time, so two callers never race to import the same run. */
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const next = chain.then(work);
    chain = next.catch(() => undefined);
    return next;
  };

  const discoverRemembered = () =>
    serial(async () => {
      lastDiscovery = Date.now();
      const entries = await registry.list();
      if (entries.length === 0 || !options.runs?.importRun) return;
      const found = await (await cluster()).importScheduledRuns(entries, importer(), { env, tokens, ...(await defaults()) });
      for (const e of found.errors) report(e);
    }).catch((err: unknown) => report((err as Error).message));

  const timer = options.runs?.importRun ? setInterval(() => void discoverRemembered(), options.pollMs ?? 60_000) : undefined;
  timer?.unref();

  const api: ClusterSchedulesApi = {
    async listClusterSchedules(endpoint, pipeline) {
      if (pipeline) return (await overview()).clusterScheduleOverview(remember(endpoint), pipeline, { env, dataDir: options.dataDir, ...(await defaults()) });
      const opened = await (await cluster()).openClusterSchedules(remember(endpoint), env, undefined, await defaults());
      const all = await opened.schedules.list();
      const namespace = opened.namespace ?? opened.kfpNamespace;
      const place = { target: endpoint.target, ...(opened.context ? { context: opened.context } : {}), ...(namespace ? { namespace } : {}), ...(endpoint.target === 'kfp' && endpoint.kfpUrl ? { kfpUrl: endpoint.kfpUrl } : {}), ...(opened.experimentId ? { experiment: endpoint.experiment || 'Default' } : {}) };
      return { schedules: pipeline ? all.filter((s) => s.pipeline === pipeline) : all, where: opened.where, place };
    },
    async addClusterSchedule(endpoint, document, spec) {
      try {
        const { created, warnings } = await (await cluster()).createClusterSchedule(remember(endpoint), document, spec, { env, dataDir: options.dataDir, ...(await defaults()) });
        return warnings.length > 0 ? { ...created, warnings } : created;
      } catch (err) {
        if ((err as Error).name === 'ScheduleError') throw new Error(`${(err as { field?: string }).field ?? 'schedule'}: ${(err as Error).message}`);
        throw err;
      }
    },
    async setClusterSchedulePaused(endpoint, id, paused) {
      return (await (await cluster()).setClusterSchedulePaused(remember(endpoint), id, paused, env, await defaults())).schedule;
    },
    async deleteClusterSchedule(endpoint, id) {
      await (await cluster()).deleteClusterSchedule(remember(endpoint), id, { env, dataDir: options.dataDir, ...(await defaults()) });
    },
    syncScheduledRuns: (endpoint, document) =>
      serial(async (): Promise<RunSummary[]> => {
        const c = await cluster();
        const { entries } = await c.entriesAt(remember(endpoint), document, { env, dataDir: options.dataDir, ...(await defaults()) });
        const found = await c.importScheduledRuns(entries, importer(), { env, tokens, ...(await defaults()) });
        if (found.errors.length > 0) throw new Error(found.errors.join('\n'));
        return found.imported;
      }),
  };

  return {
    api,
    discoverSoon() {
      if (Date.now() - lastDiscovery < (options.listThrottleMs ?? 30_000)) return;
      lastDiscovery = Date.now();
      void discoverRemembered();
    },
    stop() {
      if (timer) clearInterval(timer);
    },
  };
}
