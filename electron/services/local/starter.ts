/**
 * A stage process started ahead of time: a shell in a session of its own that waits on a pipe for
 * the stage's environment and command, then becomes the stage (exec). Starting a process from the
 * runner forks the runner, whose size makes that cost milliseconds; the scheduler starts the next
 * stage's process while the current one runs, so a stage then starts as fast as from a shell.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import { plainArgv, trackStage } from './processes.ts';
import type { SpawnStageOptions, StageProcess } from './processes.ts';
import { SHELL } from './shell.ts';

/**
 * Reads lines up to an empty line: `NAME=VALUE` (exported), `-NAME` (unset), `/DIR` (cd: one
 * started ahead of a run, for its first stage); then one command line: `w WORDS` to exec those
 * words, `s CMD` to exec `sh -c CMD`. End of input before that: the runner let it go.
 */
const STARTER_SHELL = [
  'while IFS= read -r v && [ -n "$v" ]; do',
  '  case "$v" in',
  '    /*) cd "$v" || exit 127 ;;',
  '    -*) unset "${v#-}" ;;',
  '    *) export "$v" ;;',
  '  esac',
  'done',
  'IFS= read -r c || exit 0',
  'exec </dev/null',
  'case "$c" in',
  '  "w "*) set -f; set -- ${c#w }; exec "$@" ;;',
  '  "s "*) exec sh -c "${c#s }" ;;',
  'esac',
  'exit 127',
].join('\n');

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Where a starter made for no run in particular is to run its stage: the run's workspace and environment. */
export interface StarterPlace {
  cwd: string;
  env: NodeJS.ProcessEnv;
}

export class StageStarter {
  private readonly child: ChildProcess;
  private used = false;
  /** Where its stage runs, when that is not where it was started. */
  private place: StarterPlace | undefined;

  constructor(
    private readonly cwd: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {
    this.child = spawn(SHELL, ['-c', STARTER_SHELL, 'pipewright-stage'], { cwd, env, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    // One that failed to start or was killed while waiting is not used: the stage is spawned as usual.
    this.child.on('error', () => {});
    this.child.stdin?.on('error', () => {});
    // Waiting, it keeps nothing alive (one made ready for a next run that never comes included).
    this.child.unref();
    for (const pipe of this.pipes()) pipe.unref();
  }

  private pipes(): Socket[] {
    const { stdin, stdout, stderr } = this.child;
    return [stdin, stdout, stderr].filter((p) => p !== null) as Socket[];
  }

  /** Run its stage in `place` (a starter started ahead of a run, before its folder existed). */
  moveTo(place: StarterPlace): this {
    this.place = place;
    return this;
  }

  private get waiting(): boolean {
    const { child } = this;
    return !this.used && child.pid !== undefined && child.exitCode === null && child.signalCode === null && !!child.stdin?.writable;
  }

  /**
   * Make this process the stage `cmd`, with `env` added to the environment it was started with
   * (or, moved, in that place's folder with its environment plus `env`: what differs is sent).
   * Undefined when it cannot (no longer waiting, or a value this line protocol cannot carry).
   */
  start(cmd: string, env: Record<string, string>, options: Pick<SpawnStageOptions, 'onOutput' | 'drain'>): StageProcess | undefined {
    const { place } = this;
    const vars = place ? envChanges(this.env, { ...place.env, ...env }) : envChanges({}, env);
    if (!vars || (place && !path.isAbsolute(place.cwd))) return undefined;
    if (place && place.cwd !== this.cwd) vars.unshift(place.cwd);
    const argv = plainArgv(cmd);
    const line = argv ? `w ${argv.join(' ')}` : `s ${cmd}`;
    const carried = [...vars, line].every((l) => !/[\n\r\0]/.test(l));
    if (!this.waiting || !carried) return undefined;
    this.used = true;
    // As a stage, it keeps the runner up as any stage does.
    this.child.ref();
    for (const pipe of this.pipes()) pipe.ref();
    const stage = trackStage(this.child, argv?.[0] ?? 'sh', options);
    this.child.stdin!.end(`${vars.map((v) => `${v}\n`).join('')}\n${line}\n`);
    return stage;
  }

  /** Let it go unused: it exits when its input ends. */
  discard(): void {
    if (this.used) return;
    this.used = true;
    this.child.stdin?.end();
    this.child.stdout?.destroy();
    this.child.stderr?.destroy();
  }
}

/** The lines that turn environment `from` into `to` (`NAME=VALUE`, `-NAME`); undefined if a name cannot be sent. */
export function envChanges(from: NodeJS.ProcessEnv, to: NodeJS.ProcessEnv): string[] | undefined {
  const lines: string[] = [];
  for (const [k, v] of Object.entries(to)) {
    if (v === undefined || from[k] === v) continue;
    if (!NAME.test(k)) return undefined;
    lines.push(`${k}=${v}`);
  }
  for (const k of Object.keys(from)) {
    if (from[k] === undefined || to[k] !== undefined) continue;
    if (!NAME.test(k)) return undefined;
    lines.push(`-${k}`);
  }
  return lines;
}
