/**
 * Stage processes: the command (run directly when it is one plain program, else by `sh -c`) in its
 * own process group (spawned detached), so stopping a stage stops everything it started: SIGTERM to
 * the group, then SIGKILL after a grace period. The stage guard (guard.ts) ends them if the runner dies.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { stageGuard } from './guard.ts';
import { SHELL } from './shell.ts';

export interface StageExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface StageProcess {
  /** Also the process group id; -1 until `started` has resolved. */
  readonly pid: number;
  /** Resolves with the pid once the stage's process runs (-1: it never did). */
  started: Promise<number>;
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

/** Names sh gives a meaning of its own as a command's first word: such commands go through sh. */
const SHELL_WORDS = new Set(
  '. : [ alias bg break case cd chdir command continue do done echo elif else esac eval exec exit export false fc fg for getopts hash if in jobs kill local printf pwd read readonly return set shift test then times trap true type ulimit umask unalias unset until wait while'.split(' '),
);

/**
 * The argv of a command sh would run as one program with plain words (no quotes, variables, globs,
 * redirections, operators, assignments or builtins), else undefined. Such a command is started
 * directly, as sh would exec it, saving a shell per stage.
 */
export function plainArgv(cmd: string): string[] | undefined {
  const words = cmd.trim().split(/[ \t]+/);
  if (words[0] === '' || words[0].includes('=') || SHELL_WORDS.has(words[0])) return undefined;
  return words.every((w) => /^[A-Za-z0-9_\-./:,@+%=]+$/.test(w)) ? words : undefined;
}

/**
 * Start a stage command in a process group of its own (a session, spawned detached), watched by the
 * stage guard until it and whatever it started have ended.
 */
export function spawnStage(cmd: string, options: SpawnStageOptions): StageProcess {
  const argv = plainArgv(cmd) ?? [SHELL, '-c', cmd];
  const child = spawn(argv[0], argv.slice(1), { cwd: options.cwd, env: options.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  return trackStage(child, argv[0], options);
}

/** Read a started stage's output (with backpressure) and follow it, and what it started, to the end. */
export function trackStage(child: ChildProcess, program: string, options: Pick<SpawnStageOptions, 'onOutput' | 'drain'>): StageProcess {
  const pid = child.pid ?? -1;
  stageGuard.watch(pid);
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
  const exited = new Promise<StageExit>((resolve) => {
    let status: StageExit | undefined;
    child.on('error', (error: NodeJS.ErrnoException) => {
      stageGuard.release(pid);
      const why = error.code === 'ENOENT' ? `${program}: not found` : error.message;
      options.onOutput(`error: could not start the stage: ${why}\n`, 'stderr');
      resolve({ code: 127, signal: null });
    });
    child.on('exit', (code, signal) => {
      status = { code, signal };
      // A process the stage left in the background may hold its output open: end it after a moment.
      setTimeout(() => {
        if (pid > 0 && groupAlive(pid)) void stopGroup(pid, 1000);
      }, 2000).unref();
    });
    child.on('close', (code, signal) => {
      // Whatever the stage left running (its output already closed) goes with it.
      const leftovers = pid > 0 && groupAlive(pid) ? stopGroup(pid, 1000) : Promise.resolve();
      void leftovers.then(() => {
        stageGuard.release(pid);
        resolve(status ?? { code, signal });
      });
    });
  });
  return {
    pid,
    started: Promise.resolve(pid),
    exited,
    async stop(graceMs) {
      if (pid > 0) await stopGroup(pid, graceMs);
      return exited;
    },
  };
}
