/**
 * Schedules of the local target: kept in the data folder (schedules.json), run while the app or
 * `pipewright schedule --serve` is running. Each tick finds the cron times that passed, starts a
 * run for each (catch-up on) or only for one that is due now (catch-up off), never more at once
 * than the schedule's max concurrency, and for "when the data changes" only when a dataset input
 * differs from the last successful run's.
 */
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { fireTimesBetween, parseCron } from '../../../shared/schedules/cron.ts';
import type { ScheduleSpec } from '../../../shared/schedules/types.ts';
import { writeFileAtomic } from '../atomicWrite.ts';
import { dataChanges, type DataFingerprint } from './dataChange.ts';

/** A firing missed by more than this is "missed" (catch-up decides); within it, it is on time. */
export const ON_TIME_MS = 60_000;
export const SCHEDULES_FILE = 'schedules.json';

export interface LocalScheduleEvent {
  at: number;
  /** started: a run began; unchanged: data trigger found nothing new; skipped: missed with catch-up off; failed: could not start. */
  outcome: 'started' | 'unchanged' | 'skipped' | 'failed';
  /** The cron time this was for. */
  firedFor: number;
  runId?: string;
  message: string;
}

export interface LocalSchedule extends ScheduleSpec {
  id: string;
  /** The pipeline file (absolute path) each run reads at the time it starts. */
  file: string;
  pipeline: string;
  paused: boolean;
  createdAt: number;
  /** The latest cron time already handled. */
  handledUntil: number;
  /** Cron times due but waiting for a free slot (max concurrency). */
  pending: number[];
  /** Runs this schedule started that have not finished, with the data they read. */
  active: { runId: string; data?: DataFingerprint[] }[];
  /** The dataset fingerprints of the last successful run this schedule started. */
  lastSuccessData?: DataFingerprint[];
  lastSuccessRunId?: string;
  /** Newest last, at most 50. */
  history: LocalScheduleEvent[];
}

export type RunState = 'running' | 'succeeded' | 'failed' | 'cancelled' | 'unknown';

export interface SchedulerDeps {
  dataDir: string;
  now(): number;
  /** Starts a run of the schedule's pipeline (read from its file now) with its parameter values. */
  startRun(schedule: LocalSchedule): Promise<{ runId: string }>;
  runState(runId: string): Promise<RunState>;
  /** The schedule's pipeline's dataset fingerprints now (only for data-changed schedules). */
  fingerprint(schedule: LocalSchedule): Promise<DataFingerprint[]>;
  /** Fingerprints of the pipeline's last successful run outside this schedule, when it has none of its own. */
  lastSuccessfulRunData?(schedule: LocalSchedule): Promise<{ runId: string; data: DataFingerprint[] } | undefined>;
}

export class SchedulesFileError extends Error {}

export class LocalScheduler {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: SchedulerDeps) {}

  get file(): string {
    return join(this.deps.dataDir, SCHEDULES_FILE);
  }

  /** Runs `task` after every earlier one (the file is read and written by one task at a time). */
  private serial<T>(task: () => Promise<T>): Promise<T> {
    const next = this.queue.then(task, task);
    this.queue = next.catch(() => undefined);
    return next;
  }

  async list(): Promise<LocalSchedule[]> {
    return this.serial(() => this.read());
  }

  private async read(): Promise<LocalSchedule[]> {
    let text: string;
    try {
      text = await fs.readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    try {
      const parsed = JSON.parse(text) as { schedules?: unknown };
      if (!Array.isArray(parsed.schedules)) throw new Error('no "schedules" list');
      return parsed.schedules as LocalSchedule[];
    } catch (err) {
      // Never overwrite what we cannot read: the user's schedules would be lost.
      throw new SchedulesFileError(`${this.file} is not a schedules file Pipewright can read (${(err as Error).message}); fix or move it, nothing was changed`);
    }
  }

  private async write(list: LocalSchedule[]): Promise<void> {
    await fs.mkdir(this.deps.dataDir, { recursive: true });
    await writeFileAtomic(this.file, `${JSON.stringify({ format: 'pipewright.schedules/v1', schedules: list }, null, 2)}\n`);
  }

  private update<T>(change: (list: LocalSchedule[]) => T | Promise<T>): Promise<T> {
    return this.serial(async () => {
      const list = await this.read();
      const result = await change(list);
      await this.write(list);
      return result;
    });
  }

  /** Adds (or replaces, by name and file) a schedule; cron times before now are not owed. */
  async add(spec: ScheduleSpec, file: string, pipeline: string): Promise<LocalSchedule> {
    parseCron(spec.cron);
    const now = this.deps.now();
    const schedule: LocalSchedule = { ...spec, id: randomUUID(), file, pipeline, paused: false, createdAt: now, handledUntil: now, pending: [], active: [], history: [] };
    return this.update((list) => {
      const i = list.findIndex((s) => s.name === spec.name);
      if (i >= 0) list.splice(i, 1, schedule);
      else list.push(schedule);
      return schedule;
    });
  }

  private static find(list: LocalSchedule[], nameOrId: string): LocalSchedule {
    const found = list.find((s) => s.name === nameOrId || s.id === nameOrId);
    if (!found) throw new Error(`no local schedule "${nameOrId}" (there are: ${list.map((s) => s.name).join(', ') || 'none'})`);
    return found;
  }

  /** Pausing keeps running runs; resuming owes nothing for the paused time. */
  async setPaused(nameOrId: string, paused: boolean): Promise<LocalSchedule> {
    return this.update((list) => {
      const s = LocalScheduler.find(list, nameOrId);
      s.paused = paused;
      if (!paused) s.handledUntil = Math.max(s.handledUntil, this.deps.now());
      s.pending = [];
      return { ...s };
    });
  }

  async remove(nameOrId: string): Promise<void> {
    await this.update((list) => {
      list.splice(list.indexOf(LocalScheduler.find(list, nameOrId)), 1);
    });
  }

  /** One pass over every schedule; returns what happened in it. */
  async tick(): Promise<LocalScheduleEvent[]> {
    return this.update(async (list) => {
      const events: LocalScheduleEvent[] = [];
      for (const s of list) events.push(...(await this.tickOne(s)));
      return events;
    });
  }

  private record(s: LocalSchedule, event: LocalScheduleEvent, into: LocalScheduleEvent[]): void {
    s.history.push(event);
    if (s.history.length > 50) s.history.splice(0, s.history.length - 50);
    into.push(event);
  }

  private async tickOne(s: LocalSchedule): Promise<LocalScheduleEvent[]> {
    const events: LocalScheduleEvent[] = [];
    const now = this.deps.now();
    // Runs that ended free their slot; a success remembers the data it read.
    const still: LocalSchedule['active'] = [];
    for (const a of s.active) {
      const state = await this.deps.runState(a.runId).catch((): RunState => 'unknown');
      if (state === 'running') still.push(a);
      else if (state === 'succeeded') {
        s.lastSuccessRunId = a.runId;
        if (a.data) s.lastSuccessData = a.data;
      }
    }
    s.active = still;
    if (s.paused) return events;
    const due = fireTimesBetween(parseCron(s.cron), s.timezone, s.handledUntil, now);
    if (due.length > 0) s.handledUntil = due[due.length - 1];
    for (const t of due) {
      if (s.catchUp || now - t <= ON_TIME_MS) s.pending.push(t);
      else this.record(s, { at: now, outcome: 'skipped', firedFor: t, message: `missed at ${new Date(t).toISOString()} while Pipewright was not running; catch-up is off` }, events);
    }
    while (s.pending.length > 0 && s.active.length < s.maxConcurrency) {
      const firedFor = s.pending.shift()!;
      let data: DataFingerprint[] | undefined;
      if (s.trigger === 'data-changed') {
        try {
          data = await this.deps.fingerprint(s);
        } catch (err) {
          this.record(s, { at: now, outcome: 'failed', firedFor, message: `cannot check the data: ${(err as Error).message}` }, events);
          continue;
        }
        let before = s.lastSuccessData;
        let beforeRun = s.lastSuccessRunId;
        if (!before && this.deps.lastSuccessfulRunData) {
          const last = await this.deps.lastSuccessfulRunData(s).catch(() => undefined);
          if (last) [before, beforeRun] = [last.data, last.runId];
        }
        if (before) {
          const changes = dataChanges(before, data);
          if (changes.length === 0) {
            this.record(s, { at: now, outcome: 'unchanged', firedFor, message: `no dataset input changed since run ${beforeRun ?? '(earlier)'}; no run started` }, events);
            continue;
          }
          data = data.map((d) => ({ ...d }));
          try {
            const { runId } = await this.deps.startRun(s);
            s.active.push({ runId, data });
            this.record(s, { at: now, outcome: 'started', firedFor, runId, message: `data changed since run ${beforeRun ?? '(earlier)'}: ${changes.join('; ')}` }, events);
          } catch (err) {
            this.record(s, { at: now, outcome: 'failed', firedFor, message: `could not start: ${(err as Error).message}` }, events);
          }
          continue;
        }
      }
      try {
        const { runId } = await this.deps.startRun(s);
        s.active.push({ runId, data });
        const why = s.trigger === 'data-changed' ? 'no successful run to compare the data with yet' : `scheduled for ${new Date(firedFor).toISOString()}`;
        this.record(s, { at: now, outcome: 'started', firedFor, runId, message: why }, events);
      } catch (err) {
        this.record(s, { at: now, outcome: 'failed', firedFor, message: `could not start: ${(err as Error).message}` }, events);
      }
    }
    return events;
  }

  /**
   * Ticks every `intervalMs` until `signal` aborts (the app and `--serve`). Resolves once stopped, after the
   * tick in progress (if any) has finished writing. One abort listener for the whole serve, however long it runs.
   */
  serve(signal: AbortSignal, intervalMs = 15_000, onEvents: (e: LocalScheduleEvent[]) => void = () => undefined, onError: (err: Error) => void = () => undefined): Promise<void> {
    return new Promise((resolve) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      let ticking = false;
      signal.addEventListener('abort', () => {
        if (ticking) return; // the tick's end resolves
        clearTimeout(timer);
        resolve();
      }, { once: true });
      const run = () => {
        if (signal.aborted) return resolve();
        ticking = true;
        this.tick().then(onEvents, onError).finally(() => {
          ticking = false;
          if (signal.aborted) return resolve();
          timer = setTimeout(run, intervalMs);
        });
      };
      run();
    });
  }
}
