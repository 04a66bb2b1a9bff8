/** Autosaved drafts under `<data dir>/recovery/`, and finding those a crashed session left behind. */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ApiError } from '../../shared/api/errors.ts';
import type { RecoveredDraft, RecoveryApi, RecoveryDraft, RecoveryEntry } from '../../shared/api/recovery.ts';
import { documentSchema } from '../../shared/api/validators.ts';
import { writeJsonFile } from './jsonFile.ts';

export interface RecoveryStoreOptions {
  dataDir: string;
  now?: () => Date;
  /** A draft this process wrote counts as left behind once not autosaved for this long (a closed tab). */
  staleAfterMs?: number;
}

const draftFileSchema = z.object({
  draftId: z.string(),
  path: z.string().nullable(),
  name: z.string(),
  savedAt: z.string(),
  document: documentSchema,
});

const DRAFT_ID = /^[A-Za-z0-9_-]{1,64}$/;

export function createRecoveryStore({ dataDir, now = () => new Date(), staleAfterMs = 60_000 }: RecoveryStoreOptions): RecoveryApi {
  const dir = path.join(dataDir, 'recovery');
  /** draftId -> time this process last autosaved it. */
  const live = new Map<string, number>();

  const fileOf = (draftId: string) => {
    if (!DRAFT_ID.test(draftId)) throw new ApiError('invalid-arguments', `not a draft id: ${draftId.slice(0, 80)}`);
    return path.join(dir, `${draftId}.json`);
  };

  async function readDraft(file: string): Promise<RecoveredDraft | null> {
    try {
      const parsed = draftFileSchema.safeParse(JSON.parse(await fs.readFile(file, 'utf8')));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }

  const isLeftBehind = (draftId: string) => {
    const last = live.get(draftId);
    return last === undefined || now().getTime() - last > staleAfterMs;
  };

  return {
    async saveRecovery(draft: RecoveryDraft) {
      const file = fileOf(draft.draftId);
      live.set(draft.draftId, now().getTime());
      await writeJsonFile(file, { ...draft, savedAt: now().toISOString() });
    },
    async discardRecovery(draftId) {
      live.delete(draftId);
      await fs.rm(fileOf(draftId), { force: true });
    },
    async listRecovery() {
      const names = await fs.readdir(dir).catch(() => [] as string[]);
      const entries: RecoveryEntry[] = [];
      for (const name of names) {
        const draftId = name.endsWith('.json') ? name.slice(0, -'.json'.length) : '';
        if (!DRAFT_ID.test(draftId) || !isLeftBehind(draftId)) continue;
        const draft = await readDraft(path.join(dir, name));
        if (draft) entries.push({ draftId: draft.draftId, path: draft.path, name: draft.name, savedAt: draft.savedAt });
      }
      return entries.sort((a, b) => b.savedAt.localeCompare(a.savedAt));
    },
    async restoreRecovery(draftId) {
      const draft = await readDraft(fileOf(draftId));
      if (!draft) throw new ApiError('failed', `no recovery draft "${draftId}" (already restored or discarded?)`);
      return draft;
    },
  };
}
