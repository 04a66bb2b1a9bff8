/**
 * The `pipewright` command line against the emulator, as a user runs it: `run --target argo|kfp`
 * prints the run id as the last word of its first line and exits with the run's outcome; `runs`,
 * `logs` (also `--follow` from another process) and `cancel` work for cluster runs.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect } from 'vitest';
import { emulatedMs, emulatorIt, emulatorOf, openClusterEnv } from './cluster-env.ts';
import type { ClusterEnv } from './cluster-env.ts';
import { eventually, miniDocument } from './harness.ts';

const BIN = path.join(import.meta.dirname, '../../bin/pipewright.mjs');
const EMULATED = 'it compares with the emulator\'s own log lines and scripts step behaviour';

interface Cli {
  child: ChildProcess;
  output: () => string;
  /** The run id: the last word of the first line. */
  runId: () => Promise<string>;
  exited: Promise<number>;
}

describe('pipewright CLI on cluster targets', () => {
  let env: ClusterEnv;
  let dir: string;
  let file: string;
  beforeAll(async () => {
    env = await openClusterEnv({ timeScale: 0.01 });
    dir = mkdtempSync(path.join(os.tmpdir(), 'pw-cli-cluster-'));
    file = path.join(dir, 'mini.pipewright.json');
    writeFileSync(file, JSON.stringify(miniDocument(), null, 2));
  });
  afterAll(async () => {
    await env?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => env.emulator?.controller.clearStepBehaviors());

  function cli(args: string[], extraEnv: Record<string, string> = {}): Cli {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: dir,
      env: { ...process.env, KUBECONFIG: env.kubeconfigPath, PIPEWRIGHT_DATA_DIR: path.join(dir, 'data'), NO_COLOR: '1', ...extraEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
    const exited = new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? -1)));
    return {
      child,
      output: () => out + err,
      runId: () => eventually(() => (out.includes('\n') ? out.split('\n')[0].trim().split(/\s+/).at(-1) : undefined), 30_000, 'the first line'),
      exited,
    };
  }

  const runArgs = (target: 'argo' | 'kfp') => ['run', file, '--target', target, '--context', env.context, '--namespace', target === 'kfp' ? env.kfpNamespace : env.namespace];

  emulatorIt('run --target argo: the id is the first line\'s last word, phases follow, exit 0; runs and logs show it', EMULATED, async () => {
    const run = cli(runArgs('argo'));
    const id = await run.runId();
    expect(id).toMatch(/^\d{8}-\d{6}-[a-z0-9]{4}$/);
    expect(await run.exited, run.output()).toBe(0);
    expect(run.output()).toMatch(/cpt\s+running/);
    expect(run.output()).toMatch(new RegExp(`Run ${id} succeeded`));

    const runs = cli(['runs', '--json']);
    expect(await runs.exited).toBe(0);
    const listed = (JSON.parse(runs.output()) as { id: string; target: string; phase: string; external?: { workflowName?: string } }[]).find((r) => r.id === id);
    expect(listed).toMatchObject({ target: 'argo', phase: 'succeeded' });

    const logs = cli(['logs', id, '--node', 'cpt']);
    expect(await logs.exited).toBe(0);
    const pod = emulatorOf(env).controller.list('pods', env.namespace).find((p) => p.metadata.labels?.['workflows.argoproj.io/workflow'] === listed!.external!.workflowName && p.metadata.name.includes('-cpt-'))!;
    expect(logs.output().trimEnd().split('\n')).toEqual(emulatorOf(env).controller.logLines(env.namespace, pod.metadata.name));
  }, 90_000);

  emulatorIt('run --target kfp at a URL with the token from an environment variable, which is never stored', EMULATED, async () => {
    const token = emulatorOf(env).token!;
    const missing = cli([...runArgs('kfp'), '--kfp-url', emulatorOf(env).kfpUrl, '--kfp-token-env', 'NO_SUCH_TOKEN']);
    expect(await missing.exited).toBe(1);
    expect(missing.output()).toContain('--kfp-token-env NO_SUCH_TOKEN: that environment variable is not set');
    const run = cli([...runArgs('kfp'), '--kfp-url', emulatorOf(env).kfpUrl, '--kfp-token-env', 'KFP_TOKEN', '--experiment', 'cli'], { KFP_TOKEN: token });
    const id = await run.runId();
    expect(await run.exited, run.output()).toBe(0);
    const runs = cli(['runs', '--json']);
    expect(await runs.exited).toBe(0);
    for (const entry of readdirSync(path.join(dir, 'data'), { recursive: true, withFileTypes: true })) {
      if (entry.isFile()) expect(readFileSync(path.join(entry.parentPath, entry.name), 'utf8')).not.toContain(token);
    }
    expect((JSON.parse(runs.output()) as { id: string; phase: string }[]).find((r) => r.id === id)?.phase).toBe('succeeded');
  }, 90_000);

  emulatorIt('logs --follow picks up a cluster run whose `pipewright run` was killed, and follows it to the end', EMULATED, async () => {
    emulatorOf(env).controller.setStepBehavior({ step: 'cpt' }, { lineIntervalMs: emulatedMs(env, 50) });
    const run = cli(runArgs('argo'));
    const id = await run.runId();
    await eventually(() => /cpt\s+running/.test(run.output()), 60_000, 'cpt to run');
    run.child.kill('SIGKILL');
    await run.exited;
    const follow = cli(['logs', id, '--node', 'cpt', '--follow']);
    expect(await follow.exited, follow.output()).toBe(0);
    const runs = cli(['runs', '--json']);
    expect(await runs.exited).toBe(0);
    const listed = (JSON.parse(runs.output()) as { id: string; phase: string; nodes: Record<string, { podName?: string }> }[]).find((r) => r.id === id)!;
    expect(listed.phase).toBe('succeeded');
    expect(follow.output().trimEnd().split('\n')).toEqual(emulatorOf(env).controller.logLines(env.namespace, listed.nodes.cpt.podName!));
  }, 120_000);

  emulatorIt('a failing cluster run exits 1', EMULATED, async () => {
    emulatorOf(env).controller.setStepBehavior({ step: 'cpt' }, { outcome: 'fail', exitCode: 2 });
    const run = cli(runArgs('argo'));
    expect(await run.exited).toBe(1);
    expect(run.output()).toMatch(/cpt\s+failed/);
  }, 90_000);

  emulatorIt('logs --follow from another process, then cancel from a third', EMULATED, async () => {
    emulatorOf(env).controller.setStepBehavior({ step: 'cpt' }, { lineIntervalMs: emulatedMs(env, 200) });
    const run = cli(runArgs('kfp'));
    const id = await run.runId();
    const follow = cli(['logs', id, '--node', 'cpt', '--follow']);
    // Cancel once the follower has shown a metric line: the log arrives live, before the run ends.
    await eventually(() => follow.output().includes('PIPEWRIGHT_METRIC'), 60_000, 'a followed metric line');
    const cancel = cli(['cancel', id]);
    expect(await cancel.exited, cancel.output()).toBe(0);
    expect(cancel.output()).toContain(`Cancelled run ${id}`);
    expect(await run.exited).toBe(1);
    expect(run.output()).toMatch(new RegExp(`Run ${id} cancelled`));
    expect(await follow.exited).toBe(0);
    expect(follow.output()).toContain('PIPEWRIGHT_METRIC');
  }, 120_000);
});
