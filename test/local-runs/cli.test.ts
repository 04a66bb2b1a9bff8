/**
 * The run commands as separate processes sharing one data dir: `pipewright run` in one process,
 * `runs`, `logs` and `cancel` in others; a `run` process killed outright and the run picked up again.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, promises as fs, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupAlive } from '../../electron/services/local/processes.ts';
import { CLOSED_MESSAGE } from '../../electron/services/local/scheduler.ts';
import { nodeLogDir, readLogTail } from '../../electron/services/runs/logFiles.ts';
import { serializePipeline } from '../../shared/pipeline/load.ts';
import { fixturePipeline } from '../fixtures/run-pipelines.ts';
import { createHarness, processesWith } from './harness.ts';
import { PIPEWRIGHT_BIN, runBin } from '../fixtures/cliRun.ts';

let dir: string;
let env: NodeJS.ProcessEnv;

function pipewright(...args: string[]) {
  return runBin(args, { cwd: dir, env });
}

/** Start `pipewright run` in the background; resolves with the run id from its first line. */
function startRun(file: string): { child: ChildProcess; id: Promise<string>; output: () => string; exit: Promise<number | null> } {
  const child = spawn(process.execPath, [PIPEWRIGHT_BIN, 'run', file, '--target', 'local'], { cwd: dir, env });
  let out = '';
  child.stdout!.setEncoding('utf8');
  child.stderr!.setEncoding('utf8');
  const id = new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: string) => {
      out += chunk;
      const first = out.split('\n')[0];
      if (out.includes('\n')) resolve(first.split(' ').at(-1)!);
    });
    child.on('exit', () => reject(new Error(`pipewright run ended early: ${out}`)));
  });
  child.stderr!.on('data', (chunk: string) => (out += chunk));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, id, output: () => out, exit };
}

function writePipeline(name: string, params: Parameters<typeof fixturePipeline>[0] = {}): string {
  writeFileSync(path.join(dir, name), serializePipeline(fixturePipeline(params)));
  return name;
}

function readFileSafe(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** One stage that ignores SIGTERM and stays silent for a minute. */
function writeStubborn(name: string): string {
  const doc = fixturePipeline();
  doc.nodes = [{ ...doc.nodes[0], code: 'import signal, time\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\nprint("ready", flush=True)\ntime.sleep(60)\n' }];
  doc.edges = [];
  writeFileSync(path.join(dir, name), serializePipeline(doc));
  return name;
}

/** The stage's process group, once its Python has said it ignores SIGTERM. */
async function stagePgid(id: string): Promise<number> {
  const runDir = path.join(dir, 'data', 'runs', id);
  const ready = async () => (await readLogTail(nodeLogDir(runDir, 'a'), 20).catch(() => [])).some((l) => l.text === 'ready');
  await expect.poll(ready, { timeout: 30_000, interval: 100 }).toBe(true);
  return Number(await fs.readFile(path.join(runDir, 'pids', 'a'), 'utf8'));
}

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'pw-cli-runs-'));
  env = { ...process.env, PIPEWRIGHT_DATA_DIR: path.join(dir, 'data') };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('pipewright run, runs and logs', () => {
  it('runs a pipeline to the end: run id on the first line, a summary table, exit 0', () => {
    const result = pipewright('run', writePipeline('ok.pipewright.json'), '--target', 'local');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toMatch(/^Started run \d{8}-\d{6}-[a-z0-9]{4}$/);
    const id = lines[0].split(' ').at(-1)!;
    expect(result.stdout).toMatch(/ b +running\n/);
    expect(result.stdout).toMatch(/NODE +PHASE +DURATION +KEY METRICS\na +succeeded +[\d.]+ s +loss 1 {2}value 1\n/);
    expect(lines.at(-2)).toMatch(new RegExp(`^Run ${id} succeeded in [\\d.]+ s$`));

    const runs = pipewright('runs');
    expect(runs.status).toBe(0);
    expect(runs.stdout).toContain(`${id}  run-fixture  local   succeeded`);
    const logs = pipewright('logs', id.slice(0, 15), '--node', 'c');
    expect(logs.stdout.split('\n')[0]).toBe('$ python3 -u steps/c.py --params-file params.yaml --params-key c --in-in data/a/out --out-out data/c/out');
    expect(logs.stdout).toContain('\ndone\n');
    expect(pipewright('logs', id, '--node', 'zz')).toMatchObject({ status: 1, stderr: `error  run ${id} has no node "zz" (nodes: a, b, c, d)\n` });
  });

  it('prints a log with binary output and escape sequences as visible escapes, never raw', () => {
    const doc = fixturePipeline();
    const binary = 'import sys\nsys.stdout.buffer.write(b"bin \\x00\\x07\\x1b[2J\\x1b]0;owned\\x07 \\xff\\xfe\\tend \\xea\\xb0\\x80\\n"); sys.stdout.flush()\n';
    doc.nodes = [{ ...doc.nodes[0], code: binary + doc.nodes[0].code! }];
    doc.edges = [];
    writeFileSync(path.join(dir, 'binary.pipewright.json'), serializePipeline(doc));
    const result = pipewright('run', 'binary.pipewright.json', '--target', 'local');
    expect(result.status).toBe(0);
    const id = result.stdout.split('\n')[0].split(' ').at(-1)!;
    const logs = pipewright('logs', id, '--node', 'a');
    expect(logs.status).toBe(0);
    // The log keeps no terminal escape sequence (the parser drops them); what control bytes remain are shown escaped.
    expect(logs.stdout).toContain('\nbin \\x00\\x07 \\ufffd\\ufffd\tend 가\n');
    // eslint-disable-next-line no-control-regex -- the point: no control character but tab and line break
    expect(logs.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f\ufffd]/);
  });

  it('says why a damaged run record cannot be read, in runs and logs', async () => {
    const data = path.join(dir, 'data-damaged-run');
    const record = path.join(data, 'runs', '20261205-010203-abcd', 'record.json');
    await fs.mkdir(path.dirname(record), { recursive: true });
    const run = (...args: string[]) => runBin(args, { cwd: dir, env: { ...env, PIPEWRIGHT_DATA_DIR: data } });
    await fs.writeFile(record, '{"format": "pipewright.run/v1", "id": "20261205-01');
    const runs = run('runs');
    expect(runs.stdout).toMatch(/20261205-010203-abcd +local +error/);
    expect(runs.stdout).toContain(`20261205-010203-abcd: The run record cannot be read: ${record} is cut off after 50 bytes (line 1): the run record was not written completely\n`);
    expect(run('logs', '20261205-010203-abcd')).toMatchObject({ status: 1, stderr: `error  Run "20261205-010203-abcd" cannot be read: ${record} is cut off after 50 bytes (line 1): the run record was not written completely\n` });
    await fs.writeFile(record, '');
    expect(run('runs').stdout).toContain(`${record} is empty (0 bytes)`);
    await fs.writeFile(record, '{"format": "pipewright.run/v1", "id": "x"}');
    expect(run('runs').stdout).toContain(`${record} is a damaged run record: it lacks nodes, document`);
    await fs.writeFile(record, '{"format": "pipewright.run/v1",, }');
    expect(run('runs').stdout).toContain(`${record} is not valid JSON: line 1, column 32:`);
  });

  it('keeps the runner under 200 MB RSS while a stage prints 200 MB as fast as it can, and ends soon after the stage', async () => {
    const doc = fixturePipeline();
    const flood = 'import sys, os\nline = ("x" * 99 + "\\n") * 10000\nfor i in range(200):\n    sys.stdout.write(line)\nsys.stdout.write("last line\\n")\nsys.stdout.flush()\nos.makedirs(sys.argv[sys.argv.index("--out-out") + 1], exist_ok=True)\n';
    doc.nodes = [{ ...doc.nodes[0], code: flood }];
    doc.edges = [];
    writeFileSync(path.join(dir, 'flood.pipewright.json'), serializePipeline(doc));
    const child = spawn(process.execPath, [PIPEWRIGHT_BIN, 'run', 'flood.pipewright.json', '--target', 'local'], { cwd: dir, env, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    // The kernel's own peak-RSS figure for the runner process, read until it exits.
    let peakKb = 0;
    const poll = setInterval(() => {
      const status = readFileSafe(`/proc/${child.pid}/status`);
      const hwm = /VmHWM:\s+(\d+) kB/.exec(status);
      if (hwm) peakKb = Math.max(peakKb, Number(hwm[1]));
    }, 25);
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    clearInterval(poll);
    expect(out).toMatch(/Run \S+ succeeded/);
    expect(code).toBe(0);
    expect(peakKb).toBeGreaterThan(0);
    expect(peakKb / 1024).toBeLessThan(200);
    const id = out.split('\n')[0].split(' ').at(-1)!;
    const record = JSON.parse(await fs.readFile(path.join(dir, 'data', 'runs', id, 'record.json'), 'utf8')) as { finishedAt: string; nodes: Record<string, { finishedAt: string }> };
    expect(Date.parse(record.finishedAt) - Date.parse(record.nodes.a.finishedAt)).toBeLessThan(2000);
    // Every line reached the log: the last one has its seq (2,000,000 lines of output + the command line + the last).
    const tail = await readLogTail(nodeLogDir(path.join(dir, 'data', 'runs', id), 'a'), 1);
    expect(tail[0]).toMatchObject({ text: 'last line', seq: 2_000_002 });
  }, 120_000);

  it('exits 1 for a run that fails, naming the stage', () => {
    const result = pipewright('run', writePipeline('fail.pipewright.json', { c: { fail: 1 } }), '--target', 'local');
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('c     failed: told to fail by its parameters (exit status 1)');
    expect(result.stdout).toMatch(/ failed in [\d.]+ s: stage "c" failed: told to fail by its parameters \(exit status 1\)\n$/);
  });

  it('tells once on stderr about a damaged settings file, keeps its bytes and runs with defaults', async () => {
    const dataDir = path.join(dir, 'data-damaged');
    await fs.mkdir(dataDir, { recursive: true });
    await fs.writeFile(path.join(dataDir, 'settings.json'), '{"pythonPath": "/usr/bin/py');
    const result = runBin(['run', writePipeline('ok2.pipewright.json'), '--target', 'local'], { cwd: dir, env: { ...env, PIPEWRIGHT_DATA_DIR: dataDir } });
    expect(result.status).toBe(0);
    const kept = (await fs.readdir(dataDir)).filter((name) => name.startsWith('settings.json.corrupt-'));
    expect(kept).toHaveLength(1);
    expect(await fs.readFile(path.join(dataDir, kept[0]), 'utf8')).toBe('{"pythonPath": "/usr/bin/py');
    expect(result.stderr).toBe(`warning  The settings file ${path.join(dataDir, 'settings.json')} could not be read: it is cut off at line 1, column 28 (saved only in part?). Pipewright goes on with defaults; the original is kept as ${path.join(dataDir, kept[0])}.\n`);
  });

  it('refuses an invalid pipeline before starting anything', () => {
    writeFileSync(path.join(dir, 'broken.pipewright.json'), '{"format": "pipewright.pipeline/v2"');
    const result = pipewright('run', 'broken.pipewright.json', '--target', 'local');
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('broken.pipewright.json');
  });
});

describe('runs across processes', () => {
  it('cancels a run from another process, leaving no process of it behind', async () => {
    const marker = `pw-cli-${randomBytes(4).toString('hex')}`;
    const run = startRun(writePipeline('slow.pipewright.json', { b: { sleep: 60, child: marker } }));
    const id = await run.id;
    await expect.poll(() => processesWith(marker).length, { timeout: 30_000, interval: 100 }).toBe(1);
    const cancel = pipewright('cancel', id);
    expect(cancel).toMatchObject({ status: 0, stdout: `Cancelled run ${id}\n` });
    expect(await run.exit).toBe(1);
    expect(run.output()).toContain(`Run ${id} cancelled`);
    expect(processesWith(marker)).toEqual([]);
    expect(pipewright('cancel', id).stdout).toBe(`Run ${id} has already ended (cancelled).\n`);
  });

  it('kills a silent stage that ignores SIGTERM within seconds of a kill -9 of `pipewright run`', async () => {
    const run = startRun(writeStubborn('stubborn-kill.pipewright.json'));
    const id = await run.id;
    const pgid = await stagePgid(id);
    run.child.kill('SIGKILL');
    await run.exit;
    // SIGTERM from the watchdog is ignored; SIGKILL follows after its grace (3 s).
    await expect.poll(() => groupAlive(pgid), { timeout: 8000, interval: 100 }).toBe(false);
  });

  it('Ctrl-C on a stage that ignores SIGTERM escalates to SIGKILL and records the run cancelled', async () => {
    const run = startRun(writeStubborn('stubborn-int.pipewright.json'));
    const id = await run.id;
    const pgid = await stagePgid(id);
    const at = Date.now();
    run.child.kill('SIGINT');
    expect(await run.exit).toBe(130);
    expect(Date.now() - at).toBeLessThan(8000);
    expect(groupAlive(pgid)).toBe(false);
    expect(run.output()).toContain(`Run ${id} cancelled`);
    const record = JSON.parse(await fs.readFile(path.join(dir, 'data', 'runs', id, 'record.json'), 'utf8')) as { phase: string; nodes: Record<string, { phase: string }> };
    expect(record.phase).toBe('cancelled');
    expect(record.nodes.a.phase).toBe('cancelled');
    expect(pipewright('runs').stdout).toMatch(new RegExp(`${id} .* cancelled `));
  });

  it('a second Ctrl-C ends `pipewright run` at once, killing the stage and recording the run cancelled', async () => {
    const run = startRun(writeStubborn('stubborn-int2.pipewright.json'));
    const id = await run.id;
    const pgid = await stagePgid(id);
    run.child.kill('SIGINT');
    await expect.poll(() => run.output(), { timeout: 5000, interval: 20 }).toContain('Ctrl-C again');
    run.child.kill('SIGINT');
    expect(await run.exit).toBe(130);
    // SIGKILLed by the exit hook; gone once reaped.
    await expect.poll(() => groupAlive(pgid), { timeout: 2000, interval: 20 }).toBe(false);
    const record = JSON.parse(await fs.readFile(path.join(dir, 'data', 'runs', id, 'record.json'), 'utf8')) as { phase: string; message: string; nodes: Record<string, { phase: string }> };
    expect(record).toMatchObject({ phase: 'cancelled', nodes: { a: { phase: 'cancelled' } } });
    expect(pipewright('runs').stdout).toMatch(new RegExp(`${id} .* cancelled `));
  });

  it('settles a run whose `pipewright run` process was killed with -9: its stages die with it, the run is then recorded failed', async () => {
    const marker = `pw-crash-${randomBytes(4).toString('hex')}`;
    const run = startRun(writePipeline('crash.pipewright.json', { b: { sleep: 60, child: marker } }));
    const id = await run.id;
    await expect.poll(() => processesWith(marker).length, { timeout: 30_000, interval: 100 }).toBe(1);
    const pgid = Number(await fs.readFile(path.join(dir, 'data', 'runs', id, 'pids', 'b'), 'utf8'));
    run.child.kill('SIGKILL');
    await run.exit;
    // Nobody is left to stop the stage: its watchdog sees the runner's pipe close and ends the group.
    const killedAt = Date.now();
    await expect.poll(() => groupAlive(pgid), { timeout: 5000, interval: 50 }).toBe(false);
    expect(Date.now() - killedAt).toBeLessThan(5000);
    expect(processesWith(marker)).toEqual([]);
    expect(pipewright('runs').stdout).toMatch(new RegExp(`${id} .* running \\(interrupted\\)`));
    const h = createHarness({}, path.join(dir, 'data'));
    try {
      expect(await h.manager.reattachRuns()).toContain(id);
      const done = await h.manager.waitForRun(id);
      expect(done).toMatchObject({ phase: 'failed', message: CLOSED_MESSAGE });
      expect(done.nodes.b).toMatchObject({ phase: 'failed', message: CLOSED_MESSAGE });
      expect(done.nodes.d.phase).toBe('skipped');
      expect(groupAlive(pgid)).toBe(false);
      expect(processesWith(marker)).toEqual([]);
    } finally {
      await h.manager.close();
    }
  });
});
