import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { StageGuard } from './guard.ts';
import { groupAlive, plainArgv, signalGroup } from './processes.ts';
import { StageStarter } from './starter.ts';

const workspace = mkdtempSync(path.join(os.tmpdir(), 'pw-proc-'));
afterAll(() => rmSync(workspace, { recursive: true, force: true }));

/** A process group of its own that ignores SIGTERM, as a stubborn stage. */
function stubbornGroup(): number {
  const child = spawn('sh', ['-c', 'trap "" TERM; sleep 30 & wait; sleep 30'], { detached: true, stdio: 'ignore' });
  child.unref();
  return child.pid!;
}

async function until(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (!check() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  return check();
}

function pgidOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
}

describe('plainArgv: commands started without a shell', () => {
  it.each([
    ['python3 -u steps/a.py --params-file params.yaml --out-out data/a/out', ['python3', '-u', 'steps/a.py', '--params-file', 'params.yaml', '--out-out', 'data/a/out']],
    ['  dvc   repro\t--pull ', ['dvc', 'repro', '--pull']],
    ['python3 x.py --lr=0.1', ['python3', 'x.py', '--lr=0.1']],
    // Anything sh gives a meaning of its own goes through sh.
    ['python3 a.py && python3 b.py', undefined],
    ['python3 a.py > log', undefined],
    ['python3 "a b.py"', undefined],
    ['python3 $SCRIPT', undefined],
    ['python3 *.py', undefined],
    ['FOO=1 python3 a.py', undefined],
    ['cd data', undefined],
    ['echo hi', undefined],
    ['python3 ~/a.py', undefined],
    ['python3 a.py # comment', undefined],
    ['python3 a.py\npython3 b.py', undefined],
    ['', undefined],
  ])('%j -> %j', (cmd, argv) => {
    expect(plainArgv(cmd)).toEqual(argv);
  });
});

describe('StageGuard: stages die with their runner', () => {
  it('ends the groups still watched when the runner goes away (SIGTERM, then SIGKILL), and leaves released ones alone', async () => {
    const guard = new StageGuard(0.3);
    const stubborn = stubbornGroup();
    const released = stubbornGroup();
    try {
      guard.watch(stubborn);
      guard.watch(released);
      guard.release(released);
      // Releases reach the guard with the next watch or within 100 ms (a released group has normally ended).
      await new Promise((r) => setTimeout(r, 200));
      expect(groupAlive(stubborn)).toBe(true);
      // What the guard sees when the runner is killed: its input ends.
      guard['child']!.stdin!.destroy();
      expect(await until(() => !groupAlive(stubborn), 5000)).toBe(true);
      expect(groupAlive(released)).toBe(true);
    } finally {
      signalGroup(stubborn, 'SIGKILL');
      signalGroup(released, 'SIGKILL');
    }
  });

  it('a guard killed while stages run is replaced, and the new one watches them', async () => {
    const guard = new StageGuard(0.2);
    const stubborn = stubbornGroup();
    try {
      guard.watch(stubborn);
      const first = guard.pid!;
      process.kill(first, 'SIGKILL');
      expect(await until(() => guard.pid !== undefined && guard.pid !== first, 5000)).toBe(true);
      guard['child']!.stdin!.destroy();
      expect(await until(() => !groupAlive(stubborn), 5000)).toBe(true);
    } finally {
      signalGroup(stubborn, 'SIGKILL');
    }
  });
});

describe('StageStarter: a process started ahead that becomes the stage', () => {
  const env = { ...process.env, PIPEWRIGHT_RUN_ID: 'run-1' };

  async function runWith(cmd: string, vars: Record<string, string>) {
    const starter = new StageStarter(workspace, env);
    let out = '';
    const stage = starter.start(cmd, vars, { onOutput: (chunk) => (out += chunk) })!;
    expect(stage).toBeDefined();
    const pgid = pgidOf(stage.pid);
    const exit = await stage.exited;
    return { out, exit, pid: stage.pid, pgid };
  }

  it('runs a plain command as itself, in its own process group, with the run and stage environment', async () => {
    const r = await runWith('printenv PIPEWRIGHT_RUN_ID PIPEWRIGHT_NODE_ID PIPEWRIGHT_GPUS', { PIPEWRIGHT_NODE_ID: 'train', PIPEWRIGHT_GPUS: '0' });
    expect(r.out).toBe('run-1\ntrain\n0\n');
    expect(r.exit).toEqual({ code: 0, signal: null });
    expect(r.pgid).toBe(r.pid);
  });

  it('runs any other command through sh, in the workspace, with its exit status; stdin is empty', async () => {
    const r = await runWith('echo "$PIPEWRIGHT_NODE_ID in $(basename "$PWD")"; cat; exit 3', { PIPEWRIGHT_NODE_ID: 'a b' });
    expect(r.out).toBe(`a b in ${path.basename(workspace)}\n`);
    expect(r.exit).toEqual({ code: 3, signal: null });
  });

  it('reports a stage killed by a signal as such', async () => {
    const starter = new StageStarter(workspace, env);
    const stage = starter.start('sleep 30', {}, { onOutput: () => {} })!;
    await until(() => groupAlive(stage.pid), 10_000);
    process.kill(stage.pid, 'SIGKILL');
    expect(await stage.exited).toEqual({ code: null, signal: 'SIGKILL' });
  });

  it('declines what its line protocol cannot carry, and once it is no longer waiting', async () => {
    const starter = new StageStarter(workspace, env);
    expect(starter.start('python3 a.py', { 'BAD-NAME': '1' }, { onOutput: () => {} })).toBeUndefined();
    expect(starter.start('python3 a.py\npython3 b.py', {}, { onOutput: () => {} })).toBeUndefined();
    const killed = new StageStarter(workspace, env);
    process.kill(killed['child'].pid!, 'SIGKILL');
    await until(() => killed['child'].signalCode !== null, 10_000);
    expect(killed.start('true', {}, { onOutput: () => {} })).toBeUndefined();
    starter.discard();
  });

  it('one let go unused exits by itself', async () => {
    const starter = new StageStarter(workspace, env);
    const child = starter['child'];
    starter.discard();
    expect(await until(() => child.exitCode !== null, 5000)).toBe(true);
    expect(child.exitCode).toBe(0);
  });
});

describe('StageStarter started ahead of a run (for its first stage)', () => {
  it('moved to the run, runs its stage in the run folder with the run environment: what changed set, what went unset', async () => {
    const base = { ...process.env, PW_KEPT: 'same', PW_GONE: 'old', PW_CHANGED: 'before' };
    const starter = new StageStarter('/', base);
    const { PW_GONE: _gone, ...rest } = base;
    const runEnv = { ...rest, PW_CHANGED: 'after', PIPEWRIGHT_RUN_ID: 'run-2' };
    let out = '';
    const stage = starter.moveTo({ cwd: workspace, env: runEnv }).start('echo "$PWD|$PW_KEPT|${PW_GONE-unset}|$PW_CHANGED|$PIPEWRIGHT_RUN_ID|$PIPEWRIGHT_NODE_ID"', { PIPEWRIGHT_NODE_ID: 's0' }, { onOutput: (chunk) => (out += chunk) })!;
    expect(stage).toBeDefined();
    const pgid = pgidOf(stage.pid);
    expect(await stage.exited).toEqual({ code: 0, signal: null });
    expect(out).toBe(`${workspace}|same|unset|after|run-2|s0\n`);
    expect(pgid).toBe(stage.pid);
  });

  it('declines a folder or an environment its lines cannot carry (the stage is then spawned as usual)', () => {
    const a = new StageStarter('/', { ...process.env });
    expect(a.moveTo({ cwd: 'relative/dir', env: process.env }).start('true', {}, { onOutput: () => {} })).toBeUndefined();
    expect(a.moveTo({ cwd: `${workspace}\nx`, env: process.env }).start('true', {}, { onOutput: () => {} })).toBeUndefined();
    expect(a.moveTo({ cwd: workspace, env: { ...process.env, 'A-B': '1' } }).start('true', {}, { onOutput: () => {} })).toBeUndefined();
    expect(a.moveTo({ cwd: workspace, env: { ...process.env, X: 'a\nb' } }).start('true', {}, { onOutput: () => {} })).toBeUndefined();
    a.discard();
  });
});

describe('a starter left waiting', () => {
  it('does not keep its process up: one made ready for a next run that never comes', async () => {
    const script = path.join(workspace, 'idle-starter.mts');
    writeFileSync(script, `import { StageStarter } from ${JSON.stringify(path.join(path.dirname(fileURLToPath(import.meta.url)), 'starter.ts'))};\nnew StageStarter('/', { ...process.env });\nprocess.stdout.write('made\\n');\n`);
    const started = Date.now();
    const out = execFileSync(process.execPath, ['--import', 'tsx', script], { cwd: process.cwd(), encoding: 'utf8', timeout: 20_000 });
    expect(out).toBe('made\n');
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});
