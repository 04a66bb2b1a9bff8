/**
 * Why a KFP run failed: KFP's own run error says little or nothing, so with Kubernetes access the
 * reason is read from the Workflow's failed task and its pod (here an OOMKilled training step).
 */
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { emulatorIt, emulatorOf, openClusterEnv } from './cluster-env.ts';
import type { ClusterEnv } from './cluster-env.ts';
import { createClusterHarness, miniDocument } from './harness.ts';
import type { ClusterHarness } from './harness.ts';

describe('kfp target: failure reasons', () => {
  let env: ClusterEnv;
  let h: ClusterHarness;
  beforeAll(async () => {
    env = await openClusterEnv({ timeScale: 0.005 });
    h = createClusterHarness(env, miniDocument);
  });
  afterAll(async () => {
    await h?.close();
    await env?.close();
  });

  emulatorIt('an OOMKilled step: the run\'s message names the step, the reason, the exit code and what to do', 'it scripts an OOMKilled step in the emulator', async () => {
    emulatorOf(env).controller.setStepBehavior({ step: 'cpt' }, { outcome: 'oomKilled' });
    try {
      const started = await h.start('kfp');
      const done = await h.finish(started.id);
      expect(done.phase).toBe('failed');
      expect(done.message).toMatch(/Failed: cpt: OOMKilled \(exit code 137\): Out of memory/);
    } finally {
      emulatorOf(env).controller.clearStepBehaviors();
    }
  }, 60_000);
});
