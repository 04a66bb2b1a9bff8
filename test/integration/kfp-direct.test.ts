/**
 * KFP specifics: a second submit of the same pipeline uploads a new version; a direct URL with a
 * bearer token works and the token never reaches the disk; a reattach reads it again from the
 * environment variable named at start; a wrong token is a plain 401.
 */
import { mkdtempSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { ClusterError } from '../../electron/services/kube/errors.ts';
import { KfpDriver } from '../../electron/services/kube/kfpDriver.ts';
import { RunManager } from '../../electron/services/runs/manager.ts';
import { catalog } from '../../node-catalog/index.ts';
import { emulatorIt, emulatorOf, openClusterEnv } from './cluster-env.ts';
import type { ClusterEnv } from './cluster-env.ts';
import { createClusterHarness, eventually, miniDocument } from './harness.ts';
import type { ClusterHarness } from './harness.ts';

const EMULATED = 'it reads the emulated KFP API and its token';
const TOKEN_ENV = 'PIPEWRIGHT_TEST_KFP_TOKEN';

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

describe('kfp target: versions, direct URL and token', () => {
  let env: ClusterEnv;
  let h: ClusterHarness;
  const api = async (p: string) => (await fetch(`${emulatorOf(env).kfpUrl}/apis/v2beta1${p}`, { headers: { Authorization: `Bearer ${emulatorOf(env).token}` } })).json() as Promise<Record<string, never[]>>;
  beforeAll(async () => {
    env = await openClusterEnv({ timeScale: 0.005 });
    h = createClusterHarness(env, miniDocument, { env: { [TOKEN_ENV]: 'pipewright-emulator-token' } });
  });
  afterAll(async () => {
    await h?.close();
    await env?.close();
  });

  emulatorIt('uploads a new version named by time and hash when the pipeline exists, in the Default experiment', EMULATED, async () => {
    const first = await h.start('kfp');
    const second = await h.start('kfp');
    for (const id of [first.id, second.id]) expect((await h.finish(id)).phase).toBe('succeeded');
    const pipelines = (await api('/pipelines')).pipelines as { pipeline_id: string; name: string }[];
    expect(pipelines.map((p) => p.name)).toEqual(['korean-llm-smoke']);
    const versions = (await api(`/pipelines/${pipelines[0].pipeline_id}/versions`)).pipeline_versions as { name: string }[];
    expect(versions.map((v) => v.name)).toEqual(['korean-llm-smoke', expect.stringMatching(/^\d{4}-\d\d-\d\d-\d{6}-[0-9a-f]{8}$/)]);
    const runs = (await api('/runs')).runs as { display_name: string; experiment_id: string }[];
    expect(runs.map((r) => r.display_name).sort()).toEqual([`korean-llm-smoke ${first.id}`, `korean-llm-smoke ${second.id}`].sort());
    const experiments = (await api('/experiments')).experiments as { experiment_id: string; display_name: string }[];
    expect(experiments.find((e) => e.experiment_id === runs[0].experiment_id)?.display_name).toBe('Default');
    const named = await h.start('kfp', { experiment: 'tuning' });
    await h.finish(named.id);
    expect(((await api('/experiments')).experiments as { display_name: string }[]).map((e) => e.display_name).sort()).toEqual(['Default', 'tuning']);
  });

  emulatorIt('a direct URL with a bearer token: the token is never written, and a reattach reads it from its variable', EMULATED, async () => {
    const token = emulatorOf(env).token!;
    emulatorOf(env).controller.setStepBehavior({ step: 'cpt' }, { lineIntervalMs: 4000 });
    const started = await h.start('kfp', { kfpUrl: emulatorOf(env).kfpUrl, kfpToken: token, kfpTokenEnv: TOKEN_ENV });
    await eventually(() => h.nodePhases(started.id).cpt?.includes('running'), 20_000, 'cpt to run');
    await h.manager.close();
    emulatorOf(env).controller.clearStepBehaviors();
    const manager = h.restart();
    expect(await manager.reattachRuns()).toEqual([started.id]);
    const done = await h.finish(started.id);
    expect(done.phase, done.message).toBe('succeeded');
    expect(done.external?.kfpUrl).toBe(emulatorOf(env).kfpUrl);
    for (const file of await filesUnder(h.runsDir)) expect(await fs.readFile(file, 'utf8'), file).not.toContain(token);
  }, 60_000);

  emulatorIt('without Kubernetes access, node phases come from KFP\'s task details', EMULATED, async () => {
    const runsDir = mkdtempSync(path.join(os.tmpdir(), 'pw-kfp-url-'));
    const noKube = () => {
      throw new ClusterError('no-context', 'no kubeconfig here', false);
    };
    const manager = new RunManager({ runsDir, drivers: [new KfpDriver({ catalog, kubeConfigFor: noKube, pollMs: 100 })], tickMs: 50 });
    try {
      const started = await manager.startRun({ document: miniDocument(), target: 'kfp', kfpUrl: emulatorOf(env).kfpUrl, kfpToken: emulatorOf(env).token! });
      const done = await manager.waitForRun(started.id);
      expect(done.phase, done.message).toBe('succeeded');
      expect(Object.values(done.nodes).map((n) => n.phase)).toEqual(['succeeded', 'succeeded', 'succeeded']);
      expect(done.external?.workflowName).toBeUndefined();
    } finally {
      await manager.close();
      await fs.rm(runsDir, { recursive: true, force: true });
    }
  });

  emulatorIt('a wrong token is a plain 401', EMULATED, async () => {
    const started = await h.start('kfp', { kfpUrl: emulatorOf(env).kfpUrl, kfpToken: 'wrong' });
    expect(started.phase).toBe('error');
    // Not the kubeconfig's advice: the token given with the URL is what was refused.
    expect(started.message).toMatch(/^Could not reach the Kubeflow Pipelines API: The server at http:\S+ did not accept who you are \(401\): Unauthorized\. Kubeflow did not accept your login session .* in the token field\.$/);
  });
});
