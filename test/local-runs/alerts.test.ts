/**
 * Alerts that act, on this machine: small Python steps print scripted metric streams (as the step library
 * and Hugging Face's Trainer print them), the run manager watches them, and each rule fires once at the
 * right step and does what the document says: notify only, or stop the run.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serializePipeline } from '../../shared/pipeline/load.ts';
import type { AlertSettings } from '../../shared/alerts/types.ts';
import { PIPELINE_FORMAT } from '../../shared/pipeline/types.ts';
import type { PipelineDocument } from '../../shared/pipeline/types.ts';
import { RunManager } from '../../electron/services/runs/manager.ts';
import { createHarness } from './harness.ts';
import type { Harness } from './harness.ts';

/** A pipeline of one custom Python step running `body` (metric lines on stdout). */
function scripted(name: string, body: string, alerts?: AlertSettings, nodeAlerts?: AlertSettings): PipelineDocument {
  const code = ['import json, sys, time', 'def metric(step, **values):', '    print("PIPEWRIGHT_METRIC " + json.dumps(dict(step=step, **values)), flush=True)', body, ''].join('\n');
  return {
    format: PIPELINE_FORMAT,
    name,
    settings: alerts ? { alerts } : {},
    nodes: [{ id: 'train', type: 'python', position: { x: 0, y: 0 }, code, interface: { inputs: [], outputs: [], parameters: [] }, cache: false, ...(nodeAlerts ? { alerts: nodeAlerts } : {}) }],
    edges: [],
  };
}

/** Python printing a list of losses (strings print as the step library prints non-finite values), `pause` s apart. */
const losses = (values: (number | string)[], pause = 0.1) => `for i, loss in enumerate(${JSON.stringify(values)}, 1):\n    metric(i, loss=float(loss) if isinstance(loss, str) else loss)\n    time.sleep(${pause})`;

describe('alerts on local runs', () => {
  let h: Harness;
  const alertEvents = (runId: string) => h.events.flatMap((e) => (e.kind === 'alert' && e.runId === runId ? [e.alert] : []));
  const lastStep = async (runId: string) => (await h.manager.readMetrics(runId, 'train')).at(-1)?.step;

  beforeAll(() => {
    h = createHarness();
  });
  afterAll(async () => h.close());

  it('a NaN loss notifies once at its step; the run goes on and its record keeps the alert', async () => {
    const run = await h.run(scripted('nan-notify', losses([2.0, 1.9, 'nan', 'nan', 1.8])));
    expect(run.phase).toBe('succeeded');
    const alerts = alertEvents(run.id);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ id: 'train:nonFiniteLoss', rule: 'nonFiniteLoss', nodeId: 'train', step: 3, action: 'notify', message: 'The loss of train became NaN at step 3.' });
    expect(alerts[0].value).toBeNaN();
    expect(await lastStep(run.id)).toBe(5);
    expect(run.alerts).toEqual(alerts);
    const stored = await new RunManager({ runsDir: h.manager.history.root, drivers: [] }).getRun(run.id);
    expect(stored.alerts).toHaveLength(1);
    expect(stored.alerts![0].value).toBeNaN();
  });

  it('a loss spike with action cancel stops the run at that step, saying why', async () => {
    const values = [2.0, 1.9, 1.85, 1.8, 1.78, 1.75, 9.5, ...Array.from({ length: 40 }, () => 1.7)];
    const run = await h.run(scripted('spike-cancel', losses(values, 0.1), { action: 'cancel' }));
    expect(run.phase).toBe('cancelled');
    expect(run.nodes.train.phase).toBe('cancelled');
    const alerts = alertEvents(run.id);
    expect(alerts.map((a) => [a.rule, a.step, a.action])).toEqual([['lossSpike', 7, 'cancel']]);
    expect(run.message).toBe(`Stopped by an alert: ${alerts[0].message}`);
    expect(alerts[0].message).toMatch(/^The loss of train spiked to 9.5 at step 7, over 3 times its recent median 1.825; Pipewright stopped the run/);
    expect(await lastStep(run.id)).toBeLessThan(20);
  });

  it("Hugging Face's {'loss': nan} is caught too, and a node's own action wins over the pipeline's", async () => {
    const body = [
      "for i, loss in enumerate(['2.31', '2.2', 'nan', 'nan']):",
      "    print(\"{'loss': %s, 'grad_norm': 1.2, 'learning_rate': 2e-05, 'epoch': %.2f}\" % (loss, i / 10), flush=True)",
      '    time.sleep(0.1)',
    ].join('\n');
    const run = await h.run(scripted('trainer-nan', body, { action: 'cancel' }, { action: 'notify' }));
    expect(run.phase).toBe('succeeded');
    expect(alertEvents(run.id).map((a) => [a.rule, a.step, a.action])).toEqual([['nonFiniteLoss', 3, 'notify']]);
  });

  it('a step that stops reporting is stopped after its stall minutes, naming the last step', async () => {
    const body = `${losses([2.0, 1.9, 1.8], 0.05)}\ntime.sleep(60)\nmetric(4, loss=1.7)`;
    const started = Date.now();
    const run = await h.run(scripted('stalled', body, { stall: { minutes: 0.08, action: 'cancel' } }));
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(run.phase).toBe('cancelled');
    const alerts = alertEvents(run.id);
    expect(alerts.map((a) => [a.rule, a.step, a.action])).toEqual([['stall', 3, 'cancel']]);
    expect(alerts[0].minutes).toBeGreaterThan(0.08);
    expect(await lastStep(run.id)).toBe(3);
  });

  it('a healthy noisy curve with every rule on raises nothing', async () => {
    const curve = [5.61, 5.2, 4.72, 4.1, 3.66, 3.41, 3.59, 3.3, 3.1, 3.25, 2.9, 2.95, 2.7, 2.8, 2.62];
    const run = await h.run(scripted('healthy', losses(curve, 0.02), { stall: { minutes: 0.5 } }));
    expect(run.phase).toBe('succeeded');
    expect(alertEvents(run.id)).toEqual([]);
    expect(run.alerts).toBeUndefined();
    expect((await h.manager.readMetrics(run.id, 'train')).length).toBe(curve.length);
  });

  it('pipewright run prints the alert as it fires and lists the alerts at the end', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'pw-alert-cli-'));
    try {
      writeFileSync(path.join(dir, 'nan.pipewright.json'), serializePipeline(scripted('cli-nan', losses([2.0, 1.9, 'nan', ...Array.from({ length: 60 }, () => 1.8)], 0.1), { nonFiniteLoss: { action: 'cancel' } })));
      const bin = fileURLToPath(new URL('../../bin/pipewright.mjs', import.meta.url));
      const result = spawnSync(process.execPath, [bin, 'run', 'nan.pipewright.json', '--target', 'local'], { cwd: dir, env: { ...process.env, PIPEWRIGHT_DATA_DIR: path.join(dir, 'data') }, encoding: 'utf8', timeout: 60_000 });
      expect(result.status, result.stderr).toBe(1);
      expect(result.stdout).toMatch(/\d\d:\d\d:\d\d {2}train {2}ALERT The loss of train became NaN at step 3; Pipewright stopped the run to save GPU hours\.\n/);
      expect(result.stdout).toMatch(/Alerts:\n {2}NODE +STEP +RULE +ACTION +WHAT\n {2}train +step 3 +nonFiniteLoss +stopped the run +The loss of train became NaN at step 3/);
      expect(result.stdout).toMatch(/Run \S+ cancelled in [^:]+: Stopped by an alert: The loss of train became NaN at step 3/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
