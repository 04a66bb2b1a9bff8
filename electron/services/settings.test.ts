import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../shared/api/settings.ts';
import type { Settings } from '../../shared/api/settings.ts';
import { createNoticeBoard } from './notices.ts';
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

  it('keeps the valid fields of a damaged settings file, and its bytes before the next save drops the rest', async () => {
    const original = JSON.stringify({ language: 'ko', theme: 'purple', localConcurrency: -3, futureField: { a: 1 } });
    await fs.writeFile(path.join(dataDir, 'settings.json'), original);
    const notices = createNoticeBoard();
    const store = createSettingsStore(dataDir, { notices });
    expect(await store.getSettings()).toEqual({ ...DEFAULT_SETTINGS, language: 'ko' });
    expect(await notices.listNotices()).toEqual([]);
    await store.updateSettings({ localUseDvc: true });
    const kept = (await fs.readdir(dataDir)).filter((name) => name.startsWith('settings.json.corrupt-'));
    expect(kept).toHaveLength(1);
    expect(await fs.readFile(path.join(dataDir, kept[0]), 'utf8')).toBe(original);
    expect(await notices.listNotices()).toEqual([expect.objectContaining({ kind: 'corrupt', file: 'settings', detail: '"theme", "localConcurrency" held values this Pipewright cannot use' })]);
    // Unknown fields (a later version's) stay in the file.
    expect(JSON.parse(await fs.readFile(path.join(dataDir, 'settings.json'), 'utf8'))).toMatchObject({ version: 1, language: 'ko', localUseDvc: true, futureField: { a: 1 } });
  });

  it.each([
    ['empty', '', /it is empty/],
    ['truncated', '{"language": "ko", "theme": "da', /cut off at line 1, column 32/],
    ['junk', 'PK\u0003\u0004 not json at all', /not valid JSON at line 1, column 1/],
    ['a list', '[1, 2, 3]', /holds a list, not settings/],
    ['nested 5,000 deep', `{"language": ${'['.repeat(5000)}${']'.repeat(5000)}}`, /more than 64 levels deep/],
  ])('moves a %s settings file aside, tells once, and goes on with defaults', async (_name, text, detail) => {
    await fs.writeFile(path.join(dataDir, 'settings.json'), text);
    const notices = createNoticeBoard();
    const told: string[] = [];
    notices.onNotice((notice) => told.push(notice.message));
    const store = createSettingsStore(dataDir, { notices });
    expect(await store.getSettings()).toEqual(DEFAULT_SETTINGS);
    expect(await store.getSettings()).toEqual(DEFAULT_SETTINGS);
    const kept = (await fs.readdir(dataDir)).filter((name) => name.startsWith('settings.json') && name.includes('corrupt'));
    expect(kept).toHaveLength(1);
    expect(await fs.readFile(path.join(dataDir, kept[0]), 'utf8')).toBe(text);
    expect(told).toHaveLength(1);
    expect(told[0]).toMatch(detail);
    expect(told[0]).toContain(`the original is kept as ${path.join(dataDir, kept[0])}`);
    // The next save writes a fresh file; the kept copy stays.
    await store.updateSettings({ theme: 'dark' });
    expect(await createSettingsStore(dataDir, { notices }).getSettings()).toMatchObject({ theme: 'dark' });
    expect(await fs.readFile(path.join(dataDir, kept[0]), 'utf8')).toBe(text);
  });

  it('never writes over a newer version’s settings file, and says so', async () => {
    const newer = JSON.stringify({ version: 2, language: 'ko', clusters: [{ name: 'prod' }] });
    await fs.writeFile(path.join(dataDir, 'settings.json'), newer);
    const notices = createNoticeBoard();
    const store = createSettingsStore(dataDir, { notices });
    expect(await store.getSettings()).toEqual(DEFAULT_SETTINGS);
    await expect(store.updateSettings({ theme: 'dark' })).rejects.toThrow(/Settings not saved: .*settings\.json was written by a newer Pipewright \(version 2\)/);
    await expect(store.rememberRunContext('p', { target: 'local' })).rejects.toThrow(/newer Pipewright/);
    expect(await fs.readFile(path.join(dataDir, 'settings.json'), 'utf8')).toBe(newer);
    expect((await fs.readdir(dataDir)).filter((name) => name.includes('corrupt'))).toEqual([]);
    expect(await notices.listNotices()).toEqual([expect.objectContaining({ kind: 'newer-version', file: 'settings', version: 2 })]);
  });

  it('keeps the GPU estimate settings: default product (or none) and changed prices; bad entries fall back', async () => {
    const store = createSettingsStore(dataDir);
    await store.updateSettings({ defaultGpuProduct: 'NVIDIA-L40S', gpuPrices: { 'NVIDIA-L40S': 0.95 } });
    expect(await createSettingsStore(dataDir).getSettings()).toMatchObject({ defaultGpuProduct: 'NVIDIA-L40S', gpuPrices: { 'NVIDIA-L40S': 0.95 } });
    await store.updateSettings({ defaultGpuProduct: null });
    expect((await store.getSettings()).defaultGpuProduct).toBeNull();
    await fs.writeFile(path.join(dataDir, 'settings.json'), JSON.stringify({ defaultGpuProduct: 7, gpuPrices: { 'NVIDIA-L4': -1 } }));
    expect(await createSettingsStore(dataDir).getSettings()).toMatchObject({ defaultGpuProduct: DEFAULT_SETTINGS.defaultGpuProduct, gpuPrices: {} });
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
