/**
 * A run's folder in the history: `record.json` (the run: document, compiled files, target, phases,
 * external ids; replaced atomically), `owner.json` (which process is running it, with a heartbeat,
 * so the app and the CLI can share the history) and `cancel-request` (cancel across processes).
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsync, openSync, promises as fs, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findJsonSyntaxError } from '../../../shared/pipeline/loadJson.ts';
import type { RunRecord } from '../../../shared/runs/types.ts';
import type { RunRequestOptions } from './target.ts';

export const RUN_FORMAT = 'pipewright.run/v1';

/** record.json: the run record plus what a retry or reattach needs of the request (never a token). */
export interface StoredRun extends RunRecord {
  format: typeof RUN_FORMAT;
  request: RunRequestOptions;
}

export interface RunOwner {
  pid: number;
  hostname: string;
  heartbeatAt: string;
}

/** An owner whose heartbeat is older than this is gone, whatever its pid says (pids get reused). */
export const OWNER_STALE_MS = 30_000;

/** JSON up to this size is written with synchronous calls (well under a millisecond): on a busy machine a trip through the thread pool costs more. */
export const SYNC_WRITE_CHARS = 1024 * 1024;

/**
 * Replace `file` with `value` as JSON through a temp file and a rename, so a reader never sees half of it.
 * `durable` (the default) also syncs it to disk first, so it survives a power loss (~5 ms on a busy disk).
 * `background`: nobody waits for it, so every file call goes through the thread pool, leaving the event loop
 * free (replacing a file costs ~1-2 ms on a busy disk); otherwise small JSON is written with synchronous calls.
 */
export async function writeJsonAtomic(file: string, value: unknown, { durable = true, background = false }: { durable?: boolean; background?: boolean } = {}): Promise<void> {
  const text = `${JSON.stringify(encodeNonFinite(value), null, 1)}\n`;
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(4).toString('hex')}.tmp`);
  if (text.length <= SYNC_WRITE_CHARS && !background) {
    // Only the sync to disk goes to the thread pool (it waits for the disk).
    const fd = openSync(temp, 'w');
    try {
      writeFileSync(fd, text);
      if (durable) await new Promise<void>((resolve, reject) => fsync(fd, (error) => (error ? reject(error) : resolve())));
    } catch (error) {
      closeSync(fd);
      rmSync(temp, { force: true });
      throw error;
    }
    closeSync(fd);
    try {
      renameSync(temp, file);
    } catch (error) {
      rmSync(temp, { force: true });
      throw error;
    }
    return;
  }
  const handle = await fs.open(temp, 'w');
  try {
    await handle.writeFile(text);
    if (durable) await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await fs.rename(temp, file);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
}

/**
 * JSON has no NaN or Infinity (a diverging loss in lastMetrics): keep them as strings. A walk that
 * copies only what holds one: JSON.stringify with a replacer function costs ~6x more on a run record.
 */
export function encodeNonFinite(value: unknown): unknown {
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v = encodeNonFinite(value[i]);
      if (v !== value[i]) (copy ??= [...value])[i] = v;
    }
    return copy ?? value;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  // Anything else (a Date) is left to its toJSON.
  if (proto !== Object.prototype && proto !== null) return value;
  let copy: Record<string, unknown> | undefined;
  for (const [key, v] of Object.entries(value)) {
    const encoded = encodeNonFinite(v);
    if (encoded !== v) (copy ??= { ...value })[key] = encoded;
  }
  return copy ?? value;
}

const NON_FINITE: Record<string, number> = { NaN, Infinity, '-Infinity': -Infinity };

function decodeLastMetrics(run: StoredRun): void {
  for (const node of Object.values(run.nodes)) {
    const metrics = node.lastMetrics as Record<string, number | string> | undefined;
    if (!metrics) continue;
    for (const [key, v] of Object.entries(metrics)) if (typeof v === 'string') metrics[key] = NON_FINITE[v] ?? NaN;
  }
  // An alert's measured value may be the NaN loss that set it off.
  for (const alert of run.alerts ?? []) {
    const fields = alert as unknown as Record<string, unknown>;
    for (const key of ['value', 'threshold', 'median']) if (typeof fields[key] === 'string') fields[key] = NON_FINITE[fields[key]] ?? NaN;
  }
}

export function recordFile(runDir: string): string {
  return path.join(runDir, 'record.json');
}

export async function readStoredRun(runDir: string): Promise<StoredRun> {
  const file = recordFile(runDir);
  const text = await fs.readFile(file, 'utf8');
  if (text.trim() === '') throw new Error(`${file} is empty (${text.length} bytes): the run record was lost, perhaps when the disk filled up or the machine stopped`);
  let value: Partial<StoredRun>;
  try {
    value = JSON.parse(text) as Partial<StoredRun>;
  } catch (error) {
    const where = findJsonSyntaxError(text);
    if (where?.truncated) throw new Error(`${file} is cut off after ${text.length} bytes (line ${where.line}): the run record was not written completely`, { cause: error });
    if (where) throw new Error(`${file} is not valid JSON: line ${where.line}, column ${where.column}: ${where.message}`, { cause: error });
    throw new Error(`${file} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error(`${file} holds ${value === null ? 'null' : Array.isArray(value) ? 'a list' : `a ${typeof value}`}, not a run record`);
  if (value.format !== RUN_FORMAT) {
    throw new Error(`${file} is not a Pipewright run record: its format is ${value.format === undefined ? 'missing' : JSON.stringify(value.format)}, expected "${RUN_FORMAT}"`);
  }
  const missing = [typeof value.id !== 'string' && 'id', (typeof value.nodes !== 'object' || value.nodes === null) && 'nodes', !value.document && 'document'].filter((x): x is string => typeof x === 'string');
  if (missing.length > 0) throw new Error(`${file} is a damaged run record: it lacks ${missing.join(', ')}`);
  decodeLastMetrics(value as StoredRun);
  return value as StoredRun;
}

export async function writeOwner(runDir: string, now: Date = new Date()): Promise<void> {
  const owner: RunOwner = { pid: process.pid, hostname: os.hostname(), heartbeatAt: now.toISOString() };
  // Not synced: after a power loss its heartbeat is stale whatever it says, and an unreadable owner is no owner.
  await writeJsonAtomic(path.join(runDir, 'owner.json'), owner, { durable: false });
}

export async function releaseOwner(runDir: string): Promise<void> {
  rmSync(path.join(runDir, 'owner.json'), { force: true });
}

export async function readOwner(runDir: string): Promise<RunOwner | undefined> {
  try {
    return JSON.parse(await fs.readFile(path.join(runDir, 'owner.json'), 'utf8')) as RunOwner;
  } catch {
    return undefined;
  }
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** `self`: this process runs it; `other`: another live Pipewright process does; `none`: nobody (it was orphaned). */
export async function ownerState(runDir: string, now: Date = new Date()): Promise<'self' | 'other' | 'none'> {
  const owner = await readOwner(runDir);
  if (!owner) return 'none';
  const fresh = now.getTime() - Date.parse(owner.heartbeatAt) < OWNER_STALE_MS;
  if (owner.hostname !== os.hostname()) return fresh ? 'other' : 'none';
  if (owner.pid === process.pid) return 'self';
  return fresh && isProcessAlive(owner.pid) ? 'other' : 'none';
}

const CANCEL_FILE = 'cancel-request';

export async function requestCancel(runDir: string): Promise<void> {
  await fs.writeFile(path.join(runDir, CANCEL_FILE), `${new Date().toISOString()} pid ${process.pid}\n`);
}

export async function takeCancelRequest(runDir: string): Promise<boolean> {
  // Looked for every tick of every run, and almost never there: one sync call.
  try {
    rmSync(path.join(runDir, CANCEL_FILE));
    return true;
  } catch {
    return false;
  }
}

/**
 * Last resort of a process that is ending now (no event loop left): record the run as ended with
 * `phase`, its unfinished nodes with it, so the history does not show it running. Nothing is done
 * when the record already says it ended or cannot be read.
 */
export function settleRecordSync(runDir: string, phase: 'cancelled' | 'failed', message: string, now: Date = new Date()): boolean {
  const file = recordFile(runDir);
  let run: Record<string, unknown> & { phase?: string; nodes?: Record<string, Record<string, unknown>> };
  try {
    run = JSON.parse(readFileSync(file, 'utf8')) as typeof run;
  } catch {
    return false;
  }
  if (run.format !== RUN_FORMAT || ['succeeded', 'failed', 'cancelled', 'error'].includes(run.phase ?? '')) return false;
  const at = now.toISOString();
  run.phase = phase;
  run.message = message;
  run.finishedAt = at;
  for (const node of Object.values(run.nodes ?? {})) {
    if (node.phase === 'running' || node.phase === 'pending') {
      Object.assign(node, { phase: node.phase === 'running' ? phase : 'skipped', message, finishedAt: at });
      node.startedAt ??= at;
    }
  }
  const temp = path.join(runDir, `.record.json.${randomBytes(4).toString('hex')}.tmp`);
  writeFileSync(temp, `${JSON.stringify(run, null, 1)}\n`);
  renameSync(temp, file);
  rmSync(path.join(runDir, 'owner.json'), { force: true });
  return true;
}
