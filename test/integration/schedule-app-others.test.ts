/**
 * The app's schedules list sees every schedule at the place, not only the open pipeline's: on the
 * emulator, through the validated API, Argo CronWorkflows of another pipeline and one applied by hand
 * (no Pipewright label), KFP recurring runs of other experiments and one made in KFP itself; each with
 * its cron, zone, state, last and next run; paused and deleted like the pipeline's own. When the
 * CronWorkflows cannot be listed (RBAC) or KFP does not answer, the problem is named and the pipeline's
 * own schedules are still listed (read one by one, or as recorded).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackend } from '../../electron/services/backend.ts';
import { runsDir } from '../../electron/services/dataDir.ts';
import { ArgoDriver } from '../../electron/services/kube/argoDriver.ts';
import { kubeConfigFor, loadKubeConfig } from '../../electron/services/kube/kubeconfig.ts';
import { RunManager } from '../../electron/services/runs/manager.ts';
import { catalog } from '../../node-catalog/index.ts';
import { templateDocument } from '../../node-catalog/templates/index.ts';
import { createApiClient } from '../../shared/api/index.ts';
import { createMemoryTransport } from '../../shared/api/memory.ts';
import type { ClusterScheduleEndpoint } from '../../shared/api/schedules.ts';
import type { ScheduleSpec } from '../../shared/schedules/types.ts';
import { startKubeEmulator, type KubeEmulator } from '../kube-emulator/index.ts';

let emu: KubeEmulator;
let dataDir: string;
let manager: RunManager;
const saved = process.env.KUBECONFIG;
const spec = (name: string, cron = '0 3 * * *', timezone = 'Asia/Seoul'): ScheduleSpec => ({ name, cron, timezone, maxConcurrency: 1, catchUp: true, parameters: {}, trigger: 'cron' });
const smoke = () => templateDocument('korean-llm-smoke')!;
const otherPipeline = () => ({ ...templateDocument('korean-llm-smoke')!, name: 'weekly-report' });

beforeAll(async () => {
  emu = await startKubeEmulator({ timeScale: 0.005 });
  dataDir = await mkdtemp(join(tmpdir(), 'pw-schedule-others-'));
  process.env.KUBECONFIG = emu.kubeconfigPath;
  const kc = (context?: string) => kubeConfigFor(loadKubeConfig({ KUBECONFIG: emu.kubeconfigPath }), context);
  manager = new RunManager({ runsDir: runsDir(dataDir), drivers: [new ArgoDriver({ catalog, kubeConfigFor: kc })] });
});
afterAll(async () => {
  await manager?.close();
  await emu?.close();
  if (saved === undefined) delete process.env.KUBECONFIG;
  else process.env.KUBECONFIG = saved;
  await rm(dataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
});

async function withApp(work: (api: ReturnType<typeof createApiClient>) => Promise<void>): Promise<void> {
  const backend = createBackend({ dataDir, mode: 'browser', runs: manager });
  try {
    await work(createApiClient(createMemoryTransport(backend.server, backend.events)));
  } finally {
    await backend.close();
  }
}

describe('the schedules at a place, seen from one pipeline', () => {
  it('Argo: the pipeline’s own, another pipeline’s and a hand-made CronWorkflow; the outside one paused and deleted; listing refused by RBAC keeps the own ones', async () => {
    await withApp(async (api) => {
      const endpoint: ClusterScheduleEndpoint = { target: 'argo', context: emu.context, namespace: 'default' };
      await api.addClusterSchedule(endpoint, smoke(), spec('smoke-nightly'));
      await api.addClusterSchedule(endpoint, otherPipeline(), spec('report-weekly', '0 2 * * 0', 'UTC'));
      emu.apply('cronworkflows', {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'CronWorkflow',
        metadata: { name: 'cleanup-hourly', namespace: 'default' },
        spec: { schedules: ['15 * * * *'], timezone: 'Europe/Berlin', suspend: false, concurrencyPolicy: 'Allow', workflowSpec: { entrypoint: 'main', templates: [{ name: 'main', container: { image: 'busybox', command: ['true'] } }] } },
      });
      const before = Date.now();
      const listed = await api.listClusterSchedules(endpoint, 'korean-llm-smoke');
      expect(listed.problems).toBeUndefined();
      expect(listed.ownPartial).toBeUndefined();
      expect(listed.schedules.map((s) => s.name)).toEqual(['smoke-nightly']);
      const own = listed.schedules[0];
      // 03:00 in Seoul is 18:00 UTC, within the next day.
      expect(own).toMatchObject({ cron: '0 3 * * *', timezone: 'Asia/Seoul', paused: false, pipeline: 'korean-llm-smoke' });
      expect(new Date(own.nextRun!).getUTCHours()).toBe(18);
      expect(Date.parse(own.nextRun!) - before).toBeGreaterThan(0);
      expect(Date.parse(own.nextRun!) - before).toBeLessThanOrEqual(86_400_000);
      expect(listed.others?.map((s) => [s.name, s.pipeline ?? null, s.external ?? false])).toEqual([
        ['cleanup-hourly', null, true],
        ['report-weekly', 'weekly-report', false],
      ]);
      const outside = listed.others!.find((s) => s.name === 'cleanup-hourly')!;
      expect(outside).toMatchObject({ cron: '15 * * * *', timezone: 'Europe/Berlin', paused: false });
      expect(new Date(outside.nextRun!).getUTCMinutes()).toBe(15);
      expect(Date.parse(outside.nextRun!) - before).toBeLessThanOrEqual(3_600_000);
      expect(new Date(listed.others!.find((s) => s.name === 'report-weekly')!.nextRun!).getUTCDay()).toBe(0);

      // The outside one paused (no next run while paused), then deleted: the others stay.
      expect(await api.setClusterSchedulePaused(endpoint, 'cleanup-hourly', true)).toMatchObject({ paused: true, external: true });
      const pausedOne = (await api.listClusterSchedules(endpoint, 'korean-llm-smoke')).others?.find((s) => s.name === 'cleanup-hourly');
      expect(pausedOne?.paused).toBe(true);
      expect(pausedOne?.nextRun).toBeUndefined();
      await api.deleteClusterSchedule(endpoint, 'cleanup-hourly');
      expect(emu.controller.get('cronworkflows', 'default', 'cleanup-hourly')).toBeUndefined();
      expect((await api.listClusterSchedules(endpoint, 'korean-llm-smoke')).others?.map((s) => s.name)).toEqual(['report-weekly']);

      // No permission to list CronWorkflows: named; the pipeline's own read one by one.
      emu.controller.deny({ verb: 'list', resource: 'cronworkflows' });
      try {
        const refused = await api.listClusterSchedules(endpoint, 'korean-llm-smoke');
        expect(refused.problems).toHaveLength(1);
        expect(refused.problems![0]).toMatch(/cannot list the CronWorkflows in namespace default, so other schedules there are not shown: Could not list CronWorkflows in default: permission denied \(403\)/);
        expect(refused.schedules).toEqual([expect.objectContaining({ name: 'smoke-nightly', cron: '0 3 * * *', paused: false, nextRun: own.nextRun })]);
        // Not read, so not said to be none.
        expect(refused.others).toBeUndefined();
        expect(refused.ownPartial).toBe(true);
        // The runs it starts are still found (its Workflows are listed by label, not its CronWorkflow).
        const tick = emu.controller.tickCronWorkflow('default', 'smoke-nightly');
        if (!('started' in tick)) throw new Error(`nothing started: ${tick.skipped}`);
        const imported = await api.syncScheduledRuns(endpoint, smoke());
        expect(imported.map((r) => [r.scheduleName, r.external?.workflowName])).toEqual([['smoke-nightly', tick.started.metadata.name]]);
        // Not even get: as recorded, saying why.
        emu.controller.deny({ verb: 'get', resource: 'cronworkflows' });
        const blind = await api.listClusterSchedules(endpoint, 'korean-llm-smoke');
        expect(blind.schedules).toEqual([expect.objectContaining({ name: 'smoke-nightly', unread: expect.stringMatching(/read CronWorkflow smoke-nightly in default: permission denied \(403\)/) as unknown })]);
        // Another pipeline's list with nothing recorded: only the problem.
        const none = await api.listClusterSchedules(endpoint, 'no-such-pipeline');
        expect(none.schedules).toEqual([]);
        expect(none.problems![0]).toMatch(/cannot list the CronWorkflows/);
      } finally {
        emu.controller.allowAll();
      }
      await api.deleteClusterSchedule(endpoint, 'smoke-nightly');
      await api.deleteClusterSchedule(endpoint, 'report-weekly');
    });
  }, 60_000);

  it('KFP: recurring runs of other experiments and one made in KFP itself (an interval), paused and deleted by id; KFP not answering keeps the own ones as recorded', async () => {
    await withApp(async (api) => {
      const endpoint: ClusterScheduleEndpoint = { target: 'kfp', context: emu.context, experiment: 'nightly' };
      const own = await api.addClusterSchedule(endpoint, smoke(), spec('smoke-kfp', '30 4 * * *', 'UTC'));
      await api.addClusterSchedule({ ...endpoint, experiment: 'reports' }, otherPipeline(), spec('report-kfp', '0 2 * * 0', 'UTC'));
      // Made in KFP's own UI: a periodic recurring run (no cron) without Pipewright's description, in experiment reports.
      const kfp = (path: string, init?: RequestInit) => fetch(`${emu.kfpUrl}${path}`, { ...init, headers: { Authorization: `Bearer ${emu.token}`, 'Content-Type': 'application/json' } });
      const template = (await (await kfp(`/apis/v2beta1/recurringruns/${own.id}`)).json()) as Record<string, unknown>;
      const reports = ((await (await kfp('/apis/v2beta1/experiments')).json()) as { experiments: { experiment_id: string; display_name: string }[] }).experiments.find((e) => e.display_name === 'reports')!;
      const made = (await (
        await kfp('/apis/v2beta1/recurringruns', {
          method: 'POST',
          body: JSON.stringify({ display_name: 'hand-made', description: 'made in the KFP UI', pipeline_spec: template.pipeline_spec, trigger: { periodic_schedule: { interval_second: '3600' } }, max_concurrency: '1', experiment_id: reports.experiment_id }),
        })
      ).json()) as { recurring_run_id: string };

      const listed = await api.listClusterSchedules(endpoint, 'korean-llm-smoke');
      expect(listed.problems).toBeUndefined();
      expect(listed.schedules.map((s) => [s.name, s.cron])).toEqual([['smoke-kfp', '0 30 4 * * *']]);
      expect(new Date(listed.schedules[0].nextRun!).toISOString()).toMatch(/T04:30:00\.000Z$/);
      expect(listed.others?.map((s) => [s.name, s.pipeline ?? null, s.external ?? false, s.experiment])).toEqual([
        ['hand-made', null, true, 'reports'],
        ['report-kfp', 'weekly-report', false, 'reports'],
      ]);
      expect(listed.others![0]).toMatchObject({ every: 3600, cron: '' });
      expect(listed.others![0].nextRun).toBeUndefined();

      // A tick of the outside one shows as its last run.
      const tick = emu.controller.tickRecurringRun(made.recurring_run_id);
      if (!('started' in tick)) throw new Error(`nothing started: ${tick.skipped}`);
      expect((await api.listClusterSchedules(endpoint, 'korean-llm-smoke')).others![0].lastScheduled).toBeTruthy();
      // Paused and deleted from the pipeline's experiment, by id.
      expect(await api.setClusterSchedulePaused(endpoint, made.recurring_run_id, true)).toMatchObject({ id: made.recurring_run_id, paused: true });
      expect(((await (await kfp(`/apis/v2beta1/recurringruns/${made.recurring_run_id}`)).json()) as { status: string }).status).toBe('DISABLED');
      await api.deleteClusterSchedule(endpoint, made.recurring_run_id);
      expect((await kfp(`/apis/v2beta1/recurringruns/${made.recurring_run_id}`)).status).toBe(404);
      // A name in another experiment is not taken for one here: only an id reaches across experiments.
      await expect(api.deleteClusterSchedule(endpoint, 'report-kfp')).rejects.toThrow(/no recurring run "report-kfp"/);

      // KFP does not answer: named, and the pipeline's own shown as recorded.
      emu.faults.failRatio(1, { code: 503, path: /ml-pipeline/ });
      try {
        const down = await api.listClusterSchedules(endpoint, 'korean-llm-smoke');
        expect(down.problems).toEqual([expect.stringMatching(/^cannot reach Kubeflow Pipelines: .*503/)]);
        expect(down.ownPartial).toBe(true);
        expect(down.schedules).toEqual([expect.objectContaining({ id: own.id, name: 'smoke-kfp', unread: expect.stringContaining('503') as unknown })]);
        // The namespace field as the dialog sends it (single-user KFP does not use it) finds the record too.
        expect((await api.listClusterSchedules({ ...endpoint, namespace: 'default' }, 'korean-llm-smoke')).schedules.map((s) => s.name)).toEqual(['smoke-kfp']);
        // Nothing of this pipeline recorded there: the error itself.
        await expect(api.listClusterSchedules({ ...endpoint, experiment: 'empty' }, 'korean-llm-smoke')).rejects.toThrow(/503/);
      } finally {
        emu.faults.clear();
      }
    });
  }, 90_000);
});
