/** Settings in `<data dir>/settings.json`; unknown or invalid fields fall back to their defaults. */
import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_SETTINGS } from '../../shared/api/settings.ts';
import type { RunContextChoice, Settings, SettingsApi, SettingsPatch } from '../../shared/api/settings.ts';
import { createSerialQueue, readJsonFile, writeJsonFile } from './jsonFile.ts';

const MAX_REMEMBERED_CONTEXTS = 50;

const choiceSchema = z.object({
  target: z.enum(['local', 'kfp', 'argo']),
  context: z.string().optional(),
  namespace: z.string().optional(),
  usedAt: z.string(),
});

/** Each field is checked on its own, so one bad value does not reset the rest. */
const fileSchema = z.object({
  language: z.enum(['system', 'en', 'ko']).catch(DEFAULT_SETTINGS.language),
  theme: z.enum(['system', 'light', 'dark']).catch(DEFAULT_SETTINGS.theme),
  pythonPath: z.string().nullable().catch(DEFAULT_SETTINGS.pythonPath),
  localConcurrency: z.number().int().min(0).max(64).catch(DEFAULT_SETTINGS.localConcurrency),
  localUseDvc: z.boolean().catch(DEFAULT_SETTINGS.localUseDvc),
  recentContexts: z.record(z.string(), choiceSchema).catch({}),
});

export interface SettingsStore extends SettingsApi {
  /** Called after every change (the back end forwards it as a `settings-changed` event). */
  onChange(listener: (settings: Settings) => void): void;
}

export function createSettingsStore(dataDir: string, now: () => Date = () => new Date()): SettingsStore {
  const file = path.join(dataDir, 'settings.json');
  const serial = createSerialQueue();
  const listeners: ((settings: Settings) => void)[] = [];
  const read = async (): Promise<Settings> => {
    const stored = await readJsonFile<unknown>(file, z.unknown(), {});
    const parsed = fileSchema.safeParse(typeof stored === 'object' && stored !== null ? stored : {});
    return parsed.success ? parsed.data : { ...DEFAULT_SETTINGS, recentContexts: {} };
  };
  const update = (change: (settings: Settings) => Settings) =>
    serial(async () => {
      const next = change(await read());
      await writeJsonFile(file, next);
      for (const listener of listeners) listener(next);
      return next;
    });

  return {
    getSettings: read,
    updateSettings: (patch: SettingsPatch) => update((settings) => ({ ...settings, ...patch })),
    rememberRunContext: (pipelineName: string, choice: Omit<RunContextChoice, 'usedAt'>) =>
      update((settings) => {
        const entries = Object.entries({ ...settings.recentContexts, [pipelineName]: { ...choice, usedAt: now().toISOString() } });
        const kept = entries.sort((a, b) => b[1].usedAt.localeCompare(a[1].usedAt)).slice(0, MAX_REMEMBERED_CONTEXTS);
        return { ...settings, recentContexts: Object.fromEntries(kept) };
      }),
    onChange(listener) {
      listeners.push(listener);
    },
  };
}
