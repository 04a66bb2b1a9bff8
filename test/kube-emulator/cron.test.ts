/** The emulator's schedule ticks behave as Argo's cron controller and KFP's scheduled-workflow controller. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalog } from '../../node-catalog/index.ts';
import { templateDocument } from '../../node-catalog/templates/index.ts';
import { kfpRecurringRun } from '../../shared/schedules/kfp.ts';
import { startKubeEmulator, type KubeEmulator } from './index.ts';

let emulator: KubeEmulator;
beforeAll(async () => {
  // Real time: a started workflow stays running for the length of the test.
  emulator = await startKubeEmulator({ timeScale: 1 });
});
afterAll(async () => {
  await emulator.close();
});

const cron = (name: string, concurrencyPolicy: string) => ({
  metadata: { name, namespace: 'default', labels: { 'pipewright.dev/schedule': name } },
  spec: {
    schedules: ['0 2 * * 0'],
    concurrencyPolicy,
    workflowMetadata: { labels: { 'pipewright.dev/schedule': name } },
    workflowSpec: { entrypoint: 'main', templates: [{ name: 'main', container: { image: 'busybox', command: ['echo', 'hi'] } }] },
  },
});

describe('tickCronWorkflow', () => {
  it("starts a Workflow named and labelled as Argo's controller does, and records it in status", () => {
    emulator.apply('cronworkflows', cron('nightly', 'Allow'));
    const at = new Date('2026-12-06T02:00:00Z');
    const tick = emulator.controller.tickCronWorkflow('default', 'nightly', at);
    if (!('started' in tick)) throw new Error(tick.skipped);
    const wf = tick.started;
    expect(wf.metadata.name).toBe(`nightly-${at.getTime() / 1000}`);
    expect(wf.metadata.labels).toEqual({ 'pipewright.dev/schedule': 'nightly', 'workflows.argoproj.io/cron-workflow': 'nightly' });
    expect(wf.metadata.annotations).toEqual({ 'workflows.argoproj.io/scheduled-time': '2026-12-06T02:00:00Z' });
    expect(wf.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'CronWorkflow', name: 'nightly' });
    const status = emulator.controller.get('cronworkflows', 'default', 'nightly')!.status as { lastScheduledTime: string; active: { name: string }[] };
    expect(status.lastScheduledTime).toBe('2026-12-06T02:00:00Z');
    expect(status.active.map((a) => a.name)).toEqual([wf.metadata.name]);
    // Allow: a second one while the first runs; the same second gets the next free name.
    const again = emulator.controller.tickCronWorkflow('default', 'nightly', at);
    if (!('started' in again)) throw new Error(again.skipped);
    expect(again.started.metadata.name).toBe(`nightly-${at.getTime() / 1000 + 1}`);
  });

  it('Forbid with one running starts nothing; Replace deletes the running one; suspended starts nothing', () => {
    emulator.apply('cronworkflows', cron('forbid', 'Forbid'));
    expect('started' in emulator.controller.tickCronWorkflow('default', 'forbid')).toBe(true);
    expect(emulator.controller.tickCronWorkflow('default', 'forbid')).toEqual({ skipped: 'concurrency' });
    emulator.apply('cronworkflows', cron('replace', 'Replace'));
    const first = emulator.controller.tickCronWorkflow('default', 'replace', new Date('2026-12-06T02:00:00Z'));
    const second = emulator.controller.tickCronWorkflow('default', 'replace', new Date('2026-12-06T03:00:00Z'));
    if (!('started' in first) || !('started' in second)) throw new Error('not started');
    expect(emulator.controller.get('workflows', 'default', first.started.metadata.name)).toBeUndefined();
    expect(emulator.controller.get('workflows', 'default', second.started.metadata.name)).toBeDefined();
    const suspended = cron('off', 'Allow');
    emulator.apply('cronworkflows', { ...suspended, spec: { ...suspended.spec, suspend: true } });
    expect(emulator.controller.tickCronWorkflow('default', 'off')).toEqual({ skipped: 'suspended' });
    expect(() => emulator.controller.tickCronWorkflow('default', 'missing')).toThrow(/no CronWorkflow default\/missing/);
  });
});

describe('tickRecurringRun', () => {
  it('starts a run carrying recurring_run_id in its experiment; max_concurrency and :disable are respected', async () => {
    const post = async (path: string, body?: object) => {
      const res = await fetch(`${emulator.kfpUrl}${path}`, { method: 'POST', headers: { Authorization: `Bearer ${emulator.token}` }, body: body ? JSON.stringify(body) : undefined });
      return (await res.json()) as Record<string, string>;
    };
    const experiment = await post('/apis/v2beta1/experiments', { display_name: 'ticks' });
    const body = kfpRecurringRun(templateDocument('korean-llm-smoke')!, catalog, { name: 'weekly', cron: '0 2 * * 0', timezone: 'UTC', maxConcurrency: 1, catchUp: true, parameters: {}, trigger: 'cron' });
    const rr = await post('/apis/v2beta1/recurringruns', { ...body, experiment_id: experiment.experiment_id });
    const tick = emulator.controller.tickRecurringRun(rr.recurring_run_id);
    if (!('started' in tick)) throw new Error(tick.skipped);
    expect(tick.started.display_name).toMatch(/^weekly-1-[0-9a-f]{10}$/);
    const run = (await (await fetch(`${emulator.kfpUrl}/apis/v2beta1/runs/${tick.started.run_id}`, { headers: { Authorization: `Bearer ${emulator.token}` } })).json()) as Record<string, string>;
    expect(run).toMatchObject({ recurring_run_id: rr.recurring_run_id, experiment_id: experiment.experiment_id });
    expect(emulator.controller.tickRecurringRun(rr.recurring_run_id)).toEqual({ skipped: 'concurrency' });
    await post(`/apis/v2beta1/recurringruns/${rr.recurring_run_id}:disable`);
    expect(emulator.controller.tickRecurringRun(rr.recurring_run_id)).toEqual({ skipped: 'disabled' });
  });
});
