/**
 * A training pod killed mid-run and retried resumes from its last checkpoint. The cpt container of the compiled
 * Argo workflow (checkpointPvc set) is run as the pod would run it: its args and env, the PVC mount mapped to a
 * folder both attempts share. The first attempt is SIGKILLed (exit 137, which the template's retryStrategy
 * retries); the second, same workflow name and node, logs "resumed from step N" and finishes the remaining steps.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parse } from 'yaml';
import { compileArgo } from '../shared/compile/argo.ts';
import { RETRY_EXPRESSION } from '../shared/compile/argo/template.ts';
import { CHECKPOINT_MOUNT } from '../shared/compile/trainingLaunch.ts';
import { loadTemplate } from '../test/fixtures/kfp-emulation.ts';
import { catalog } from './index.ts';
import { SAMPLE_FILES } from './scripts.generated.ts';
import { makeWorkdir, PYTHON } from './steps.testkit.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let work: ReturnType<typeof makeWorkdir>;
beforeAll(() => {
  work = makeWorkdir();
});
afterAll(() => work.cleanup());

/** The cpt pod's argv and env from the compiled workflow, with its mounts mapped into `root`. */
function cptPod(root: string): { args: string[]; env: Record<string, string>; retry: Json } {
  const doc = loadTemplate('korean-llm-smoke');
  doc.settings = { ...doc.settings, checkpointPvc: 'train-ckpt' };
  const cpt = doc.nodes.find((n) => n.id === 'cpt')!;
  cpt.params = { ...cpt.params, max_steps: 30, save_steps: 5, logging_steps: 1 };
  cpt.retries = 2;
  const wf = parse(compileArgo(doc, catalog)['workflow.yaml']) as Json;
  const template = (wf.spec.templates as Json[]).find((t) => t.name === 'cpt')!;
  const map = (value: string) => value.replace(CHECKPOINT_MOUNT, join(root, 'pvc')).replace('/tmp/inputs/', `${root}/in/`).replace('/tmp/outputs/', `${root}/out/`)
    .replace('{{workflow.name}}', 'korean-llm-smoke-x7k2p');
  const env: Record<string, string> = {};
  for (const e of template.container.env as Json[]) if (typeof e.value === 'string') env[e.name] = map(e.value);
  return { args: (template.container.args as string[]).map(map), env, retry: template.retryStrategy };
}

/** Runs the pod's main container; with killAfterStep, SIGKILLs it once a metric line for that step is out. */
function attempt(args: string[], env: Record<string, string>, killAfterStep?: number): Promise<{ code: number | null; signal: string | null; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(PYTHON, ['-u', work.script('cpt'), ...args], { env: { ...process.env, ...env } });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (killAfterStep === undefined) return;
      const steps = [...stdout.matchAll(/^PIPEWRIGHT_METRIC \{"step": (\d+)/gm)].map((m) => Number(m[1]));
      if (steps.some((s) => s >= killAfterStep)) child.kill('SIGKILL');
    });
    child.on('close', (code, signal) => resolve({ code, signal, stdout }));
  });
}

it('a cpt pod killed mid-training is retried and resumes from its last checkpoint on the PVC', async () => {
  const root = join(work.dir, 'pod');
  mkdirSync(join(root, 'in', 'dataset'), { recursive: true });
  writeFileSync(join(root, 'in', 'dataset', 'corpus.jsonl'), SAMPLE_FILES['ko_corpus.jsonl']);
  const { args, env, retry } = cptPod(root);
  expect(env.PIPEWRIGHT_CHECKPOINT_ROOT).toBe(join(root, 'pvc'));
  // A SIGKILL (exit 137) is not one of the step contract's deterministic exits, so Argo retries it.
  expect(retry).toMatchObject({ limit: '2', expression: RETRY_EXPRESSION });
  expect(RETRY_EXPRESSION).toContain("!(lastRetry.exitCode in ['2', '3', '4'])");

  const first = await attempt(args, env, 12);
  expect(first.signal).toBe('SIGKILL');
  expect(first.stdout).not.toContain('resumed from step');

  const second = await attempt(args, env);
  expect(second.code, second.stdout).toBe(0);
  const resumed = /resumed from step (\d+) \(checkpoint in ([^)]+)\)/.exec(second.stdout);
  expect(resumed).not.toBeNull();
  expect(Number(resumed![1])).toBeGreaterThanOrEqual(10);
  expect(resumed![2]).toBe(join(root, 'pvc', 'korean-llm-smoke-x7k2p', 'cpt'));
  const steps = [...second.stdout.matchAll(/^PIPEWRIGHT_METRIC \{"step": (\d+)/gm)].map((m) => Number(m[1]));
  expect(steps[0]).toBe(Number(resumed![1]) + 1);
  expect(steps.at(-1)).toBe(30);
}, 60_000);
