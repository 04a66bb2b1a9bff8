/** The recent files list (most recent first), kept in `recent-files.json` under the data dir. */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { RecentFile } from '../../../shared/api/files.ts';
import { createSerialQueue, readJsonFile, writeJsonFile } from '../jsonFile.ts';

export const MAX_RECENT_FILES = 12;

const storedSchema = z.array(z.object({ path: z.string(), name: z.string(), openedAt: z.string() }));
type StoredRecent = z.infer<typeof storedSchema>[number];

export interface RecentFilesStore {
  list(): Promise<RecentFile[]>;
  /** Moves the path to the top (adding it if new). */
  touch(filePath: string): Promise<void>;
  remove(filePath: string): Promise<void>;
  clear(): Promise<void>;
}

export function createRecentFilesStore(dataDir: string, now: () => Date = () => new Date()): RecentFilesStore {
  const file = path.join(dataDir, 'recent-files.json');
  const serial = createSerialQueue();
  const read = () => readJsonFile<StoredRecent[]>(file, storedSchema, []);
  const update = (change: (list: StoredRecent[]) => StoredRecent[]) =>
    serial(async () => {
      await writeJsonFile(file, change(await read()).slice(0, MAX_RECENT_FILES));
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
