import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { groupAlive } from './processes.ts';
import type { StageProcess } from './processes.ts';
import { exitFromStatus, MarkedStream, PYTHON, SETSID, SlotPool, StageSlot } from './slot.ts';

const workspace = mkdtempSync(path.join(os.tmpdir(), 'pw-slot-'));
afterAll(() => rmSync(workspace, { recursive: true, force: true }));

async function until(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (!check() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  return check();
}

describe('MarkedStream: a slot output stream cut at its end markers', () => {
  const marker = '\x1eend-1234\x1e\n';
  function cut(chunks: string[]): { parts: string[]; passed: string[] } {
    const parts = [''];
    const passed: string[] = [];
    const s = new MarkedStream(
      marker,
      (t) => {
        parts[parts.length - 1] += t;
        passed.push(t);
      },
      () => parts.push(''),
    );
    for (const c of chunks) s.push(c);
    return { parts, passed };
  }

  it('gives each stage exactly its own bytes, wherever the chunks split the marker', () => {
    const stream = `first line\nno newline at the end${marker}second\n${marker}${marker}tail`;
    for (let a = 0; a <= stream.length; a++) {
      for (const b of [a, a + 1, a + 7, stream.length]) {
        const chunks = [stream.slice(0, a), stream.slice(a, Math.max(a, b)), stream.slice(Math.max(a, b))];
        expect(cut(chunks).parts).toEqual(['first line\nno newline at the end', 'second\n', '', 'tail']);
      }
    }
  });

  it('passes a line on as soon as it arrives (only what may start a marker waits)', () => {
    expect(cut(['ready\n']).passed).toEqual(['ready\n']);
    expect(cut(['50%\r']).passed).toEqual(['50%\r']);
    expect(cut(['abc\x1een']).passed).toEqual(['abc']);
    expect(cut(['abc\x1een', 'x']).passed).toEqual(['abc', '\x1eenx']);
  });
});

const kinds = [...(PYTHON ? ['python' as const] : []), 'sh' as const];

describe.runIf(SETSID).each(kinds)('stage slots in %s (Linux: setsid)', (kind) => {
  const base = { ...process.env, PIPEWRIGHT_RUN_ID: 'run-1' };
  const python = kind === 'python' ? PYTHON : undefined;
  const stageSlots = new SlotPool(python);
  /** The environment of a runner whose slots are of this kind. */
  const runnerEnv = { ...process.env, PIPEWRIGHT_STAGE_SLOTS: kind };

  async function run(cmd: string, env: NodeJS.ProcessEnv = base, cwd = workspace) {
    let out = '';
    const streams = { stdout: '', stderr: '' };
    const stage = stageSlots.start(cwd, env, cmd, {
      onOutput: (chunk, stream) => {
        out += chunk;
        streams[stream] += chunk;
      },
    });
    expect(stage).toBeDefined();
    const pid = await stage!.started;
    const exit = await stage!.exited;
    return { out, streams, exit, pid };
  }

  it('runs a stage in its folder and environment, in a session of its own, with its exit status; stdin is empty', async () => {
    const r = await run('echo "$PIPEWRIGHT_RUN_ID $PIPEWRIGHT_NODE_ID in $(basename "$PWD")"; cat; ps -o sid= -p $$; exit 3', { ...base, PIPEWRIGHT_NODE_ID: 'a b' });
    const [line, sid] = r.out.trim().split('\n');
    expect(line).toBe(`run-1 a b in ${path.basename(workspace)}`);
    expect(Number(sid)).toBe(r.pid);
    expect(r.exit).toEqual({ code: 3, signal: null });
  });

  it('keeps stdout and stderr apart and passes output without a final newline as it is', async () => {
    const r = await run('printf out; printf err >&2; printf " more"');
    expect(r.streams).toEqual({ stdout: 'out more', stderr: 'err' });
  });

  it('reuses a slot for the next stage: what one stage was given does not reach the next, a changed folder is entered', async () => {
    const before = stageSlots.spawned;
    const other = path.join(workspace, 'other');
    mkdirSync(other, { recursive: true });
    const a = await run('echo "${PW_ONLY_A-unset}|$(basename "$PWD")"', { ...base, PW_ONLY_A: 'a' });
    const { PIPEWRIGHT_RUN_ID: _id, ...withoutId } = base;
    const b = await run('echo "${PW_ONLY_A-unset}|${PIPEWRIGHT_RUN_ID-unset}|$(basename "$PWD")"', { ...withoutId, PW_B: 'b' }, other);
    const c = await run('echo "${PW_B-unset}|$PIPEWRIGHT_RUN_ID|$(basename "$PWD")"');
    expect([a.out, b.out, c.out]).toEqual([`a|${path.basename(workspace)}\n`, 'unset|unset|other\n', `unset|run-1|${path.basename(workspace)}\n`]);
    expect(stageSlots.spawned - before).toBeLessThanOrEqual(1);
  });

  it('reports a stage killed by a signal as such', async () => {
    expect((await run('kill -9 $$')).exit).toEqual({ code: null, signal: 'SIGKILL' });
    expect(exitFromStatus(143)).toEqual({ code: null, signal: 'SIGTERM' });
    expect(exitFromStatus(-15, false)).toEqual({ code: null, signal: 'SIGTERM' });
    expect(exitFromStatus(137, false)).toEqual({ code: 137, signal: null });
    expect(exitFromStatus(1)).toEqual({ code: 1, signal: null });
  });

  it('gives the stage no ignored signals', async () => {
    // Python ignores SIGPIPE and SIGXFSZ, and sh ignores SIGINT and SIGQUIT for what it starts with `&`:
    // a stage inherits neither (`yes | head` would end in "Broken pipe"; Ctrl-C-style stops would not reach a child).
    const r = await run('sed -n "s/^SigIgn:\\t//p" /proc/self/status; yes | head -n 1');
    const [ignored, y] = r.streams.stdout.split('\n');
    // Signals 1-31. (glibc's posix_spawn leaves its own two, 32 and 33, ignored; glibc sets them up again where used.)
    expect(BigInt(`0x${ignored}`) & 0x7fffffffn).toBe(0n);
    expect([y, r.streams.stderr]).toEqual(['y', '']);
  });

  it(`reports a stage that exits 137 as ${kind === 'python' ? 'such (not as SIGKILL)' : 'the shell does: SIGKILL'}`, async () => {
    expect((await run('exit 137')).exit).toEqual(kind === 'python' ? { code: 137, signal: null } : { code: null, signal: 'SIGKILL' });
  });

  it('fails a stage whose program is not there, naming it (127)', async () => {
    const r = await run('no-such-program-pw --flag');
    expect(r.exit).toEqual({ code: 127, signal: null });
    expect(r.streams.stderr).toContain('no-such-program-pw');
    expect((await run('echo next')).out).toBe('next\n');
  });

  it('fails a stage whose folder is gone (127, saying so), and the next stage still runs where it should', async () => {
    const r = await run('true', base, path.join(workspace, 'missing'));
    expect(r.exit).toEqual({ code: 127, signal: null });
    expect(r.out).toContain('missing');
    expect((await run('basename "$PWD"')).out).toBe(`${path.basename(workspace)}\n`);
  });

  it('stops a stage and everything it started (SIGTERM, then SIGKILL for one that ignores it); the slot then runs the next', async () => {
    const stage = stageSlots.start(workspace, base, 'trap "" TERM; sleep 30 & echo started; wait', { onOutput: () => {} })!;
    const pid = await stage.started;
    expect(await until(() => groupAlive(pid), 10_000)).toBe(true);
    const at = Date.now();
    const exit = await stage.stop(300);
    expect(Date.now() - at).toBeLessThan(3000);
    expect(exit.signal).toBe('SIGKILL');
    expect(groupAlive(pid)).toBe(false);
    expect((await run('echo next')).out).toBe('next\n');
  });

  it("ends a stage's leftovers (processes it left running in the background) once it ends, and runs on", async () => {
    const at = Date.now();
    const r = await run('sleep 30 & echo left');
    expect(r.out).toBe('left\n');
    expect(r.exit).toEqual({ code: 0, signal: null });
    expect(groupAlive(r.pid)).toBe(false);
    expect(Date.now() - at).toBeLessThan(3000);
  });

  it('stops its stage when the slot itself is killed from outside, saying so', async () => {
    let out = '';
    const slot = new StageSlot(process.env, { python });
    const stage: StageProcess = slot.start(workspace, base, 'echo up; sleep 30', { onOutput: (c) => (out += c) })!;
    const pid = await stage.started;
    await until(() => out.includes('up'), 10_000);
    process.kill(slot['child'].pid!, 'SIGKILL');
    const exit = await stage.exited;
    expect(exit.code).not.toBe(0);
    expect(out).toContain('the process that started this stage was killed');
    expect(groupAlive(pid)).toBe(false);
  });

  it('declines what its lines cannot carry (the stage is then spawned as usual)', () => {
    const slot = new StageSlot(process.env, { python });
    const none = { onOutput: () => {} };
    expect(slot.start('relative/dir', base, 'true', none)).toBeUndefined();
    expect(slot.start(`${workspace}\nx`, base, 'true', none)).toBeUndefined();
    expect(slot.start(workspace, { ...base, 'A-B': '1' }, 'true', none)).toBeUndefined();
    expect(slot.start(workspace, { ...base, X: 'a\nb' }, 'true', none)).toBeUndefined();
    expect(slot.start(workspace, { ...base, IFS: ':' }, 'true', none)).toBeUndefined();
    expect(slot.start(workspace, base, 'python3 a.py\npython3 b.py', none)).toBeUndefined();
    expect(slot.usable).toBe(true);
    slot.discard();
  });

  it('ends its stage when the runner is killed (-9), by itself (parent-death signal), SIGKILL after the grace for one that ignores SIGTERM', async () => {
    const script = path.join(workspace, `dying-runner-${kind}.mts`);
    const here = path.dirname(fileURLToPath(import.meta.url));
    writeFileSync(
      script,
      [
        `import { stageGuard } from ${JSON.stringify(path.join(here, 'guard.ts'))};`,
        `import { stageSlots } from ${JSON.stringify(path.join(here, 'slot.ts'))};`,
        // The stage guard is left out: the slot alone must end the stage.
        'stageGuard.watch = () => {};',
        `const stage = stageSlots.start(${JSON.stringify(workspace)}, process.env, 'trap "" TERM; echo ready; while :; do sleep 1; done', { onOutput: (c) => process.stdout.write(c) });`,
        'process.stdout.write(`pid ${await stage.started}\n`);',
        'await stage.exited;',
      ].join('\n'),
    );
    const runner = spawn(process.execPath, ['--import', 'tsx', script], { cwd: process.cwd(), env: runnerEnv, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    runner.stdout.on('data', (c: Buffer) => (out += c.toString()));
    expect(await until(() => /pid \d+/.test(out) && out.includes('ready'), 20_000)).toBe(true);
    const pgid = Number(/pid (\d+)/.exec(out)![1]);
    expect(groupAlive(pgid)).toBe(true);
    runner.kill('SIGKILL');
    await new Promise((r) => runner.on('exit', r));
    // SIGTERM is ignored: the group outlives it, then SIGKILL after ORPHAN_GRACE_S (3 s) ends it.
    await new Promise((r) => setTimeout(r, 1000));
    expect(groupAlive(pgid)).toBe(true);
    expect(await until(() => !groupAlive(pgid), 8000)).toBe(true);
  }, 40_000);

  it('a waiting slot does not keep its process up', async () => {
    const script = path.join(workspace, `idle-slot-${kind}.mts`);
    writeFileSync(script, `import { stageSlots } from ${JSON.stringify(path.join(path.dirname(fileURLToPath(import.meta.url)), 'slot.ts'))};\nstageSlots.prepare();\nprocess.stdout.write(String(stageSlots.spawned));\n`);
    const started = Date.now();
    const out = execFileSync(process.execPath, ['--import', 'tsx', script], { cwd: process.cwd(), env: runnerEnv, encoding: 'utf8', timeout: 20_000 });
    expect(out).toBe('1');
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});

describe.runIf(SETSID && PYTHON)('stage slots: a python3 that cannot run a slot', () => {
  it('runs the stage it was given in a shell slot, with none of what that python3 said, and makes shell slots from then on', async () => {
    // `sh -I` is refused: it says so on stderr and ends before it is ready, as a python3 too old or broken would.
    const pool = new SlotPool('/bin/sh');
    expect(pool.kind).toBe('python');
    const streams = { stdout: '', stderr: '' };
    const stage = pool.start(workspace, process.env, 'echo "in $(basename "$PWD")"; echo err >&2', { onOutput: (c, s) => (streams[s] += c) })!;
    expect(await stage.started).toBeGreaterThan(0);
    expect(await stage.exited).toEqual({ code: 0, signal: null });
    expect(streams).toEqual({ stdout: `in ${path.basename(workspace)}\n`, stderr: 'err\n' });
    expect(pool.kind).toBe('sh');
    expect(pool.spawned).toBe(2);
    const next = pool.start(workspace, process.env, 'true', { onOutput: () => {} })!;
    expect(await next.exited).toEqual({ code: 0, signal: null });
    expect(pool.spawned).toBe(2);
  });

  it('a slot on its own (no pool) that cannot start fails its stage, with what it said', async () => {
    let out = '';
    const slot = new StageSlot(process.env, { python: '/bin/sh' });
    const stage = slot.start(workspace, process.env, 'true', { onOutput: (c) => (out += c) })!;
    const exit = await stage.exited;
    expect(exit.code).not.toBe(0);
    expect(out).toContain('/bin/sh: 0: Illegal option');
    expect(out).toContain('the process that started this stage was killed');
  });
});
