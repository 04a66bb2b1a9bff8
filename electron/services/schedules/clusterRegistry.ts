/**
 * The cluster schedules this data folder made (app or CLI), in `cluster-schedules.json`: where each is
 * (context, namespace, KFP URL and experiment, never a token) and the pipeline document it was
 * compiled from, so the runs it starts can be imported into the run history with that document.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { PipelineDocument, PipelineParameterValue } from '../../../shared/pipeline/types.ts';
import type { KfpAuthMode, KfpServiceSettings } from '../../../shared/runs/kfpConnection.ts';
import { writeJsonAtomic } from '../runs/runFiles.ts';

export const CLUSTER_SCHEDULES_FILE = 'cluster-schedules.json';
const FORMAT = 'pipewright.cluster-schedules/v1';

export interface ClusterScheduleEntry {
  target: 'argo' | 'kfp';
  /** CronWorkflow name, or recurring run id. */
  id: string;
  name: string;
  pipeline: string;
  /** The kubeconfig context it was made through (resolved, not "current"). */
  context?: string;
  /** Argo: the CronWorkflow's namespace. KFP: the namespace given (multi-user profile), if any. */
  namespace?: string;
  kfpUrl?: string;
  /** The environment variable holding the token for kfpUrl (its name only). */
  kfpTokenEnv?: string;
  /** KFP: how it was reached (as a run request says it): the mode, the cookie's variable name, the service account, the proxied service. */
  kfpAuth?: KfpAuthMode;
  kfpCookieEnv?: string;
  kfpServiceAccount?: string;
  kfpService?: Partial<KfpServiceSettings>;
  experimentId?: string;
  experiment?: string;
  document: PipelineDocument;
  parameterValues: Record<string, PipelineParameterValue>;
  createdAt: string;
}

/** Where an entry's schedule lives, as one string: two entries with the same key are the same schedule. */
export function entryKey(e: Pick<ClusterScheduleEntry, 'target' | 'id' | 'context' | 'namespace' | 'kfpUrl'>): string {
  return e.target === 'argo' ? `argo|${e.context ?? ''}|${e.namespace ?? ''}|${e.id}` : `kfp|${e.kfpUrl ?? e.context ?? ''}|${e.id}`;
}

/** Whether a recorded schedule is at this place (after connecting: as resolved; before: as far as the endpoint says). */
export function recordedAt(
  e: ClusterScheduleEntry,
  c: { target: 'argo' | 'kfp'; context?: string; namespace?: string; kfpUrl?: string; experiment?: string },
  opened?: { context?: string; namespace?: string; experimentId?: string },
): boolean {
  if (e.target !== c.target) return false;
  if (c.target === 'argo') {
    const context = opened?.context ?? (c.context || undefined);
    const namespace = opened?.namespace ?? (c.namespace || undefined);
    return (!context || e.context === context) && (!namespace || e.namespace === namespace);
  }
  if (c.kfpUrl ? e.kfpUrl !== c.kfpUrl : e.kfpUrl !== undefined || (c.context && e.context !== c.context)) return false;
  if (opened?.experimentId) return e.experimentId === opened.experimentId;
  // A single-user KFP keeps no namespace with the record (the one given is not used there).
  return (e.experiment ?? 'Default') === (c.experiment || 'Default') && (!c.namespace || !e.namespace || e.namespace === c.namespace);
}

export class ClusterScheduleRegistry {
  readonly file: string;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(dataDir: string) {
    this.file = path.join(dataDir, CLUSTER_SCHEDULES_FILE);
  }

  async list(): Promise<ClusterScheduleEntry[]> {
    let text: string;
    try {
      text = await fs.readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw new Error(`cannot read ${this.file}: ${(err as Error).message}`);
    }
    let value: { format?: string; schedules?: ClusterScheduleEntry[] };
    try {
      value = JSON.parse(text) as typeof value;
    } catch (err) {
      throw new Error(`${this.file} is not valid JSON (${(err as Error).message}); move it aside to start a new list of cluster schedules`);
    }
    if (value.format !== FORMAT || !Array.isArray(value.schedules)) throw new Error(`${this.file} is not a Pipewright list of cluster schedules (format ${JSON.stringify(value.format)}, expected "${FORMAT}")`);
    return value.schedules;
  }

  /** Adds the entry, replacing one for the same schedule. */
  add(entry: ClusterScheduleEntry): Promise<void> {
    return this.change((all) => [...all.filter((e) => entryKey(e) !== entryKey(entry)), entry]);
  }

  remove(key: string): Promise<void> {
    return this.change((all) => all.filter((e) => entryKey(e) !== key));
  }

  private change(edit: (all: ClusterScheduleEntry[]) => ClusterScheduleEntry[]): Promise<void> {
    const next = this.queue.then(async () => {
      const all = await this.list();
      await fs.mkdir(path.dirname(this.file), { recursive: true });
      await writeJsonAtomic(this.file, { format: FORMAT, schedules: edit(all) });
    });
    this.queue = next.catch(() => undefined);
    return next;
  }
}
