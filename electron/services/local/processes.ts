/**
 * Stage processes: `sh -c CMD` in its own process group (spawned detached), so stopping a stage
 * stops everything it started: SIGTERM to the group, then SIGKILL after a grace period.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { Socket } from 'node:net';

export interface StageExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface StageProcess {
  /** Also the process group id. */
  pid: number;
  /** Resolves when the shell has exited and its output is read. */
  exited: Promise<StageExit>;
  /** Stop the whole group: SIGTERM, then SIGKILL after `graceMs`. Resolves once it has exited. */
  stop(graceMs: number): Promise<StageExit>;
}

export interface SpawnStageOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  onOutput(chunk: string, stream: 'stdout' | 'stderr'): void;
  /** Backpressure (RunContext.drain): a promise to wait for before reading more output, or undefined. */
  drain?(): Promise<void> | undefined;
}

export function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether any process of the group still runs. A zombie does not count: an orphaned member that
 * exited waits for init to reap it, and some inits (a container's PID 1) are slow to, or never do.
 */
export function groupAlive(pgid: number): boolean {
  if (!signalGroup(pgid, 0)) return false;
  if (!HAS_PROC) return true;
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return true;
  }
  for (const name of names) {
    if (name.charCodeAt(0) < 48 || name.charCodeAt(0) > 57) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue;
    }
    // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses, so read after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[2]) === pgid && fields[0] !== 'Z' && fields[0] !== 'X') return true;
  }
  return false;
}

const HAS_PROC = existsSync('/proc/self/stat');

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** SIGTERM the group, SIGKILL what is left after `graceMs`, wait until none of it is left. */
export async function stopGroup(pgid: number, graceMs: number): Promise<void> {
  if (!signalGroup(pgid, 'SIGTERM')) return;
  const deadline = Date.now() + graceMs;
  // Most groups are gone within milliseconds: look again soon, then every 25 ms.
  for (let wait = 1; groupAlive(pgid) && Date.now() < deadline; wait = Math.min(25, wait * 2)) await sleep(wait);
  if (groupAlive(pgid)) signalGroup(pgid, 'SIGKILL');
  for (let i = 0; i < 200 && groupAlive(pgid); i++) await sleep(25);
}

/**
 * The stage's shell starts a watchdog in the stage's process group, then becomes the stage command.
 * The watchdog reads fd 3, a pipe from the runner: a line means the stage ended normally (the watchdog
 * leaves); end of file without one means the runner is gone (killed with -9, crashed), and the
 * watchdog ends the whole group: SIGTERM, then SIGKILL after `$2` seconds. The command itself does
 * not see fd 3. Works wherever `sh` does, without prctl or a poller.
 */
const STAGE_SHELL = [
  '{ if read -r _ <&3; then exit 0; fi; trap "" TERM; kill -TERM 0; sleep "$2"; kill -KILL 0; } </dev/null >/dev/null 2>&1 &',
  'exec sh -c "$1" 3<&-',
].join('\n');

/** Seconds the watchdog gives an orphaned stage between SIGTERM and SIGKILL. */
export const ORPHAN_GRACE_S = 3;

export function spawnStage(cmd: string, options: SpawnStageOptions): StageProcess {
  const child = spawn('sh', ['-c', STAGE_SHELL, 'pipewright-stage', cmd, String(ORPHAN_GRACE_S)], {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
  });
  const lifeline = child.stdio[3] as Socket | null;
  // The runner never exits for this pipe's sake, and a watchdog already gone is no error.
  lifeline?.on('error', () => {});
  const release = () => {
    if (lifeline && !lifeline.destroyed) lifeline.end('done\n');
  };
  const stdout = child.stdout!;
  const stderr = child.stderr!;
  stdout.setEncoding('utf8');
  stderr.setEncoding('utf8');
  // Backpressure: while the run's log backlog is written, stop reading; the stage blocks on a full pipe.
  let paused = false;
  const read = (name: 'stdout' | 'stderr') => (chunk: string) => {
    options.onOutput(chunk, name);
    const wait = paused ? undefined : options.drain?.();
    if (!wait) return;
    paused = true;
    stdout.pause();
    stderr.pause();
    void wait.finally(() => {
      paused = false;
      stdout.resume();
      stderr.resume();
    });
  };
  stdout.on('data', read('stdout'));
  stderr.on('data', read('stderr'));
  const pid = child.pid ?? -1;
  const exited = new Promise<StageExit>((resolve) => {
    let status: StageExit | undefined;
    child.on('error', (error) => {
      release();
      options.onOutput(`error: could not start the stage: ${error.message}\n`, 'stderr');
      resolve({ code: 127, signal: null });
    });
    child.on('exit', (code, signal) => {
      status = { code, signal };
      release();
      // A process the stage left in the background may hold its output open: end it after a moment.
      setTimeout(() => {
        if (pid > 0 && groupAlive(pid)) void stopGroup(pid, 1000);
      }, 2000).unref();
    });
    child.on('close', (code, signal) => {
      // Whatever the stage left running (its output already closed) goes with it.
      const leftovers = pid > 0 && groupAlive(pid) ? stopGroup(pid, 1000) : Promise.resolve();
      void leftovers.then(() => resolve(status ?? { code, signal }));
    });
  });
  return {
    pid,
    exited,
    async stop(graceMs) {
      if (pid > 0) await stopGroup(pid, graceMs);
      return exited;
    },
  };
}
