/**
 * The recent files list (most recent first), kept in `recent-files.json` under the data dir as
 * `{ "version": 1, "files": [...] }` (a bare list is the older form). A damaged file is moved aside
 * and reported once; a newer version's file is read as empty and never written over.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { RecentFile } from '../../../shared/api/files.ts';
import { createSerialQueue, writeJsonFile } from '../jsonFile.ts';
import { noticesFor } from '../notices.ts';
import type { NoticeBoard } from '../notices.ts';
import { readStateFile, stateNotice } from '../stateFile.ts';
import type { ParseResult } from '../stateFile.ts';

export const MAX_RECENT_FILES = 12;
export const RECENT_FILES_VERSION = 1;

const entrySchema = z.object({ path: z.string(), name: z.string(), openedAt: z.string() });
type StoredRecent = z.infer<typeof entrySchema>;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function parseRecent(raw: unknown): ParseResult<StoredRecent[]> {
  const list = Array.isArray(raw) ? raw : isObject(raw) && Array.isArray(raw.files) ? raw.files : undefined;
  if (!list) return { ok: false, detail: 'it holds no list of files' };
  const parsed = z.array(entrySchema).safeParse(list);
  if (!parsed.success) return { ok: false, detail: `entry ${String(parsed.error.issues[0]?.path[0] ?? '?')} is not a recent file` };
  return { ok: true, value: parsed.data };
}

function newerVersion(raw: unknown): number | undefined {
  return isObject(raw) && typeof raw.version === 'number' && raw.version > RECENT_FILES_VERSION ? raw.version : undefined;
}

export interface RecentFilesStore {
  list(): Promise<RecentFile[]>;
  /** Moves the path to the top (adding it if new). */
  touch(filePath: string): Promise<void>;
  remove(filePath: string): Promise<void>;
  clear(): Promise<void>;
}

export function createRecentFilesStore(dataDir: string, now: () => Date = () => new Date(), notices: NoticeBoard = noticesFor(dataDir)): RecentFilesStore {
  const file = path.join(dataDir, 'recent-files.json');
  const serial = createSerialQueue();
  const load = async () => {
    const read = await readStateFile(file, { parse: parseRecent, newerVersion, now });
    const notice = stateNotice('recent-files', file, read);
    if (notice) notices.report(notice);
    return read;
  };
  const read = async () => {
    const loaded = await load();
    return loaded.kind === 'ok' ? loaded.value : [];
  };
  const update = (change: (list: StoredRecent[]) => StoredRecent[]) =>
    serial(async () => {
      const loaded = await load();
      // A newer version's list stays as it is (the notice said so); opening files goes on regardless.
      if (loaded.kind === 'newer') return;
      const files = change(loaded.kind === 'ok' ? loaded.value : []).slice(0, MAX_RECENT_FILES);
      await writeJsonFile(file, { version: RECENT_FILES_VERSION, files });
    });

  return {
    async list() {
      const stored = await read();
      return Promise.all(
        stored.map(async (entry) => ({
          ...entry,
          exists: await fs.stat(entry.path).then((stat) => stat.isFile(), () => false),
        })),
      );
    },
    touch: (filePath) =>
      update((list) => [
        { path: filePath, name: path.basename(filePath), openedAt: now().toISOString() },
        ...list.filter((entry) => entry.path !== filePath),
      ]),
    remove: (filePath) => update((list) => list.filter((entry) => entry.path !== filePath)),
    clear: () => update(() => []),
  };
}
