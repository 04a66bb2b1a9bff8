/**
 * Runs that cluster schedules start, on the emulator: a CronWorkflow / recurring run made with
 * `pipewright schedule` is ticked (the emulator fires it as Argo's cron controller / KFP's scheduled
 * workflow controller would); `pipewright runs` imports the run once, marked scheduled with the
 * schedule's name, and the run core follows it to the end with its logs and metrics. Paused
 * schedules start nothing.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../electron/cli/main.ts';
import type { CliIo } from '../../electron/cli/types.ts';
import { createRunsService } from '../../electron/services/runsService.ts';
import { ClusterScheduleRegistry } from '../../electron/services/schedules/clusterRegistry.ts';
import { importScheduledRuns } from '../../electron/services/schedules/cluster.ts';
import { templateDocument } from '../../node-catalog/templates/index.ts';
import { serializePipeline } from '../../shared/pipeline/load.ts';
import type { RunSummary } from '../../shared/runs/types.ts';
import { startKubeEmulator, type KubeEmulator } from '../kube-emulator/index.ts';

let dir: string;
let emulator: KubeEmulator;
let env: Record<string, string>;
const savedKubeconfig = process.env.KUBECONFIG;

async function cli(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), cwd: dir, env, isTTY: false, signal: new AbortController().signal };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

async function runsJson(): Promise<RunSummary[]> {
  const r = await cli('runs', '--json');
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as RunSummary[];
}

/** Follows the run in a run core of its own (as the app does after importing it) to its end. */
async function followToEnd(runId: string) {
  const service = createRunsService({ dataDir: env.PIPEWRIGHT_DATA_DIR });
  try {
    await service.ready;
    await service.manager.reattachRuns();
    const end = await service.manager.waitForRun(runId);
    const log = await service.manager.readLog(runId, 'cpt', 0, 10_000);
    const metrics = await service.manager.readMetrics(runId, 'cpt');
    return { end, log, metrics };
  } finally {
    await service.manager.close();
  }
}

beforeAll(async () => {
  emulator = await startKubeEmulator({ timeScale: 0.005 });
  dir = await mkdtemp(join(tmpdir(), 'pw-schedule-runs-'));
  env = { KUBECONFIG: emulator.kubeconfigPath, PIPEWRIGHT_DATA_DIR: join(dir, 'data') };
  // The run core's cluster drivers read the process's KUBECONFIG, as the CLI's own process has it.
  process.env.KUBECONFIG = emulator.kubeconfigPath;
  const doc = templateDocument('korean-llm-smoke')!;
  doc.parameters = [{ name: 'min_chars', type: 'integer', default: 1 }];
  await writeFile(join(dir, 'smoke.pipewright.json'), serializePipeline(doc));
});
afterAll(async () => {
  if (savedKubeconfig === undefined) delete process.env.KUBECONFIG;
  else process.env.KUBECONFIG = savedKubeconfig;
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

describe('runs a CronWorkflow starts', () => {
  it('are imported once by pipewright runs, marked scheduled, and followed to the end with logs and metrics', async () => {
    const made = await cli('schedule', 'smoke.pipewright.json', '--cron', '*/5 * * * *', '--target', 'argo', '--namespace', 'default', '--name', 'nightly', '--param', 'min_chars=3');
    expect(made.code, made.stderr).toBe(0);
    expect(await runsJson()).toEqual([]);

    const tick = emulator.controller.tickCronWorkflow('default', 'nightly');
    if (!('started' in tick)) throw new Error(`nothing started: ${tick.skipped}`);
    const workflowName = tick.started.metadata.name;
    expect(tick.started.metadata.labels).toMatchObject({ 'workflows.argoproj.io/cron-workflow': 'nightly', 'pipewright.dev/schedule': 'nightly' });

    const listed = await runsJson();
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ target: 'argo', pipelineName: 'korean-llm-smoke', scheduledBy: 'argo:nightly', scheduleName: 'nightly', namespace: 'default', external: { workflowName, workflowNamespace: 'default' }, parameterValues: { min_chars: 3 } });
    const table = await cli('runs');
    expect(table.stdout).toContain('argo (scheduled: nightly)');

    const { end, log, metrics } = await followToEnd(listed[0].id);
    expect(end.phase, end.message).toBe('succeeded');
    expect(Object.values(end.nodes).every((n) => n.phase === 'succeeded')).toBe(true);
    expect(log.lines.length).toBeGreaterThan(5);
    expect(metrics.length).toBeGreaterThan(0);
    const losses = metrics.map((m) => m.values.loss).filter((v) => v !== undefined);
    expect(losses.length).toBeGreaterThan(5);
    expect(losses.at(-1)!).toBeLessThan(losses[0]);

    // Listed again: the same single run, now finished.
    const again = await runsJson();
    expect(again.map((r) => r.id)).toEqual([listed[0].id]);
    expect(again[0].phase).toBe('succeeded');
  });

  it('a paused CronWorkflow starts nothing; resumed it starts the next run', async () => {
    expect((await cli('schedules', 'pause', 'nightly', '--target', 'argo', '--namespace', 'default')).code).toBe(0);
    expect(emulator.controller.tickCronWorkflow('default', 'nightly')).toEqual({ skipped: 'suspended' });
    expect(await runsJson()).toHaveLength(1);
    expect((await cli('schedules', 'resume', 'nightly', '--target', 'argo', '--namespace', 'default')).code).toBe(0);
    const tick = emulator.controller.tickCronWorkflow('default', 'nightly', new Date(Date.now() + 300_000));
    expect('started' in tick).toBe(true);
    const runs = await runsJson();
    expect(runs).toHaveLength(2);
    expect(runs.every((r) => r.scheduledBy === 'argo:nightly')).toBe(true);
  });

  it('a deleted schedule is forgotten here; its runs stay', async () => {
    expect((await cli('schedules', 'delete', 'nightly', '--target', 'argo', '--namespace', 'default')).code).toBe(0);
    expect(await new ClusterScheduleRegistry(env.PIPEWRIGHT_DATA_DIR).list()).toEqual([]);
    expect(await runsJson()).toHaveLength(2);
  });
});

describe('runs a KFP recurring run starts', () => {
  const kfp = ['--target', 'kfp', '--experiment', 'nightly-exp'];

  it('carry recurring_run_id, are imported once, marked with the schedule name, and followed to the end', async () => {
    const made = await cli('schedule', 'smoke.pipewright.json', '--weekly', '--timezone', 'Asia/Seoul', '--name', 'weekly-kfp', ...kfp);
    expect(made.code, made.stderr).toBe(0);
    const id = /id ([0-9a-f-]{36})/.exec(made.stdout)![1];
    const before = (await runsJson()).length;

    const tick = emulator.controller.tickRecurringRun(id);
    if (!('started' in tick)) throw new Error(`nothing started: ${tick.skipped}`);
    const kfpRunId = tick.started.run_id;
    const runs = await runsJson();
    expect(runs).toHaveLength(before + 1);
    const run = runs.find((r) => r.external?.kfpRunId === kfpRunId)!;
    expect(run).toMatchObject({ target: 'kfp', scheduledBy: `kfp:${id}`, scheduleName: 'weekly-kfp' });
    expect((await cli('runs')).stdout).toContain('kfp (scheduled: weekly-kfp)');

    const { end, log, metrics } = await followToEnd(run.id);
    expect(end.phase, end.message).toBe('succeeded');
    expect(log.lines.length).toBeGreaterThan(5);
    expect(metrics.length).toBeGreaterThan(0);
    expect((await runsJson()).filter((r) => r.external?.kfpRunId === kfpRunId)).toHaveLength(1);
  });

  it('a disabled recurring run starts nothing', async () => {
    expect((await cli('schedules', 'pause', 'weekly-kfp', ...kfp)).code).toBe(0);
    const [entry] = await new ClusterScheduleRegistry(env.PIPEWRIGHT_DATA_DIR).list();
    expect(emulator.controller.tickRecurringRun(entry.id)).toEqual({ skipped: 'disabled' });
  });

  it('an unreachable cluster is a warning naming the schedule, and the runs list still comes', async () => {
    const entries = await new ClusterScheduleRegistry(env.PIPEWRIGHT_DATA_DIR).list();
    const result = await importScheduledRuns(entries, { listRuns: async () => [], importRun: async () => undefined }, { env: { KUBECONFIG: join(dir, 'missing-kubeconfig') } });
    expect(result.imported).toEqual([]);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(/^cannot look for the runs of recurring run weekly-kfp: /);
  });
});
