/**
 * The end-to-end scenarios every cluster target passes (run through RunManager and the target's
 * driver against the emulator or a real cluster): success with live phases, logs and metrics; a
 * failing step; pod hints; cancel; retry; reattach after a back-end restart.
 */
import { CoreV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunTarget } from '../../shared/runs/types.ts';
import { emulatedMs, emulatorIt, emulatorOf, openClusterEnv } from './cluster-env.ts';
import type { ClusterEnv } from './cluster-env.ts';
import { createClusterHarness, eventually, miniDocument, texts } from './harness.ts';
import type { ClusterHarness } from './harness.ts';

const SCRIPTED = 'it scripts step behaviour in the emulated controller';

/** The namespace a target's pods run in. */
function podNamespace(env: ClusterEnv, target: RunTarget): string {
  return target === 'kfp' ? env.kfpNamespace : env.namespace;
}

/** KFP runs twice the pods of Argo (a driver before each step), so its emulator runs faster. */
const TIME_SCALE: Record<RunTarget, number> = { argo: 0.02, kfp: 0.008, local: 1 };

export function defineTargetScenarios(target: RunTarget): void {
  describe(`${target} target end to end`, () => {
    let env: ClusterEnv;
    let h: ClusterHarness;
    beforeAll(async () => {
      env = await openClusterEnv({ timeScale: TIME_SCALE[target] });
      h = createClusterHarness(env);
    });
    afterAll(async () => {
      await h?.close();
      await env?.close();
    });
    beforeEach(() => env.emulator?.controller.clearStepBehaviors());

    /** Every node's recorded log equals its pod's main-container log, line for line. */
    async function expectCompleteLogs(runId: string): Promise<void> {
      const record = await h.manager.getRun(runId);
      for (const [nodeId, node] of Object.entries(record.nodes)) {
        if (!node.podName) continue;
        const recorded = texts(await h.log(runId, nodeId));
        if (env.emulator) expect(recorded, `log of ${nodeId}`).toEqual(env.emulator.controller.logLines(podNamespace(env, target), node.podName));
        else expect(recorded.length, `log of ${nodeId}`).toBeGreaterThan(0);
        expect(new Set(recorded.map((_, i) => i)).size).toBe(recorded.length);
      }
    }

    it('submits, shows live phases, streams logs and metrics, and succeeds', async () => {
      const started = await h.start(target);
      expect(started.phase).toBe('pending');
      const done = await h.finish(started.id);
      expect(done.phase, done.message).toBe('succeeded');
      expect(h.runPhases(started.id)).toEqual(['pending', 'running', 'succeeded']);
      const phases = h.nodePhases(started.id);
      for (const nodeId of Object.keys(done.nodes)) {
        expect(done.nodes[nodeId].phase, nodeId).toBe('succeeded');
        expect(phases[nodeId].at(-1)).toBe('succeeded');
      }
      // Live: the long steps are seen running before they succeed.
      for (const nodeId of ['cpt', 'sft']) expect(phases[nodeId].slice(-2), nodeId).toEqual(['running', 'succeeded']);
      const metrics = await h.manager.readMetrics(started.id, 'cpt');
      expect(metrics.length).toBeGreaterThan(3);
      expect(metrics.filter((m) => typeof m.values.loss === 'number').length).toBeGreaterThan(3);
      expect(done.nodes.cpt.lastMetrics?.loss).toBeTypeOf('number');
      expect(h.events.some((e) => e.kind === 'progress' && e.runId === started.id)).toBe(true);
      const ext = (await h.manager.getRun(started.id)).external;
      expect(ext?.workflowName).toBeTruthy();
      if (target === 'kfp') expect(ext?.kfpRunId).toMatch(/^[0-9a-f-]{36}$/);
      await expectCompleteLogs(started.id);
    });

    it('a run-time parameter value reaches the step pod as its own argument', async () => {
      const doc = miniDocument();
      doc.parameters = [{ name: 'min_len', type: 'integer', default: 10 }];
      const pre = doc.nodes.find((n) => n.id === 'preprocess')!;
      pre.params = { ...pre.params, min_chars: { $param: 'min_len' } };
      const started = await h.start(target, { parameterValues: { min_len: 3 } }, doc);
      const done = await h.finish(started.id);
      expect(done.phase, done.message).toBe('succeeded');
      expect((await h.manager.getRun(started.id)).parameterValues).toEqual({ min_len: 3 });
      const podName = done.nodes.preprocess.podName!;
      const pod = await env.kubeConfig().makeApiClient(CoreV1Api).readNamespacedPod({ name: podName, namespace: podNamespace(env, target) });
      const main = pod.spec!.containers.find((c) => c.name === 'main')!;
      const argv = [...(main.command ?? []), ...(main.args ?? [])];
      expect(argv[argv.indexOf('--min_chars') + 1]).toBe('3');
    });

    emulatorIt('a failing step fails the run, skips its dependents and says why', SCRIPTED, async () => {
      emulatorOf(env).controller.setStepBehavior({ step: 'sft' }, { outcome: 'fail', exitCode: 3, afterLines: 6 });
      const started = await h.start(target);
      const done = await h.finish(started.id);
      expect(done.phase).toBe('failed');
      expect(done.message).toBeTruthy();
      expect(done.nodes.sft.phase).toBe('failed');
      expect(done.nodes.cpt.phase).toBe('succeeded');
      expect(done.nodes.eval.phase).toBe('skipped');
      expect(done.nodes.deploy.phase).toBe('skipped');
      expect(done.nodes.sft.hint).toMatchObject({ hint: expect.stringContaining('exited with code 3') });
      expect(texts(await h.log(started.id, 'sft')).length).toBeGreaterThanOrEqual(6);
      await expectCompleteLogs(started.id);
    });

    emulatorIt('shows OOMKilled and Unschedulable hints on the node', SCRIPTED, async () => {
      const controller = emulatorOf(env).controller;
      controller.setStepBehavior({ step: 'preprocess' }, { unschedulableMs: emulatedMs(env, 800) });
      controller.setStepBehavior({ step: 'cpt' }, { outcome: 'oomKilled', afterLines: 4 });
      const started = await h.start(target);
      const done = await h.finish(started.id);
      expect(done.phase).toBe('failed');
      const hints = h.events.flatMap((e) => (e.kind === 'hint' && e.runId === started.id && e.hint ? [[e.nodeId, e.hint.reason, e.hint.hint] as const] : []));
      expect(hints).toContainEqual(['preprocess', 'Unschedulable', expect.stringContaining('Waiting for a node')]);
      expect(hints).toContainEqual(['cpt', 'OOMKilled', expect.stringContaining('Out of memory')]);
      expect(done.nodes.preprocess.phase).toBe('succeeded');
      expect(done.nodes.preprocess.hint ?? null).toBeNull();
      expect(done.nodes.cpt).toMatchObject({ phase: 'failed', hint: { reason: 'OOMKilled' } });
    });

    it('cancels a running run', async () => {
      env.emulator?.controller.setStepBehavior({ step: 'cpt' }, { lineIntervalMs: 100_000 });
      const started = await h.start(target);
      await eventually(() => h.nodePhases(started.id).cpt?.includes('running'), env.runTimeoutMs, 'cpt to run');
      await h.manager.cancelRun(started.id);
      const done = await h.finish(started.id);
      expect(done.phase).toBe('cancelled');
      expect(done.nodes.cpt.phase).toBe('cancelled');
      // The stopped step exits non-zero, but that is the user's doing: no failure hint on it.
      expect(done.nodes.cpt.hint ?? null).toBeNull();
      expect(done.nodes.preprocess.phase).toBe('succeeded');
      expect(['cancelled', 'skipped']).toContain(done.nodes.deploy.phase);
    });

    emulatorIt('retries a failed run', SCRIPTED, async () => {
      emulatorOf(env).controller.setStepBehavior({ step: 'cpt' }, { outcome: 'fail' });
      const first = await h.start(target, {}, miniDocument());
      expect((await h.finish(first.id)).phase).toBe('failed');
      emulatorOf(env).controller.clearStepBehaviors();
      const retried = await h.manager.retryRun(first.id);
      const done = await h.finish(retried.id);
      expect(done.phase, done.message).toBe('succeeded');
      expect(Object.values(done.nodes).map((n) => n.phase)).toEqual(Object.keys(done.nodes).map(() => 'succeeded'));
      if (target === 'kfp') {
        // KFP retries in place: the same run, the same KFP run id, the log of the failed attempt kept before the new one.
        expect(retried.id).toBe(first.id);
        expect(h.runPhases(first.id)).toEqual(['pending', 'running', 'failed', 'running', 'succeeded']);
        const seqs = (await h.log(first.id, 'cpt')).map((l) => l.seq);
        expect(seqs.length).toBeGreaterThan(0);
        expect(seqs).toEqual(seqs.map((_, i) => i + 1));
      } else {
        expect(retried.id).not.toBe(first.id);
        await expectCompleteLogs(retried.id);
      }
    });

    it('picks a run up again after a back-end restart, with no line lost or repeated', async () => {
      env.emulator?.controller.setStepBehavior({ step: 'cpt' }, { lineIntervalMs: emulatedMs(env, 20) });
      const started = await h.start(target, {}, miniDocument());
      await eventually(async () => (await h.log(started.id, 'cpt')).length >= (env.real ? 3 : 10), env.runTimeoutMs, 'cpt to log');
      await h.manager.close();
      await new Promise((r) => setTimeout(r, 400));
      const manager = h.restart();
      expect(await manager.reattachRuns()).toEqual([started.id]);
      const done = await h.finish(started.id);
      expect(done.phase, done.message).toBe('succeeded');
      await expectCompleteLogs(started.id);
      const seqs = (await h.log(started.id, 'cpt')).map((l) => l.seq);
      expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    });
  });
}
