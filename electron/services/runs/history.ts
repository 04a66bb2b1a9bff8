/**
 * The run history on disk, `<data dir>/runs/<run id>/`: listing, reading and deleting runs, served
 * from the files alone so every process (app, browser mode, CLI) sees the same history.
 */
import { mkdirSync, promises as fs } from 'node:fs';
import path from 'node:path';
import type { LogPage } from '../../../shared/api/runs.ts';
import type { LogLine, MetricRecord, RunRecord, RunSummary } from '../../../shared/runs/types.ts';
import { checkRunId } from './ids.ts';
import { nodeLogDir, readLogPage, readLogTail } from './logFiles.ts';
import { metricsFile, readMetricsFile } from './metricFiles.ts';
import { readStoredRun, recordFile, writeJsonAtomic } from './runFiles.ts';
import type { StoredRun } from './runFiles.ts';

export function toSummary(run: RunSummary): RunSummary {
  const { id, pipelineName, target, context, namespace, phase, message, createdAt, finishedAt, nodes, external, alerts } = run;
  const summary: RunSummary = { id, pipelineName, target, phase, createdAt, nodes };
  Object.assign(summary, Object.fromEntries(Object.entries({ context, namespace, message, finishedAt, alerts, external, scheduledBy: run.scheduledBy, scheduleName: run.scheduleName }).filter(([, v]) => v !== undefined)));
  if (run.parameterValues && Object.keys(run.parameterValues).length > 0) summary.parameterValues = run.parameterValues;
  return summary;
}

export function toRecord(run: StoredRun): RunRecord {
  const { inputs, parameterValues } = run;
  return { ...toSummary(run), document: run.document, compiled: run.compiled, ...(inputs ? { inputs } : {}), ...(parameterValues ? { parameterValues } : {}) };
}

export class RunHistory {
  private readonly cache = new Map<string, { mtimeMs: number; summary: RunSummary }>();

  constructor(readonly root: string) {}

  dir(runId: string): string {
    return path.join(this.root, checkRunId(runId));
  }

  /** Make the run's folder (refusing an id already taken) and write its first record. */
  async create(record: StoredRun): Promise<string> {
    const dir = this.dir(record.id);
    // Small calls on the way to starting a run are made synchronously: a trip through the thread pool costs more.
    mkdirSync(this.root, { recursive: true });
    mkdirSync(dir);
    // Not synced here, on the way to starting the run: its first phase is, within PHASE_WRITE_DELAY_MS (activeRun.ts).
    await writeJsonAtomic(recordFile(dir), record, { durable: false });
    return dir;
  }

  async read(runId: string): Promise<StoredRun> {
    const dir = this.dir(runId);
    try {
      return await readStoredRun(dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(`No run "${runId}" in the run history (${this.root})`);
      throw new Error(`Run "${runId}" cannot be read: ${(error as Error).message}`);
    }
  }

  async ids(): Promise<string[]> {
    const names = await fs.readdir(this.root).catch(() => [] as string[]);
    return names.filter((name) => !name.startsWith('.')).sort();
  }

  /** Every run, newest first. An unreadable record is listed as an `error` run that says why. */
  async list(): Promise<RunSummary[]> {
    const out: RunSummary[] = [];
    for (const id of await this.ids()) {
      const file = recordFile(path.join(this.root, id));
      const stat = await fs.stat(file).catch(() => undefined);
      if (!stat) continue;
      const cached = this.cache.get(id);
      if (cached && cached.mtimeMs === stat.mtimeMs) {
        out.push(cached.summary);
        continue;
      }
      let summary: RunSummary;
      try {
        summary = toSummary(await readStoredRun(path.join(this.root, id)));
      } catch (error) {
        const message = `The run record cannot be read: ${(error as Error).message}`;
        summary = { id, pipelineName: '', target: 'local', phase: 'error', message, createdAt: stat.mtime.toISOString(), nodes: {} };
      }
      this.cache.set(id, { mtimeMs: stat.mtimeMs, summary });
      out.push(summary);
    }
    return out.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
  }

  async readLog(runId: string, nodeId: string, afterSeq: number, limit: number): Promise<LogPage> {
    return readLogPage(nodeLogDir(this.dir(runId), nodeId), afterSeq, limit);
  }

  async logTail(runId: string, nodeId: string, count: number): Promise<LogLine[]> {
    return readLogTail(nodeLogDir(this.dir(runId), nodeId), count);
  }

  async readMetrics(runId: string, nodeId: string): Promise<MetricRecord[]> {
    return readMetricsFile(metricsFile(this.dir(runId), nodeId));
  }

  async remove(runId: string): Promise<void> {
    this.cache.delete(runId);
    await fs.rm(this.dir(runId), { recursive: true, force: true });
  }

  /** The one run whose id starts with `prefix` (CLI convenience), or an error naming the candidates. */
  async resolve(prefix: string): Promise<string> {
    const ids = await this.ids();
    if (ids.includes(prefix)) return prefix;
    const matches = ids.filter((id) => id.startsWith(prefix));
    if (matches.length === 1) return matches[0];
    if (matches.length === 0) throw new Error(`No run "${prefix}" in the run history (${this.root})`);
    throw new Error(`"${prefix}" matches ${matches.length} runs: ${matches.slice(0, 5).join(', ')}${matches.length > 5 ? ', ...' : ''}`);
  }
}
