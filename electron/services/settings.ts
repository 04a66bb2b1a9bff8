/**
 * Settings in `<data dir>/settings.json` (`"version": 1`). An invalid field falls back to its default;
 * a damaged file is moved aside and reported once (see stateFile.ts); a file written by a newer
 * Pipewright is read as defaults and never written over.
 */
import path from 'node:path';
import { z } from 'zod';
import { ApiError } from '../../shared/api/errors.ts';
import { DEFAULT_SETTINGS } from '../../shared/api/settings.ts';
import { kfpServiceProblems } from '../../shared/runs/kfpConnection.ts';
import type { RunContextChoice, Settings, SettingsApi, SettingsPatch } from '../../shared/api/settings.ts';
import { createSerialQueue, writeJsonFile } from './jsonFile.ts';
import { noticesFor } from './notices.ts';
import type { NoticeBoard } from './notices.ts';
import { keepAside, readStateFile, stateNotice } from './stateFile.ts';
import { CONFIRMED_KEY, keepListed, parseConfirmed, withConfirmed } from './kube/kubeconfigTrust.ts';
import type { KubeconfigPrograms } from './kube/kubeconfigExec.ts';
import type { ParseResult, StateRead } from './stateFile.ts';

const MAX_REMEMBERED_CONTEXTS = 50;
export const SETTINGS_VERSION = 1;

const choiceSchema = z.object({
  target: z.enum(['local', 'kfp', 'argo']),
  context: z.string().optional(),
  namespace: z.string().optional(),
  usedAt: z.string(),
});

/** Each field is checked on its own, so one bad value does not reset the rest. */
const fieldSchemas: { [K in keyof Settings]: z.ZodType<Settings[K]> } = {
  language: z.enum(['system', 'en', 'ko']),
  theme: z.enum(['system', 'light', 'dark']),
  pythonPath: z.string().nullable(),
  localConcurrency: z.number().int().min(0).max(64),
  localUseDvc: z.boolean(),
  recentContexts: z.record(z.string(), choiceSchema),
  prometheusUrl: z.string().regex(/^https?:\/\/\S+$/).nullable(),
  defaultGpuProduct: z.string().max(256).nullable(),
  gpuPrices: z.record(z.string().max(256), z.number().nonnegative().finite()),
  kubeconfigFiles: z.array(z.string().min(1).max(4096)).max(32),
  kubeContext: z.string().min(1).max(4096).nullable(),
  kfpService: z.object({ namespace: z.string(), name: z.string(), port: z.string(), scheme: z.enum(['http', 'https']) }).refine((s) => Object.keys(kfpServiceProblems(s)).length === 0),
};

interface StoredSettings {
  settings: Settings;
  /** Fields this version does not know (kept when saving). */
  extras: Record<string, unknown>;
  /** Known fields whose stored value could not be used. */
  dropped: string[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function parseSettings(raw: unknown): ParseResult<StoredSettings> {
  if (!isObject(raw)) return { ok: false, detail: `it holds ${Array.isArray(raw) ? 'a list' : raw === null ? 'null' : `a ${typeof raw}`}, not settings` };
  const settings: Record<string, unknown> = { ...DEFAULT_SETTINGS, recentContexts: {}, gpuPrices: {} };
  const extras: Record<string, unknown> = {};
  const dropped: string[] = [];
  for (const [key, value] of Object.entries(raw)) {
    if (key === 'version') continue;
    if (!Object.prototype.hasOwnProperty.call(fieldSchemas, key)) {
      extras[key] = value;
      continue;
    }
    const parsed = fieldSchemas[key as keyof Settings].safeParse(value);
    if (parsed.success) settings[key] = parsed.data;
    else dropped.push(key);
  }
  return { ok: true, value: { settings: settings as unknown as Settings, extras, dropped } };
}

function newerVersion(raw: unknown): number | undefined {
  return isObject(raw) && typeof raw.version === 'number' && raw.version > SETTINGS_VERSION ? raw.version : undefined;
}

export interface SettingsStore extends SettingsApi {
  /** Called after every change (the back end forwards it as a `settings-changed` event). */
  onChange(listener: (settings: Settings) => void): void;
  /**
   * The user confirmed these kubeconfig files may run these command lines (a native dialog): remembered
   * with the settings, out of the page's reach (updateSettings cannot write it). Dropped for a file when it
   * leaves the kubeconfig list.
   */
  recordKubeconfigConfirmed(shown: readonly KubeconfigPrograms[]): Promise<void>;
}

export interface SettingsStoreOptions {
  now?: () => Date;
  notices?: NoticeBoard;
}

/** A file taken out of the kubeconfig list loses what was confirmed for it: added again, it is asked about again. */
function pruneConfirmed(extras: Record<string, unknown>, next: Settings, before: Settings): Record<string, unknown> {
  if (extras[CONFIRMED_KEY] === undefined || next.kubeconfigFiles === before.kubeconfigFiles) return extras;
  return { ...extras, [CONFIRMED_KEY]: keepListed(parseConfirmed(extras[CONFIRMED_KEY]), next.kubeconfigFiles) };
}

export function createSettingsStore(dataDir: string, options: SettingsStoreOptions | (() => Date) = {}): SettingsStore {
  const { now = () => new Date(), notices = noticesFor(dataDir) } = typeof options === 'function' ? { now: options } : options;
  const file = path.join(dataDir, 'settings.json');
  const serial = createSerialQueue();
  const listeners: ((settings: Settings) => void)[] = [];
  const load = async (): Promise<StateRead<StoredSettings>> => {
    const read = await readStateFile(file, { parse: parseSettings, newerVersion, now });
    const notice = stateNotice('settings', file, read);
    if (notice) notices.report(notice);
    return read;
  };
  const current = (read: StateRead<StoredSettings>): Settings =>
    read.kind === 'ok' ? read.value.settings : { ...DEFAULT_SETTINGS, recentContexts: {} };
  type Extras = Record<string, unknown>;
  const update = (change: (settings: Settings) => Settings, changeExtras: (extras: Extras, next: Settings, before: Settings) => Extras = (e) => e) =>
    serial(async () => {
      const read = await load();
      if (read.kind === 'newer') {
        throw new ApiError('failed', `Settings not saved: ${file} was written by a newer Pipewright (version ${read.version}), and this one does not write over it. Update Pipewright to change settings.`);
      }
      if (read.kind === 'ok' && read.value.dropped.length > 0) {
        // Values this version cannot use would be lost by the write below: keep the file's bytes first.
        const keptAs = await keepAside(file, now());
        const detail = `${read.value.dropped.map((k) => `"${k}"`).join(', ')} held values this Pipewright cannot use`;
        const notice = stateNotice('settings', file, { kind: 'corrupt', detail, keptAs });
        if (notice) notices.report(notice);
      }
      const before = current(read);
      const next = change(before);
      const extras = changeExtras(read.kind === 'ok' ? read.value.extras : {}, next, before);
      await writeJsonFile(file, { version: SETTINGS_VERSION, ...extras, ...next });
      for (const listener of listeners) listener(next);
      return next;
    });

  return {
    // Queued with the writes: a read started before a change never answers after it with the old values.
    getSettings: () => serial(async () => current(await load())),
    updateSettings: (patch: SettingsPatch) => update((settings) => ({ ...settings, ...patch }), pruneConfirmed),
    recordKubeconfigConfirmed: async (shown) => {
      await update(
        (settings) => settings,
        (extras) => ({ ...extras, [CONFIRMED_KEY]: withConfirmed(parseConfirmed(extras[CONFIRMED_KEY]), shown) }),
      );
    },
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
