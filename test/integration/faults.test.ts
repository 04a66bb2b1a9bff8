/**
 * The fault suite: runs of both cluster targets while the emulated API server drops every connection
 * every 2 s, answers with 5xx bursts, expires watches (410) and restarts. Nothing may be lost or
 * repeated in the recorded logs, and every run ends in the right phase.
 */
import { afterAll, beforeAll, beforeEach, describe, expect } from 'vitest';
import type { RunTarget } from '../../shared/runs/types.ts';
import { emulatedMs, emulatorIt, emulatorOf, openClusterEnv } from './cluster-env.ts';
import type { ClusterEnv } from './cluster-env.ts';
import { createClusterHarness, eventually, miniDocument, texts } from './harness.ts';
import type { ClusterHarness } from './harness.ts';

const FAULTS = 'it injects faults into the emulated API server';

describe('fault suite', () => {
  let env: ClusterEnv;
  let h: ClusterHarness;
  beforeAll(async () => {
    env = await openClusterEnv({ timeScale: 0.01 });
    h = createClusterHarness(env);
  });
  afterAll(async () => {
    await h?.close();
    await env?.close();
  });
  beforeEach(() => {
    env.emulator?.faults.clear();
    env.emulator?.controller.clearStepBehaviors();
  });

  const podNamespace = (target: RunTarget) => (target === 'kfp' ? env.kfpNamespace : env.namespace);

  /** Every node's recorded log is exactly its pod's log: none lost, none twice, in order. */
  async function expectExactLogs(runId: string, target: RunTarget): Promise<number> {
    const record = await h.manager.getRun(runId);
    let total = 0;
    for (const [nodeId, node] of Object.entries(record.nodes)) {
      if (!node.podName) continue;
      const lines = await h.log(runId, nodeId);
      expect(texts(lines), `log of ${nodeId}`).toEqual(emulatorOf(env).controller.logLines(podNamespace(target), node.podName));
      expect(lines.map((l) => l.seq), `seqs of ${nodeId}`).toEqual(lines.map((_, i) => i + 1));
      total += lines.length;
    }
    return total;
  }

  emulatorIt('argo: connections dropped every 2 s for a whole run lose and repeat no log line', FAULTS, async () => {
    const emulator = emulatorOf(env);
    // Long enough for several drops in every long step.
    emulator.controller.setStepBehavior({ step: 'cpt' }, { lineIntervalMs: emulatedMs(env, 40) });
    emulator.controller.setStepBehavior({ step: 'sft' }, { lineIntervalMs: emulatedMs(env, 40) });
    emulator.controller.setStepBehavior({ step: 'deploy' }, { outcome: 'fail', afterLines: 2 });
    const dropsBefore = emulator.faults.stats.droppedConnections;
    const stop = emulator.faults.dropConnectionsEvery(2000);
    try {
      const started = await h.start('argo');
      const done = await h.finish(started.id);
      expect(done.phase).toBe('failed');
      expect(done.nodes.deploy.phase).toBe('failed');
      for (const id of ['corpus', 'preprocess', 'cpt', 'instructions', 'sft', 'test-set', 'eval']) expect(done.nodes[id].phase, id).toBe('succeeded');
      expect(await expectExactLogs(started.id, 'argo')).toBeGreaterThan(150);
    } finally {
      stop();
    }
    expect(emulator.faults.stats.droppedConnections - dropsBefore).toBeGreaterThan(3);
  }, 60_000);

  emulatorIt('kfp: connections dropped every 2 s for a whole run lose and repeat no log line', FAULTS, async () => {
    const emulator = emulatorOf(env);
    emulator.controller.setStepBehavior({ step: 'cpt' }, { lineIntervalMs: emulatedMs(env, 60), outcome: 'fail' });
    const dropsBefore = emulator.faults.stats.droppedConnections;
    const stop = emulator.faults.dropConnectionsEvery(2000);
    try {
      const started = await h.start('kfp', {}, miniDocument());
      const done = await h.finish(started.id);
      expect(done.phase).toBe('failed');
      expect([done.nodes.corpus.phase, done.nodes.preprocess.phase, done.nodes.cpt.phase]).toEqual(['succeeded', 'succeeded', 'failed']);
      expect(await expectExactLogs(started.id, 'kfp')).toBeGreaterThan(80);
    } finally {
      stop();
    }
    expect(emulator.faults.stats.droppedConnections - dropsBefore).toBeGreaterThan(2);
  }, 60_000);

  emulatorIt('argo: bursts of 503 and 429 answers are retried with backoff', FAULTS, async () => {
    const emulator = emulatorOf(env);
    // cpt long enough (a line each 50 ms) to be seen running between the backoffs of the 503s: at the
    // emulator's speed it could end before the follower's first answered request, and 'running' never came.
    emulator.controller.setStepBehavior({ step: 'cpt' }, { lineIntervalMs: emulatedMs(env, 50) });
    emulator.faults.failNext(3, { code: 503, path: /\/workflows$/ });
    const started = await h.start('argo');
    emulator.faults.failRatio(0.3, { code: 503 });
    await eventually(() => h.nodePhases(started.id).cpt?.includes('running'), 60_000, 'cpt to run');
    emulator.faults.failRatio(0.3, { code: 429 });
    const done = await h.finish(started.id);
    emulator.faults.clear();
    expect(done.phase, done.message).toBe('succeeded');
    // The three refused creates are certain; the random 503s and 429s come on top.
    expect(emulator.faults.stats.failedRequests).toBeGreaterThanOrEqual(3);
    await expectExactLogs(started.id, 'argo');
  }, 120_000);

  emulatorIt('kfp: 5xx answers from the KFP API and the API server are retried', FAULTS, async () => {
    const emulator = emulatorOf(env);
    emulator.faults.failRatio(0.25, { code: 502 });
    const started = await h.start('kfp', {}, miniDocument());
    const done = await h.finish(started.id);
    emulator.faults.clear();
    expect(done.phase, done.message).toBe('succeeded');
    expect(new Set(Object.values(done.nodes).map((n) => n.phase))).toEqual(new Set(['succeeded']));
    // One KFP run, however many creates were retried.
    expect(emulator.controller.list('workflows', env.kfpNamespace).filter((w) => w.metadata.annotations?.['pipelines.kubeflow.org/run_name'] === `korean-llm-smoke ${started.id}`)).toHaveLength(1);
    await expectExactLogs(started.id, 'kfp');
  });

  emulatorIt('argo: watches that expire (410 Gone) are listed again and the run completes', FAULTS, async () => {
    const emulator = emulatorOf(env);
    emulator.controller.setStepBehavior({ step: 'cpt' }, { lineIntervalMs: emulatedMs(env, 15) });
    const started = await h.start('argo');
    await eventually(() => h.nodePhases(started.id).cpt?.includes('running'), 60_000, 'cpt to run');
    const expiredBefore = emulator.faults.stats.expiredWatches;
    emulator.faults.expireNextWatch(4);
    emulator.faults.compact();
    emulator.faults.dropConnections();
    const done = await h.finish(started.id);
    expect(done.phase, done.message).toBe('succeeded');
    expect(emulator.faults.stats.expiredWatches - expiredBefore).toBeGreaterThan(0);
    await expectExactLogs(started.id, 'argo');
  }, 120_000);

  for (const target of ['argo', 'kfp'] as const) {
    emulatorIt(`${target}: an API server restart shows "disconnected — retrying", then the run catches up`, FAULTS, async () => {
      const emulator = emulatorOf(env);
      emulator.controller.setStepBehavior({ step: 'cpt' }, { lineIntervalMs: emulatedMs(env, 20) });
      const started = await h.start(target, {}, miniDocument());
      await eventually(async () => (await h.log(started.id, 'cpt')).length >= 5, 20_000, 'cpt to log');
      await emulator.faults.restart({ downMs: 2500, compact: true });
      const done = await h.finish(started.id);
      expect(done.phase, done.message).toBe('succeeded');
      const connection = h.events.flatMap((e) => (e.kind === 'connection' && e.runId === started.id ? [e] : []));
      expect(connection.find((e) => e.state === 'disconnected')?.message).toMatch(/^disconnected — retrying/);
      expect(connection.at(-1)?.state).toBe('connected');
      await expectExactLogs(started.id, target);
    }, 60_000);
  }
});
