/**
 * The app's cluster schedules reach KFP exactly as its runs do (kfpEndpoint.ts), through the validated
 * API of the app's back end: on a multi-user Kubeflow, the Kubeflow URL with the login cookie named by
 * its variable (never written) and a service account token, in the profile namespace; the service proxy
 * and another user's session refused with the run path's advice; the app's kubeconfig files and KFP
 * service settings (the TLS overlay's https:ml-pipeline:tls) used as a run uses them.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackend } from '../../electron/services/backend.ts';
import { runsDir } from '../../electron/services/dataDir.ts';
import { KfpDriver } from '../../electron/services/kube/kfpDriver.ts';
import { kubeConfigFor, loadKubeConfig } from '../../electron/services/kube/kubeconfig.ts';
import { RunManager } from '../../electron/services/runs/manager.ts';
import { CLUSTER_SCHEDULES_FILE } from '../../electron/services/schedules/clusterRegistry.ts';
import { catalog } from '../../node-catalog/index.ts';
import { templateDocument } from '../../node-catalog/templates/index.ts';
import type { ClusterScheduleEndpoint } from '../../shared/api/schedules.ts';
import { createApiClient } from '../../shared/api/index.ts';
import { createMemoryTransport } from '../../shared/api/memory.ts';
import type { ScheduleSpec } from '../../shared/schedules/types.ts';
import { startKubeEmulator, type KubeEmulator } from '../kube-emulator/index.ts';

const ALICE = 'alice@example.com';
const COOKIE_ENV = 'PIPEWRIGHT_TEST_SCHEDULE_KF_SESSION';
const BOB_COOKIE_ENV = 'PIPEWRIGHT_TEST_SCHEDULE_KF_SESSION_BOB';
const ALICE_COOKIE = 'MTcwMDAwMDAwMHxhbGljZS1zY2hlZHVsZXM';
const spec = (name: string): ScheduleSpec => ({ name, cron: '0 3 * * *', timezone: 'UTC', maxConcurrency: 1, catchUp: false, parameters: {}, trigger: 'cron' });

/** A back end on a fresh data folder whose Settings name the emulator's kubeconfig (KUBECONFIG points nowhere). */
async function appOn(emu: KubeEmulator, env: Record<string, string>) {
  const dataDir = await mkdtemp(join(tmpdir(), 'pw-schedule-modes-'));
  const kc = (context?: string) => kubeConfigFor(loadKubeConfig({}, { files: [emu.kubeconfigPath] }), context);
  const manager = new RunManager({ runsDir: runsDir(dataDir), drivers: [new KfpDriver({ catalog, kubeConfigFor: kc, pollMs: 200, settleMs: 2000, env })] });
  const backend = createBackend({ dataDir, mode: 'browser', runs: manager });
  const api = createApiClient(createMemoryTransport(backend.server, backend.events));
  await api.updateSettings({ kubeconfigFiles: [emu.kubeconfigPath] });
  return {
    api,
    manager,
    dataDir,
    async close() {
      await backend.close();
      await manager.close();
      await rm(dataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    },
  };
}

describe('cluster schedules from the app on a multi-user Kubeflow', () => {
  let emu: KubeEmulator;
  let app: Awaited<ReturnType<typeof appOn>>;
  const saved = { KUBECONFIG: process.env.KUBECONFIG };
  beforeAll(async () => {
    emu = await startKubeEmulator({
      timeScale: 0.005,
      kfpMultiUser: {
        profiles: { 'team-a': [ALICE, 'system:serviceaccount:team-a:default-editor'], 'team-b': ['bob@example.com'] },
        sessions: { [ALICE_COOKIE]: ALICE, 'bob-cookie': 'bob@example.com' },
      },
    });
    // The app reads the variables the dialog names from its own environment; the kubeconfig only from Settings.
    process.env[COOKIE_ENV] = ALICE_COOKIE;
    process.env[BOB_COOKIE_ENV] = 'bob-cookie';
    process.env.KUBECONFIG = join(tmpdir(), 'pw-no-such-kubeconfig');
    app = await appOn(emu, { [COOKIE_ENV]: ALICE_COOKIE });
  });
  afterAll(async () => {
    await app?.close();
    await emu?.close();
    delete process.env[COOKIE_ENV];
    delete process.env[BOB_COOKIE_ENV];
    if (saved.KUBECONFIG === undefined) delete process.env.KUBECONFIG;
    else process.env.KUBECONFIG = saved.KUBECONFIG;
  });

  it('the login cookie by its variable: created, listed and paused in the profile namespace; its run imported and followed; no cookie on disk', async () => {
    const doc = templateDocument('korean-llm-smoke')!;
    const endpoint: ClusterScheduleEndpoint = { target: 'kfp', context: emu.context, namespace: 'team-a', kfpUrl: emu.kfpIngressUrl, kfpAuth: 'session', kfpCookieEnv: COOKIE_ENV, experiment: 'nightly-a' };
    const made = await app.api.addClusterSchedule(endpoint, doc, spec('nightly-a'));
    // Bob's schedule in his profile, and one of Alice's in another experiment of hers.
    const bobs: ClusterScheduleEndpoint = { ...endpoint, namespace: 'team-b', kfpCookieEnv: BOB_COOKIE_ENV, experiment: 'bob-exp' };
    const bobMade = await app.api.addClusterSchedule(bobs, doc, spec('nightly-b'));
    const aliceOther = await app.api.addClusterSchedule({ ...endpoint, experiment: 'other-a' }, { ...doc, name: 'report-a' }, spec('report-a'));
    const listed = await app.api.listClusterSchedules(endpoint, doc.name);
    expect(listed.schedules.map((s) => s.name)).toEqual(['nightly-a']);
    // The others are those of the profile namespace only (KFP lists by namespace in multi-user mode).
    expect(listed.problems).toBeUndefined();
    expect(listed.others?.map((s) => [s.name, s.pipeline, s.experiment])).toEqual([['report-a', 'report-a', 'other-a']]);
    await app.api.deleteClusterSchedule(endpoint, aliceOther.id);
    await app.api.deleteClusterSchedule(bobs, bobMade.id);
    expect(listed.place).toEqual({ target: 'kfp', namespace: 'team-a', kfpUrl: emu.kfpIngressUrl, experiment: 'nightly-a' });
    expect(listed.where).toContain('namespace team-a');
    // KFP itself keeps it in team-a's experiment.
    const asAlice = await fetch(`${emu.kfpIngressUrl}/apis/v2beta1/recurringruns?namespace=team-a`, { headers: { Cookie: `authservice_session=${ALICE_COOKIE}` } });
    expect(((await asAlice.json()) as { recurringRuns?: { display_name: string; namespace?: string }[] }).recurringRuns?.map((r) => r.display_name)).toEqual(['nightly-a']);
    expect((await app.api.setClusterSchedulePaused(endpoint, made.id, true)).paused).toBe(true);
    expect((await app.api.setClusterSchedulePaused(endpoint, made.id, false)).paused).toBe(false);

    const stored = await readFile(join(app.dataDir, CLUSTER_SCHEDULES_FILE), 'utf8');
    expect(JSON.parse(stored).schedules[0]).toMatchObject({ kfpAuth: 'session', kfpCookieEnv: COOKIE_ENV, namespace: 'team-a', kfpUrl: emu.kfpIngressUrl });
    expect(stored).not.toContain(ALICE_COOKIE);

    const tick = emu.controller.tickRecurringRun(made.id);
    if (!('started' in tick)) throw new Error(`nothing started: ${tick.skipped}`);
    const imported = await app.api.syncScheduledRuns(endpoint, doc);
    expect(imported).toHaveLength(1);
    expect(imported[0]).toMatchObject({ target: 'kfp', namespace: 'team-a', scheduledBy: `kfp:${made.id}`, external: { kfpRunId: tick.started.run_id, kfpNamespace: 'team-a', kfpUrl: emu.kfpIngressUrl } });
    const end = await app.manager.waitForRun(imported[0].id);
    expect(end.phase, end.message).toBe('succeeded');
    expect(end.external?.workflowNamespace).toBe('team-a');
    for (const file of [stored, await readFile(join(runsDir(app.dataDir), imported[0].id, 'run.json'), 'utf8').catch(() => '')]) expect(file).not.toContain(ALICE_COOKIE);
    await app.api.deleteClusterSchedule(endpoint, made.id);
    expect((await app.api.listClusterSchedules(endpoint, doc.name)).schedules).toEqual([]);
  }, 60_000);

  it('a service account token (TokenRequest through the Settings kubeconfig) sent to the KFP endpoint', async () => {
    const doc = templateDocument('korean-llm-smoke')!;
    const endpoint: ClusterScheduleEndpoint = { target: 'kfp', context: emu.context, namespace: 'team-a', kfpUrl: emu.kfpDirectUrl, kfpAuth: 'service-account', experiment: 'sa-nightly' };
    const before = emu.requests.filter((r) => r.method === 'POST' && r.path === '/api/v1/namespaces/team-a/serviceaccounts/default-editor/token').length;
    const made = await app.api.addClusterSchedule(endpoint, doc, spec('sa-nightly'));
    const listed = await app.api.listClusterSchedules(endpoint, doc.name);
    expect(listed.schedules.map((s) => s.id)).toEqual([made.id]);
    expect(listed.place.namespace).toBe('team-a');
    expect(emu.requests.filter((r) => r.method === 'POST' && r.path === '/api/v1/namespaces/team-a/serviceaccounts/default-editor/token').length).toBeGreaterThan(before);
    await app.api.deleteClusterSchedule(endpoint, made.id);
  });

  it('refusals say what to do in this mode, as a run says it', async () => {
    const doc = templateDocument('korean-llm-smoke')!;
    // The service proxy: no identity reaches a multi-user KFP.
    await expect(app.api.listClusterSchedules({ target: 'kfp', context: emu.context, namespace: 'team-a' }, doc.name)).rejects.toThrow(/no user identity reaches Kubeflow Pipelines/);
    // Bob's session in Alice's profile: 403 with the contributor advice.
    const bob: ClusterScheduleEndpoint = { target: 'kfp', context: emu.context, namespace: 'team-a', kfpUrl: emu.kfpIngressUrl, kfpAuth: 'session', kfpCookieEnv: BOB_COOKIE_ENV };
    await expect(app.api.listClusterSchedules(bob, doc.name)).rejects.toThrow(/\(403\)[\s\S]*add you as a contributor/);
    // A variable that is not set is named, not sent empty.
    await expect(app.api.listClusterSchedules({ ...bob, kfpCookieEnv: 'PIPEWRIGHT_TEST_NOT_SET' }, doc.name)).rejects.toThrow(/PIPEWRIGHT_TEST_NOT_SET .*not set/);
  });
});

describe('cluster schedules from the app follow the KFP service setting', () => {
  let emu: KubeEmulator;
  const saved = process.env.KUBECONFIG;
  beforeAll(async () => {
    emu = await startKubeEmulator({ timeScale: 0.005, kfpTls: true });
    process.env.KUBECONFIG = join(tmpdir(), 'pw-no-such-kubeconfig');
  });
  afterAll(async () => {
    await emu?.close();
    if (saved === undefined) delete process.env.KUBECONFIG;
    else process.env.KUBECONFIG = saved;
  });

  it("through the service proxy to the TLS overlay: refused on http:8888, reached with the setting's https / tls", async () => {
    const app = await appOn(emu, {});
    try {
      const doc = templateDocument('korean-llm-smoke')!;
      const endpoint: ClusterScheduleEndpoint = { target: 'kfp', context: emu.context, namespace: 'default' };
      await expect(app.api.listClusterSchedules(endpoint, doc.name)).rejects.toThrow(/Client sent an HTTP request to an HTTPS server/);
      await app.api.updateSettings({ kfpService: { namespace: 'kubeflow', name: 'ml-pipeline', port: 'tls', scheme: 'https' } });
      const made = await app.api.addClusterSchedule(endpoint, doc, spec('tls-nightly'));
      expect((await app.api.listClusterSchedules(endpoint, doc.name)).schedules.map((s) => s.id)).toEqual([made.id]);
      const stored = JSON.parse(await readFile(join(app.dataDir, CLUSTER_SCHEDULES_FILE), 'utf8')) as { schedules: { kfpService?: object }[] };
      expect(stored.schedules[0].kfpService).toEqual({ namespace: 'kubeflow', name: 'ml-pipeline', port: 'tls', scheme: 'https' });
      expect(emu.requests.some((r) => r.path.startsWith('/api/v1/namespaces/kubeflow/services/https:ml-pipeline:tls/proxy/apis/v2beta1/recurringruns'))).toBe(true);
    } finally {
      await app.close();
    }
  });
});
