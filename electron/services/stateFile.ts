/**
 * Reading a small JSON state file (settings, recent files, a draft) that may be damaged: a file that
 * is empty, cut off, not JSON or not the expected shape is moved aside to `<name>.corrupt-<time>`
 * (its bytes kept as they were) and reported once; a file of a newer version is left alone and must
 * not be written over.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DataNotice, NoticeFile } from '../../shared/api/notices.ts';
import { findJsonDepthProblem } from '../../shared/pipeline/jsonDepth.ts';
import { findJsonSyntaxError } from '../../shared/pipeline/loadJson.ts';

export type ParseResult<T> = { ok: true; value: T } | { ok: false; detail: string };

export type StateRead<T> =
  | { kind: 'missing' }
  | { kind: 'ok'; value: T }
  | { kind: 'corrupt'; detail: string; keptAs: string | null }
  | { kind: 'newer'; version: number; detail: string };

export interface StateFileOptions<T> {
  /** Turns the parsed JSON into the value, or says what is wrong with it. */
  parse(raw: unknown): ParseResult<T>;
  /** The version a newer Pipewright would have written, if the file says so (undefined: not newer). */
  newerVersion(raw: unknown): number | undefined;
  now?: () => Date;
}

const MAX_STATE_DEPTH = 64;

function homeRelative(file: string): string {
  const home = os.homedir();
  return file.startsWith(home + path.sep) ? `~${file.slice(home.length)}` : file;
}

/** Why `text` is not usable JSON, or undefined with the value. */
export function parseStateJson(text: string): { value: unknown } | { detail: string } {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  if (body.trim() === '') return { detail: 'it is empty' };
  const deep = findJsonDepthProblem(body, MAX_STATE_DEPTH);
  if (deep) return { detail: `it ${deep.message}` };
  try {
    return { value: JSON.parse(body) };
  } catch (error) {
    const found = findJsonSyntaxError(body);
    if (!found) return { detail: `it is not valid JSON (${(error as Error).message})` };
    if (found.truncated) return { detail: `it is cut off at line ${found.line}, column ${found.column} (saved only in part?)` };
    return { detail: `it is not valid JSON at line ${found.line}, column ${found.column}: ${found.message}` };
  }
}

/** Moves the damaged file aside under a name no earlier copy has; null if it could not be moved. */
export async function keepAside(file: string, now: Date): Promise<string | null> {
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  for (let n = 0; n < 100; n++) {
    const keptAs = `${file}.corrupt-${stamp}${n === 0 ? '' : `-${n}`}`;
    if (await fs.stat(keptAs).then(() => true, () => false)) continue;
    try {
      await fs.rename(file, keptAs);
      return keptAs;
    } catch (error) {
      // Another process (the CLI beside the app) moved it first: the bytes are kept either way.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }
  return null;
}

export async function readStateFile<T>(file: string, options: StateFileOptions<T>): Promise<StateRead<T>> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { kind: 'missing' };
    return { kind: 'corrupt', detail: `it cannot be read (${code ?? 'unknown error'})`, keptAs: null };
  }
  const parsed = parseStateJson(text);
  let problem: string;
  if ('value' in parsed) {
    const version = options.newerVersion(parsed.value);
    if (version !== undefined) return { kind: 'newer', version, detail: `it was written by a newer Pipewright (version ${version})` };
    const value = options.parse(parsed.value);
    if (value.ok) return { kind: 'ok', value: value.value };
    problem = value.detail;
  } else problem = parsed.detail;
  const keptAs = await keepAside(file, (options.now ?? (() => new Date()))()).catch(() => null);
  return { kind: 'corrupt', detail: problem, keptAs };
}

const WHAT: Record<NoticeFile, string> = { settings: 'The settings file', 'recent-files': 'The recent files list', draft: 'An autosaved draft' };

/** The notice for a damaged or newer file (undefined for a good or missing one). */
export function stateNotice(file: NoticeFile, filePath: string, read: StateRead<unknown>): DataNotice | undefined {
  const where = homeRelative(filePath);
  if (read.kind === 'corrupt') {
    const kept = read.keptAs ? `; the original is kept as ${homeRelative(read.keptAs)}` : '';
    const next = file === 'draft' ? 'it cannot be restored' : 'Pipewright goes on with defaults';
    return {
      id: `corrupt:${read.keptAs ?? filePath}`,
      kind: 'corrupt',
      file,
      path: filePath,
      ...(read.keptAs ? { keptAs: read.keptAs } : {}),
      detail: read.detail,
      message: `${WHAT[file]} ${where} could not be read: ${read.detail}. ${next[0].toUpperCase()}${next.slice(1)}${kept}.`,
    };
  }
  if (read.kind === 'newer') {
    return {
      id: `newer:${filePath}`,
      kind: 'newer-version',
      file,
      path: filePath,
      version: read.version,
      detail: read.detail,
      message: `${WHAT[file]} ${where} was written by a newer Pipewright (version ${read.version}). It is left as it is and not saved over; update Pipewright to use it.`,
    };
  }
  return undefined;
}
