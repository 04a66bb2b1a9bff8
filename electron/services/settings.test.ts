import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../shared/api/settings.ts';
import type { Settings } from '../../shared/api/settings.ts';
import { createSettingsStore } from './settings.ts';

let dataDir: string;

beforeEach(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'pipewright-settings-'));
});

afterEach(async () => {
  await fs.rm(dataDir, { recursive: true, force: true });
});

describe('settings store', () => {
  it('starts from the defaults and persists a patch', async () => {
    const store = createSettingsStore(dataDir);
    expect(await store.getSettings()).toEqual(DEFAULT_SETTINGS);
    const seen: Settings[] = [];
    store.onChange((settings) => seen.push(settings));
    await store.updateSettings({ language: 'ko', localConcurrency: 4 });
    const reread = await createSettingsStore(dataDir).getSettings();
    expect(reread).toMatchObject({ language: 'ko', theme: 'system', localConcurrency: 4 });
    expect(seen).toEqual([reread]);
  });

  it('keeps the valid fields of a damaged settings file', async () => {
    await fs.writeFile(path.join(dataDir, 'settings.json'), JSON.stringify({ language: 'ko', theme: 'purple', localConcurrency: -3 }));
    expect(await createSettingsStore(dataDir).getSettings()).toEqual({ ...DEFAULT_SETTINGS, language: 'ko' });
    await fs.writeFile(path.join(dataDir, 'settings.json'), '{ not json');
    expect(await createSettingsStore(dataDir).getSettings()).toEqual(DEFAULT_SETTINGS);
  });

  it('remembers the run context per pipeline, concurrently', async () => {
    let clock = Date.parse('2025-01-01T00:00:00Z');
    const store = createSettingsStore(dataDir, () => new Date(clock++));
    await Promise.all([
      store.rememberRunContext('korean-llm', { target: 'kfp', context: 'gpu-cluster', namespace: 'kubeflow' }),
      store.rememberRunContext('smoke', { target: 'local' }),
      store.updateSettings({ theme: 'dark' }),
    ]);
    const settings = await store.getSettings();
    expect(settings.theme).toBe('dark');
    expect(settings.recentContexts['korean-llm']).toMatchObject({ target: 'kfp', context: 'gpu-cluster', namespace: 'kubeflow' });
    expect(settings.recentContexts.smoke.target).toBe('local');
  });
});
