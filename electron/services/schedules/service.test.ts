import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { templateDocument } from '../../../node-catalog/templates/index.ts';
import type { RunsApi } from '../../../shared/api/runs.ts';
import { serializePipeline } from '../../../shared/pipeline/load.ts';
import type { StartRunRequest } from '../../../shared/runs/types.ts';
import { createSchedulesService } from './service.ts';

let dir: string;
let stop: () => Promise<void> = async () => {};
afterEach(async () => {
  // Waits for a tick in progress: it may still be writing into the folder removed next.
  await stop();
  stop = async () => {};
  await rm(dir, { recursive: true, force: true });
});

it('the app\'s schedules: added from a saved pipeline, fired through the runs service marked as scheduled, paused, deleted', async () => {
  dir = await mkdtemp(join(tmpdir(), 'pw-sched-svc-'));
  const file = join(dir, 'smoke.pipewright.json');
  await writeFile(file, serializePipeline(templateDocument('korean-llm-smoke')!));
  const started: StartRunRequest[] = [];
  const runs = {
    startRun: async (r: StartRunRequest) => {
      started.push(r);
      return { id: 'run-1' };
    },
    getRun: async () => ({ phase: 'running' }),
    listRuns: async () => [],
  } as unknown as RunsApi;
  let clock = Date.parse('2026-12-05T00:00:00Z');
  const service = createSchedulesService({ dataDir: dir, runs, intervalMs: 20, now: () => clock });
  stop = service.stop;
  const added = await service.api.addSchedule(file, { name: 'weekly', cron: '0 2 * * 0', timezone: 'Asia/Seoul', maxConcurrency: 1, catchUp: true, parameters: {}, trigger: 'cron' });
  expect(added).toMatchObject({ pipeline: 'korean-llm-smoke', next: '2026-12-05T17:00:00.000Z', last: null, paused: false });
  await expect(service.api.addSchedule(file, { ...added, name: 'bad', cron: '0 2 * * SUNDAY' })).rejects.toThrow(/cron: .*day of week "SUNDAY"/);
  clock = Date.parse('2026-12-05T17:00:05Z');
  await expect.poll(() => started.length).toBe(1);
  expect(started[0]).toMatchObject({ target: 'local', scheduledBy: 'local:weekly' });
  await expect.poll(async () => (await service.api.listSchedules()).schedules[0].last?.outcome).toBe('started');
  expect((await service.api.listSchedules()).serving).toBe(true);
  expect((await service.api.setSchedulePaused('weekly', true)).next).toBeNull();
  await service.api.deleteSchedule('weekly');
  expect((await service.api.listSchedules()).schedules).toEqual([]);
});

it('a run a schedule started keeps "scheduledBy" in its summary (the runs list marks it scheduled)', async () => {
  dir = await mkdtemp(join(tmpdir(), 'pw-sched-sum-'));
  const { toSummary } = await import('../runs/history.ts');
  const base = { id: 'r1', pipelineName: 'p', target: 'local' as const, phase: 'running' as const, createdAt: '2026-12-05T00:00:00Z', nodes: {} };
  expect(toSummary({ ...base, scheduledBy: 'local:weekly' }).scheduledBy).toBe('local:weekly');
  expect('scheduledBy' in toSummary(base)).toBe(false);
});
