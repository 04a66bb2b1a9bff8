/**
 * The app's back end with cluster schedules, on the emulator, through the validated API: a KFP recurring
 * run created at a direct URL with a bearer token (kept in memory, never in the data folder), fired by the
 * emulator; listing runs brings the run in (marked scheduled, followed with the in-memory token, to the
 * end); a second listing does not import it twice. Bad endpoints are refused at the boundary.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackend } from '../../electron/services/backend.ts';
import { RunManager } from '../../electron/services/runs/manager.ts';
import { runsDir } from '../../electron/services/dataDir.ts';
import { KfpDriver } from '../../electron/services/kube/kfpDriver.ts';
import { ArgoDriver } from '../../electron/services/kube/argoDriver.ts';
import { kubeConfigFor, loadKubeConfig } from '../../electron/services/kube/kubeconfig.ts';
import { CLUSTER_SCHEDULES_FILE } from '../../electron/services/schedules/clusterRegistry.ts';
import { catalog } from '../../node-catalog/index.ts';
import { templateDocument } from '../../node-catalog/templates/index.ts';
import { createApiClient } from '../../shared/api/index.ts';
import { createMemoryTransport } from '../../shared/api/memory.ts';
import { startKubeEmulator, type KubeEmulator } from '../kube-emulator/index.ts';

const TOKEN = 'kfp-secret-token-for-the-test';
let emulator: KubeEmulator;
let dataDir: string;
let manager: RunManager;

beforeAll(async () => {
  // Every request must carry the token: the imported run can only be followed with the one kept in memory.
  emulator = await startKubeEmulator({ timeScale: 0.005, token: TOKEN, requireToken: true });
  dataDir = await mkdtemp(join(tmpdir(), 'pw-schedule-app-'));
  const env = { KUBECONFIG: emulator.kubeconfigPath };
  const kc = (context?: string) => kubeConfigFor(loadKubeConfig(env), context);
  manager = new RunManager({ runsDir: runsDir(dataDir), drivers: [new ArgoDriver({ catalog, kubeConfigFor: kc }), new KfpDriver({ catalog, kubeConfigFor: kc, pollMs: 200, settleMs: 2000, env })] });
});
afterAll(async () => {
  await manager.close();
  await emulator.close();
  await rm(dataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
});

describe('cluster schedules in the app back end', () => {
  it('creates at a KFP URL with a token kept in memory; listing runs imports the fired run once and follows it to the end', async () => {
    const backend = createBackend({ dataDir, mode: 'browser', runs: manager });
    const api = createApiClient(createMemoryTransport(backend.server, backend.events));
    try {
      const doc = templateDocument('korean-llm-smoke')!;
      const endpoint = { target: 'kfp' as const, kfpUrl: emulator.kfpUrl, kfpToken: TOKEN, experiment: 'app-nightly' };
      const made = await api.addClusterSchedule(endpoint, doc, { name: 'app-nightly', cron: '0 3 * * *', timezone: 'UTC', maxConcurrency: 1, catchUp: false, parameters: {}, trigger: 'cron' });
      expect(made).toMatchObject({ target: 'kfp', name: 'app-nightly', cron: '0 0 3 * * *', paused: false, catchUp: false });
      const listed = await api.listClusterSchedules(endpoint, doc.name);
      expect(listed.schedules.map((s) => s.name)).toEqual(['app-nightly']);
      expect(listed.place).toEqual({ target: 'kfp', kfpUrl: emulator.kfpUrl, experiment: 'app-nightly' });
      const stored = await readFile(join(dataDir, CLUSTER_SCHEDULES_FILE), 'utf8');
      expect(stored).toContain('app-nightly');
      expect(stored).not.toContain(TOKEN);

      const tick = emulator.controller.tickRecurringRun(made.id);
      if (!('started' in tick)) throw new Error(`nothing started: ${tick.skipped}`);
      expect(await api.listRuns()).toEqual([]);
      // Listing runs set off a look for scheduled runs in the background.
      await expect.poll(async () => (await manager.listRuns()).length, { timeout: 10_000 }).toBe(1);
      const [run] = await manager.listRuns();
      expect(run).toMatchObject({ target: 'kfp', scheduledBy: `kfp:${made.id}`, scheduleName: 'app-nightly', external: { kfpRunId: tick.started.run_id, kfpUrl: emulator.kfpUrl } });
      const end = await manager.waitForRun(run.id);
      expect(end.phase, end.message).toBe('succeeded');
      expect((await manager.readLog(run.id, 'cpt', 0, 1000)).lines.length).toBeGreaterThan(0);
      // Looked for again (the dialog's poll): nothing new.
      expect(await api.syncScheduledRuns(endpoint, doc)).toEqual([]);
      expect(await manager.listRuns()).toHaveLength(1);
    } finally {
      await backend.close();
    }
  });

  it('refuses a malformed endpoint at the boundary, naming the field', async () => {
    const backend = createBackend({ dataDir, mode: 'browser', runs: manager });
    const api = createApiClient(createMemoryTransport(backend.server, backend.events));
    try {
      await expect(api.listClusterSchedules({ target: 'local' } as never)).rejects.toThrow(/target/);
      await expect(api.deleteClusterSchedule({ target: 'argo', namespace: 'x'.repeat(300) }, 'a')).rejects.toThrow(/namespace/);
    } finally {
      await backend.close();
    }
  });
});
