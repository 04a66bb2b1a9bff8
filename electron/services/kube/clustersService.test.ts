/** Settings › Clusters on the back end, with the real emulator as a child process and the real settings file. */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { createSettingsStore } from '../settings.ts';
import { createClustersService } from './clustersService.ts';
import { createEmulatorProcess, findEmulatorRoot } from './emulatorProcess.ts';
import type { EmulatorProcess } from './emulatorProcess.ts';
import { loadKubeConfig } from './kubeconfig.ts';
import { readKubeconfigChoice } from './kubeconfigChoice.ts';
import { kubeJson } from './request.ts';

let emulator: EmulatorProcess | undefined;
afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

function setup() {
  const base = mkdtempSync(path.join(os.tmpdir(), 'pw-clusters-'));
  const dataDir = path.join(base, 'data');
  const home = path.join(base, 'home');
  mkdirSync(home);
  const settings = createSettingsStore(dataDir);
  return { base, dataDir, home, settings };
}

describe('clusters service', () => {
  it('says there is no kubeconfig, with what to do, and lists no context', async () => {
    const { dataDir, home, settings } = setup();
    emulator = createEmulatorProcess({ dataDir });
    const overview = await createClustersService({ settings, emulator, env: {}, home }).describeKubeconfig();
    expect(overview).toMatchObject({ origin: 'none', files: [], contexts: [], currentContext: null, emulator: { running: false, context: 'pipewright-emulator' } });
    expect(overview.problem).toMatch(/^No kubeconfig found \(KUBECONFIG, ~\/\.kube\/config\)/);
  });

  it('shows each chosen file with its contexts, a missing one, and the chosen context', async () => {
    const { base, dataDir, home, settings } = setup();
    const a = path.join(base, 'a');
    writeFileSync(a, 'apiVersion: v1\nkind: Config\ncurrent-context: one\nclusters: [{ name: c, cluster: { server: "https://c:6443" } }]\nusers: [{ name: u, user: { token: t } }]\ncontexts: [{ name: one, context: { cluster: c, user: u } }, { name: two, context: { cluster: c, user: u, namespace: ml } }]\n');
    await settings.updateSettings({ kubeconfigFiles: [path.join(base, 'gone'), a], kubeContext: 'two' });
    emulator = createEmulatorProcess({ dataDir });
    const overview = await createClustersService({ settings, emulator, env: { KUBECONFIG: '/elsewhere' }, home }).describeKubeconfig();
    expect(overview.origin).toBe('settings');
    expect(overview.files).toEqual([
      { path: path.join(base, 'gone'), exists: false, contexts: [] },
      { path: a, exists: true, contexts: ['one', 'two'], currentContext: 'one' },
    ]);
    expect(overview.currentContext).toBe('two');
    expect(overview.problem).toBeUndefined();
    await settings.updateSettings({ kubeContext: 'three' });
    const again = await createClustersService({ settings, emulator, env: {}, home }).describeKubeconfig();
    expect(again.currentContext).toBe('one');
    expect(again.problem).toBe('The chosen context "three" is in none of these files any more; "one" is used instead.');
  });

  it('"Use the local emulator" starts it, puts its kubeconfig first, switches to it; the back end reaches it; stop ends the process and takes it out', async () => {
    const { base, dataDir, home, settings } = setup();
    const own = path.join(base, 'own');
    writeFileSync(own, 'apiVersion: v1\nkind: Config\ncurrent-context: prod\nclusters: [{ name: p, cluster: { server: "https://prod:6443" } }]\nusers: [{ name: u, user: { token: t } }]\ncontexts: [{ name: prod, context: { cluster: p, user: u } }]\n');
    emulator = createEmulatorProcess({ dataDir, timeScale: 0.05 });
    const service = createClustersService({ settings, emulator, env: { KUBECONFIG: own }, home });
    const started = await service.startKubeEmulator();
    expect(started.emulator.running).toBe(true);
    expect(started.emulator.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(started.files.map((f) => [f.path, f.emulator ?? false])).toEqual([[path.join(dataDir, 'kube-emulator', 'kubeconfig'), true], [own, false]]);
    expect(started.currentContext).toBe('pipewright-emulator');
    expect(started.contexts.map((c) => c.name)).toEqual(['pipewright-emulator', 'prod']);
    expect(await settings.getSettings()).toMatchObject({ kubeconfigFiles: [path.join(dataDir, 'kube-emulator', 'kubeconfig'), own], kubeContext: 'pipewright-emulator' });
    // What the runs service and pre-flight load: the settings' choice, read from settings.json.
    const kc = loadKubeConfig({}, readKubeconfigChoice(dataDir), home);
    expect(kc.getCurrentCluster()?.server).toBe(started.emulator.url);
    const version = await kubeJson<{ gitVersion?: string }>(kc, { path: '/version' }, 'read the version');
    expect(version.gitVersion).toMatch(/^v1\./);

    const stopped = await service.stopKubeEmulator();
    expect(stopped.emulator.running).toBe(false);
    expect(stopped.files.map((f) => f.path)).toEqual([own]);
    expect(stopped.currentContext).toBe('prod');
    await expect(kubeJson(kc, { path: '/version', timeoutMs: 2000 }, 'read the version')).rejects.toThrow(/ECONNREFUSED/);
  }, 60_000);

  it('the emulator ends when the process that started it goes away (its stdin closes)', async () => {
    const root = findEmulatorRoot([import.meta.dirname]);
    expect(root).not.toBeNull();
    const dir = mkdtempSync(path.join(os.tmpdir(), 'pw-emu-'));
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(root!, 'test/kube-emulator/cli.ts'), '--kubeconfig', path.join(dir, 'kc'), '--exit-with-stdin'], { cwd: root!, stdio: ['pipe', 'pipe', 'ignore'] });
    await new Promise<void>((resolve) => createInterface({ input: child.stdout! }).once('line', () => resolve()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.stdin!.end();
    expect(await exited).toBe(0);
  }, 60_000);
});
