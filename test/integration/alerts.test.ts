/**
 * Alerts that act on cluster runs (Argo and KFP on the Kubernetes API emulator): scripted pods print
 * metric streams, the run manager watches them, each rule fires once at the right step and notifies or
 * stops the workflow; GPU idle reads DCGM's metric from a real Prometheus (fed through a Pushgateway).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect } from 'vitest';
import { prometheusGpuUtilization } from '../../electron/services/prometheus/gpuUtilization.ts';
import type { AlertSettings, RunAlert } from '../../shared/alerts/types.ts';
import type { PipelineDocument } from '../../shared/pipeline/types.ts';
import type { RunTarget } from '../../shared/runs/types.ts';
import { startPrometheus, startPushgateway } from '../fixtures/prometheusTools.ts';
import type { ServerProcess } from '../fixtures/prometheusTools.ts';
import { emulatedMs, emulatorIt, emulatorOf, openClusterEnv } from './cluster-env.ts';
import type { ClusterEnv } from './cluster-env.ts';
import { createClusterHarness, eventually, miniDocument } from './harness.ts';
import type { ClusterHarness } from './harness.ts';

const SCRIPTED = 'it scripts the steps\' pods in the emulated cluster';

function withAlerts(alerts: AlertSettings): PipelineDocument {
  const doc = miniDocument();
  return { ...doc, settings: { ...doc.settings, alerts } };
}

const metricLines = (losses: (number | string)[]) => losses.map((loss, i) => `PIPEWRIGHT_METRIC ${JSON.stringify({ step: i + 1, loss, learning_rate: 1e-5 })}`);

describe('alerts on cluster runs', () => {
  let env: ClusterEnv;
  let h: ClusterHarness;
  let gateway: ServerProcess;
  let prometheus: ServerProcess;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pw-alerts-prom-'));

  beforeAll(async () => {
    env = await openClusterEnv();
    gateway = await startPushgateway();
    prometheus = await startPrometheus({ pushgateways: [new URL(gateway.url).host], dir });
    const gpuUtilization = prometheusGpuUtilization({ url: () => prometheus.url });
    h = createClusterHarness(env, miniDocument, {}, { gpuUtilization, gpuSampleMs: 200 });
  }, 60_000);
  afterAll(async () => {
    await h?.close();
    await env?.close();
    await prometheus?.stop();
    await gateway?.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => env.emulator?.controller.clearStepBehaviors());

  const alertsOf = (runId: string): RunAlert[] => h.events.flatMap((e) => (e.kind === 'alert' && e.runId === runId ? [e.alert] : []));
  const start = (target: RunTarget, doc: PipelineDocument) => h.start(target, {}, doc);

  for (const target of ['argo', 'kfp'] as const) {
    emulatorIt(`${target}: a NaN loss with action cancel stops the workflow at that step`, SCRIPTED, async () => {
      const lines = metricLines([2.2, 2.1, 2.0, 1.95, 'NaN', ...Array.from({ length: 40 }, () => 'NaN')]);
      emulatorOf(env).controller.setStepBehavior({ step: 'cpt' }, { lines, lineIntervalMs: emulatedMs(env, 100) });
      const started = await start(target, withAlerts({ nonFiniteLoss: { action: 'cancel' } }));
      const done = await h.finish(started.id);
      expect(done.phase).toBe('cancelled');
      expect(done.nodes.cpt.phase).toMatch(/cancelled|failed/);
      expect(alertsOf(started.id).map((a) => [a.rule, a.nodeId, a.step, a.action])).toEqual([['nonFiniteLoss', 'cpt', 5, 'cancel']]);
      expect(done.alerts).toHaveLength(1);
      expect(done.message).toMatch(/^Stopped by an alert: The loss of cpt became NaN at step 5/);
      const steps = (await h.manager.readMetrics(started.id, 'cpt')).map((m) => m.step);
      expect(Math.max(...steps)).toBeLessThan(45);
    }, 60_000);
  }

  emulatorIt('argo: a loss spike only notifies when so configured; the workflow succeeds', SCRIPTED, async () => {
    const lines = metricLines([2.0, 1.9, 1.85, 1.8, 1.78, 1.75, 1.74, 8.0, 1.7, 9.0, 1.6]);
    emulatorOf(env).controller.setStepBehavior({ step: 'cpt' }, { lines, lineIntervalMs: emulatedMs(env, 20) });
    const started = await start('argo', withAlerts({ action: 'cancel', lossSpike: { action: 'notify' } }));
    const done = await h.finish(started.id);
    expect(done.phase).toBe('succeeded');
    expect(alertsOf(started.id).map((a) => [a.rule, a.step, a.action])).toEqual([['lossSpike', 8, 'notify']]);
  }, 60_000);

  emulatorIt('kfp: a step that only prints log lines is stalled after its stall minutes, at its last metric step', SCRIPTED, async () => {
    // Lines 2.5 s apart: metric steps come within the 3.6 s stall time of each other, then plain log lines make a 10 s gap.
    const lines = [...metricLines([2.0, 1.9]), 'saving a checkpoint...', 'still saving...', 'almost there...', ...metricLines([1.8, 1.7])];
    emulatorOf(env).controller.setStepBehavior({ step: 'cpt' }, { lines, lineIntervalMs: emulatedMs(env, 2500) });
    const started = await start('kfp', withAlerts({ stall: { minutes: 0.06, action: 'cancel' } }));
    const done = await h.finish(started.id);
    expect(done.phase).toBe('cancelled');
    const alerts = alertsOf(started.id);
    expect(alerts.map((a) => [a.rule, a.step, a.action])).toEqual([['stall', 2, 'cancel']]);
    expect((await h.manager.readMetrics(started.id, 'cpt')).map((m) => m.step)).toEqual([1, 2]);
  }, 60_000);

  emulatorIt('argo: the default training curves raise no alert with every rule on', SCRIPTED, async () => {
    const started = await start('argo', withAlerts({ stall: { minutes: 0.5 }, lossSpike: { factor: 2 } }));
    const done = await h.finish(started.id);
    expect(done.phase).toBe('succeeded');
    expect((await h.manager.readMetrics(started.id, 'cpt')).length).toBeGreaterThan(10);
    expect(alertsOf(started.id)).toEqual([]);
    expect(done.alerts).toBeUndefined();
  }, 60_000);

  emulatorIt('argo: GPUs idle under the threshold (DCGM through a real Prometheus) fire once, naming the step; busy GPUs do not', SCRIPTED, async () => {
    const lines = metricLines(Array.from({ length: 60 }, (_, i) => 2.5 - i * 0.01));
    emulatorOf(env).controller.setStepBehavior({ step: 'cpt' }, { lines, lineIntervalMs: emulatedMs(env, 150) });
    emulatorOf(env).controller.setStepBehavior({ step: 'preprocess' }, { lines: metricLines([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]), lineIntervalMs: emulatedMs(env, 150) });
    const started = await start('argo', withAlerts({ gpuIdle: { utilization: 40, minutes: 0.03 } }));
    // What the DCGM exporter reports for each step's pod, once the pod exists.
    const push = async (node: string, utilization: number) => {
      const pod = await eventually(() => h.manager.getRun(started.id).then((r) => r.nodes[node]?.podName), 30_000, `${node}'s pod`);
      const body = `DCGM_FI_DEV_GPU_UTIL{namespace="${env.namespace}",pod="${pod}",container="main",gpu="0",UUID="GPU-${node}"} ${utilization}\n`;
      const response = await fetch(`${gateway.url}/metrics/job/dcgm/instance/${node}`, { method: 'PUT', body });
      expect(response.ok).toBe(true);
    };
    await push('preprocess', 95);
    await push('cpt', 12);
    const done = await h.finish(started.id);
    expect(done.phase).toBe('succeeded');
    const alerts = alertsOf(started.id);
    expect(alerts.map((a) => [a.rule, a.nodeId, a.action, a.value, a.threshold])).toEqual([['gpuIdle', 'cpt', 'notify', 12, 40]]);
    expect(alerts[0].step).toBeGreaterThan(0);
    expect(alerts[0].message).toMatch(/^The GPUs of cpt stayed at 12% utilization, under 40%, for [\d.]+ minutes at step \d+\.$/);
  }, 90_000);
});
