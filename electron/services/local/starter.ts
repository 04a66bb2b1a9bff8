/**
 * A stage process started ahead of time: a shell in a session of its own that waits on a pipe for
 * the stage's environment and command, then becomes the stage (exec). Starting a process from the
 * runner forks the runner, whose size makes that cost milliseconds; the scheduler starts the next
 * stage's process while the current one runs, so a stage then starts as fast as from a shell.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { plainArgv, trackStage } from './processes.ts';
import type { SpawnStageOptions, StageProcess } from './processes.ts';

/**
 * Reads `NAME=VALUE` lines up to an empty line (exported), then one command line: `w WORDS` to
 * exec those words, `s CMD` to exec `sh -c CMD`. End of input before that: the runner let it go.
 */
const STARTER_SHELL = [
  'while IFS= read -r v && [ -n "$v" ]; do export "$v"; done',
  'IFS= read -r c || exit 0',
  'exec </dev/null',
  'case "$c" in',
  '  "w "*) set -f; set -- ${c#w }; exec "$@" ;;',
  '  "s "*) exec sh -c "${c#s }" ;;',
  'esac',
  'exit 127',
].join('\n');

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export class StageStarter {
  private readonly child: ChildProcess;
  private used = false;

  constructor(cwd: string, env: NodeJS.ProcessEnv) {
    this.child = spawn('sh', ['-c', STARTER_SHELL, 'pipewright-stage'], { cwd, env, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    // One that failed to start or was killed while waiting is not used: the stage is spawned as usual.
    this.child.on('error', () => {});
    this.child.stdin?.on('error', () => {});
    this.child.unref();
  }

  private get waiting(): boolean {
    const { child } = this;
    return !this.used && child.pid !== undefined && child.exitCode === null && child.signalCode === null && !!child.stdin?.writable;
  }

  /**
   * Make this process the stage `cmd`, with `env` added to the environment it was started with.
   * Undefined when it cannot (no longer waiting, or a value this line protocol cannot carry).
   */
  start(cmd: string, env: Record<string, string>, options: Pick<SpawnStageOptions, 'onOutput' | 'drain'>): StageProcess | undefined {
    const vars = Object.entries(env).map(([k, v]) => `${k}=${v}`);
    const argv = plainArgv(cmd);
    const line = argv ? `w ${argv.join(' ')}` : `s ${cmd}`;
    const carried = Object.keys(env).every((k) => NAME.test(k)) && [...vars, line].every((l) => !/[\n\r\0]/.test(l));
    if (!this.waiting || !carried) return undefined;
    this.used = true;
    // Waiting, it kept nothing alive; as a stage, it keeps the runner up as any stage does.
    this.child.ref();
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
