/**
 * Long runs survive a lost pod, on the emulated cluster: the emulator runs the pods of an Argo run for real
 * (execute mode: each step's own code, artifacts passed between pods, the checkpointPvc claim a folder every
 * pod of the run mounts). The cpt pod is SIGKILLed mid-training (exit 137, as when its node is lost); the
 * workflow's retryStrategy starts a second pod, which finds the checkpoint on the claim, says so in its log
 * and trains only the remaining steps. The run, followed by the app's own Argo driver, ends succeeded with
 * the whole story in the cpt node's log.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { PYTHON } from '../../node-catalog/steps.testkit.ts';
import type { PipelineDocument } from '../../shared/pipeline/types.ts';
import type { ClusterEnv } from './cluster-env.ts';
import { emulatorIt, emulatorOf, openClusterEnv } from './cluster-env.ts';
import type { ClusterHarness } from './harness.ts';
import { createClusterHarness, miniDocument, texts, withTimeout } from './harness.ts';

const MAX_STEPS = 30;
let root: string;
let env: ClusterEnv;
let harness: ClusterHarness;

function checkpointedDocument(): PipelineDocument {
  const doc = miniDocument();
  doc.settings = { ...doc.settings, checkpointPvc: 'train-ckpt' };
  const cpt = doc.nodes.find((n) => n.id === 'cpt')!;
  cpt.params = { ...cpt.params, max_steps: MAX_STEPS, save_steps: 5, logging_steps: 1 };
  cpt.retries = 2;
  return doc;
}

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'pw-exec-'));
  // The images' python3 stood in by Debian's, which has torch for the tiny engine.
  env = await openClusterEnv({ execute: { root, commands: { python3: PYTHON } }, timeScale: 0.05 });
  harness = createClusterHarness(env, checkpointedDocument);
});

afterAll(async () => {
  await harness?.close();
  await env?.close();
  rmSync(root, { recursive: true, force: true });
});

emulatorIt('a cpt pod killed mid-training is retried by Argo and resumes from its checkpoint on the claim', 'kills a pod at a chosen log line (emulator execute mode)', async () => {
  // The first attempt dies once step 12 is logged (checkpoints were saved at 5 and 10); later attempts run as they are.
  emulatorOf(env).controller.setStepBehavior({ step: 'cpt' }, { attempts: [{ killWhenLine: '^PIPEWRIGHT_METRIC \\{"step": 12[,}]' }, {}] });
  const run = await harness.start('argo');
  // Real processes (a tiny engine training 30 + 20 steps), not scripted pods: more time than the scripted runs get.
  const done = await withTimeout(harness.manager.waitForRun(run.id), 100_000, `run ${run.id} to finish`);
  if (done.phase !== 'succeeded') {
    for (const id of Object.keys(done.nodes)) console.log(id, done.nodes[id].phase, done.nodes[id].message, texts(await harness.log(run.id, id)).slice(-8).join('\n'));
  }
  expect(done.phase, done.message).toBe('succeeded');
  expect(done.nodes.cpt.phase).toBe('succeeded');

  // Two pods ran cpt: the Workflow's retry node has two attempts, the first ended by the kill.
  const workflow = emulatorOf(env).controller.get('workflows', env.namespace, done.external!.workflowName!)!;
  const nodes = Object.values((workflow.status as { nodes: Record<string, { displayName: string; type: string; phase: string; outputs?: { exitCode?: string } }> }).nodes);
  const attempts = nodes.filter((n) => n.type === 'Pod' && /^cpt\(\d+\)$/.test(n.displayName));
  expect(attempts.map((n) => [n.displayName, n.phase, n.outputs?.exitCode])).toEqual([
    ['cpt(0)', 'Failed', '137'],
    ['cpt(1)', 'Succeeded', '0'],
  ]);

  // The node's log, as the app shows it: training up to the kill, then the resume, then only the remaining steps.
  const log = texts(await harness.log(run.id, 'cpt')).join('\n');
  const resumed = /resumed from step (\d+) \(checkpoint in ([^)]+)\)/.exec(log);
  expect(resumed, log.slice(-3000)).not.toBeNull();
  const from = Number(resumed![1]);
  expect(from).toBe(10);
  expect(resumed![2]).toBe(path.join(root, 'volumes', env.namespace, 'train-ckpt', workflow.metadata.name, 'cpt'));
  const after = log.slice(resumed!.index);
  const stepsAfter = [...after.matchAll(/PIPEWRIGHT_METRIC \{"step": (\d+)/g)].map((m) => Number(m[1]));
  expect(stepsAfter[0]).toBe(from + 1);
  expect(stepsAfter.at(-1)).toBe(MAX_STEPS);
  const before = log.slice(0, resumed!.index);
  expect([...before.matchAll(/PIPEWRIGHT_METRIC \{"step": (\d+)/g)].map((m) => Number(m[1])).at(-1)).toBeGreaterThanOrEqual(12);

  // The checkpoints live on the claim, beside the run: what a third attempt would find.
  expect(readdirSync(path.join(root, 'volumes', env.namespace, 'train-ckpt', workflow.metadata.name, 'cpt')).length).toBeGreaterThan(0);
}, 120_000);
