/**
 * Stage slots: small long-lived processes that start the stages. Starting a process from the runner
 * forks the runner, and a fork costs in proportion to the forking process's size: milliseconds of the
 * runner's CPU per stage for the CLI, more for the app's main process, whose event loop waits while it
 * forks. A slot is a small Python process (SLOT_PYTHON: it starts a stage with posix_spawn, in a new
 * session, with no program between) or, without a python3 that can run it, a shell (SLOT_SHELL: a
 * fork, then `setsid`), so a stage started by it costs about what a stage started by `sh` costs. A
 * slot runs one stage at a time, in a session of its own (stopping the stage's process group stops
 * everything it started, as for a stage spawned detached), and tells the runner its pid, then its exit
 * status. The stage writes to the slot's output pipes; once it has ended, and whatever it left running
 * is gone, the slot writes a marker to each, where the runner cuts the stage's output. Where there is
 * no `setsid` (macOS, Windows), or with PIPEWRIGHT_STAGE_SLOTS=0 in the runner's environment, the
 * runner starts stages itself (starter.ts, processes.ts); PIPEWRIGHT_STAGE_SLOTS=sh: shell slots only.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';
import { ORPHAN_GRACE_S, stageGuard } from './guard.ts';
import { groupAlive, plainArgv, stopGroup } from './processes.ts';
import type { SpawnStageOptions, StageExit, StageProcess } from './processes.ts';
import { SHELL_NAMES, SLOT_PYTHON, SLOT_SHELL } from './slotPrograms.ts';
import { envChanges } from './starter.ts';

/** A program of util-linux by absolute path (a stage's PATH need not hold it); undefined where there is none. */
function utility(name: string): string | undefined {
  return process.platform === 'win32' ? undefined : [`/usr/bin/${name}`, `/bin/${name}`].find((p) => existsSync(p));
}

/** Starts a stage in a session of its own. */
export const SETSID = utility('setsid');
/** Starts a slot with a parent-death signal: a slot whose runner is gone ends its stage (see SLOT_SHELL). */
const SETPRIV = utility('setpriv');
const SLEEP = utility('sleep');
export const PYTHON = utility('python3');
const ENV = utility('env');

/**
 * Cuts one of a slot's output streams at its end markers. A marker starts with a control character
 * (RS) output seldom ends with, so a stage's last line is passed on at once; only a tail that may be
 * the start of a marker waits for the next chunk.
 */
export class MarkedStream {
  private held = '';
  constructor(
    private readonly marker: string,
    private readonly onText: (text: string) => void,
    private readonly onEnd: () => void,
  ) {}

  push(chunk: string): void {
    let text = this.held + chunk;
    this.held = '';
    for (let at = text.indexOf(this.marker); at >= 0; at = text.indexOf(this.marker)) {
      if (at > 0) this.onText(text.slice(0, at));
      text = text.slice(at + this.marker.length);
      this.onEnd();
    }
    for (let at = text.indexOf(this.marker[0], Math.max(0, text.length - this.marker.length + 1)); at >= 0; at = text.indexOf(this.marker[0], at + 1)) {
      if (this.marker.startsWith(text.slice(at))) {
        this.held = text.slice(at);
        text = text.slice(0, at);
        break;
      }
    }
    if (text) this.onText(text);
  }
}

type Output = Pick<SpawnStageOptions, 'onOutput' | 'drain'>;

/** A stage asked of a slot: kept until it has started, so that another slot can run it if this one could not. */
interface Request {
  cwd: string;
  env: NodeJS.ProcessEnv;
  cmd: string;
}

interface Current {
  request: Request;
  output: Output;
  pid: number;
  started(pid: number): void;
  status: number | undefined;
  markers: number;
  resolve(exit: StageExit): void;
}

const SIGNALS = new Map(Object.entries(os.constants.signals).map(([name, n]) => [n as number, name as NodeJS.Signals]));

/**
 * A stage's exit from a slot's status. From a shell slot (`wait`): above 128, killed by signal
 * status - 128 (an `exit 137` reads the same). From a Python slot: -n, killed by signal n.
 */
export function exitFromStatus(status: number, shell = true): StageExit {
  const signal = status < 0 ? SIGNALS.get(-status) : shell && status > 128 ? SIGNALS.get(status - 128) : undefined;
  return signal ? { code: null, signal } : { code: status, signal: null };
}

export interface SlotOptions {
  /** A python3 to run the slot in (SLOT_PYTHON); without one, the slot is a shell (SLOT_SHELL). */
  python?: string;
  /** The slot is idle again after a stage. */
  onIdle?(slot: StageSlot): void;
  /** A Python slot ended before it could take a stage: its stage, if it was given one, is handed over, not started. */
  onUnready?(request: Request | undefined, adopt: (slot: StageSlot) => void): void;
}

export class StageSlot {
  private readonly child: ChildProcess;
  /** Written by the slot after a stage's output, on each stream; cut out by MarkedStream. */
  private readonly marker = `\x1epipewright-stage-end-${randomBytes(9).toString('hex')}\x1e\n`;
  /** The slot's folder and environment now (each stage's changes stay for the next). */
  private cwd = '/';
  private readonly env: NodeJS.ProcessEnv;
  private current: Current | undefined;
  private paused = false;
  private gone = false;
  private control = '';
  /** A shell slot reads its input as soon as it starts; a Python slot once it said `r`. Output before that waits here. */
  private ready: boolean;
  private early: [string, 'stdout' | 'stderr'][] = [];

  constructor(
    env: NodeJS.ProcessEnv,
    private readonly options: SlotOptions = {},
  ) {
    this.env = { ...env };
    this.ready = !options.python;
    const marker = this.marker.slice(0, -1);
    const program = options.python
      ? [options.python, '-I', '-S', '-c', SLOT_PYTHON, marker, String(ORPHAN_GRACE_S)]
      : ['/bin/sh', '-c', SLOT_SHELL, 'pipewright-slot', marker, SETSID ?? 'setsid', SLEEP ?? 'sleep', String(ORPHAN_GRACE_S), ENV ?? 'env'];
    this.child = spawn(SETPRIV ?? 'setpriv', ['--pdeathsig', 'TERM', ...program], {
      cwd: this.cwd,
      env: this.env,
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
    });
    this.child.on('error', () => this.lost());
    this.child.on('exit', () => this.lost());
    this.child.stdin?.on('error', () => {});
    for (const name of ['stdout', 'stderr'] as const) {
      const stream = this.child[name]!;
      stream.setEncoding('utf8');
      const marked = new MarkedStream(
        this.marker,
        (text) => this.output(text, name),
        () => this.markerSeen(),
      );
      stream.on('data', (chunk: string) => marked.push(chunk));
    }
    const control = this.child.stdio[3] as Readable;
    control.setEncoding('utf8');
    control.on('data', (chunk: string) => this.report(chunk));
    this.hold(false);
  }

  /** Waiting, a slot keeps nothing alive; running a stage, it keeps the runner up as any stage does. */
  private hold(on: boolean): void {
    const handles = [this.child, ...this.child.stdio] as ({ ref?: () => void; unref?: () => void } | null)[];
    for (const h of handles) (on ? h?.ref : h?.unref)?.call(h);
  }

  get usable(): boolean {
    return !this.gone && !this.current && this.child.pid !== undefined && !!this.child.stdin?.writable;
  }

  /** Start `cmd` in `cwd` with environment `env`; undefined when this slot cannot (busy, gone, or a value its lines cannot carry). */
  start(cwd: string, env: NodeJS.ProcessEnv, cmd: string, output: Output): StageProcess | undefined {
    if (!this.usable || !this.lines({ cwd, env, cmd })) return undefined;
    let started: (pid: number) => void = () => {};
    const pid = new Promise<number>((resolve) => (started = resolve));
    let resolve: (exit: StageExit) => void = () => {};
    const exited = new Promise<StageExit>((r) => (resolve = r));
    const current: Current = {
      request: { cwd, env, cmd },
      output,
      pid: -1,
      started: (n) => {
        current.pid = n;
        stageGuard.watch(n);
        started(n);
      },
      status: undefined,
      markers: 0,
      resolve,
    };
    this.take(current);
    const running = Promise.race([pid, exited.then(() => -1)]);
    return {
      get pid() {
        return current.pid;
      },
      started: running,
      exited,
      async stop(graceMs) {
        const n = await running;
        if (n > 0) await stopGroup(n, graceMs);
        return exited;
      },
    };
  }

  /** The lines that start `request` here; undefined for a value they cannot carry. */
  private lines({ cwd, env, cmd }: Request): string[] | undefined {
    const vars = envChanges(this.env, env);
    if (!vars || vars.some((v) => SHELL_NAMES.test(v.replace(/^-/, '').split('=')[0]))) return undefined;
    const argv = plainArgv(cmd);
    if (cwd !== this.cwd) vars.unshift(cwd);
    vars.push(argv ? `w ${argv.join(' ')}` : `s ${cmd}`);
    return path.isAbsolute(cwd) && vars.every((l) => !/[\n\r\0]/.test(l)) ? vars : undefined;
  }

  /** Run `current` here (a new stage, or one whose slot ended before it could start it). */
  private take(current: Current): void {
    const { cwd, env } = current.request;
    const lines = this.lines(current.request)!;
    this.current = current;
    this.cwd = cwd;
    for (const k of Object.keys(this.env)) if (env[k] === undefined) delete this.env[k];
    for (const [k, v] of Object.entries(env)) if (v !== undefined) this.env[k] = v;
    this.hold(true);
    this.child.stdin!.write(`${lines.join('\n')}\n`);
  }

  /** Let it go: it exits when its input ends. */
  discard(): void {
    this.gone = true;
    this.child.stdin?.end();
  }

  private output(text: string, stream: 'stdout' | 'stderr'): void {
    if (!this.ready) {
      this.early.push([text, stream]);
      return;
    }
    const current = this.current;
    if (!current) return;
    current.output.onOutput(text, stream);
    // Backpressure: while the run's log backlog is written, stop reading; the stage blocks on a full pipe.
    const wait = this.paused ? undefined : current.output.drain?.();
    if (!wait) return;
    this.paused = true;
    this.child.stdout!.pause();
    this.child.stderr!.pause();
    void wait.finally(() => {
      this.paused = false;
      this.child.stdout!.resume();
      this.child.stderr!.resume();
    });
  }

  private report(chunk: string): void {
    this.control += chunk;
    for (let nl = this.control.indexOf('\n'); nl >= 0; nl = this.control.indexOf('\n')) {
      const [kind, pid, status] = this.control.slice(0, nl).split(' ');
      this.control = this.control.slice(nl + 1);
      if (kind === 'r') {
        this.ready = true;
        for (const [text, stream] of this.early.splice(0)) this.output(text, stream);
        continue;
      }
      const current = this.current;
      if (!current) continue;
      if (kind === 'p') current.started(Number(pid));
      // The stage left processes in its session: they go with it (SIGTERM, then SIGKILL), then its output ends.
      else if (kind === 'l') void stopGroup(Number(pid), 1000).then(() => this.child.stdin?.write('\n'));
      else if (kind === 'e') {
        // Its folder could not be entered, or its program not started: where the slot is now is not known.
        if (pid === '0') this.cwd = '';
        current.status = Number(status);
        this.settle();
      }
    }
  }

  private markerSeen(): void {
    if (!this.current) return;
    this.current.markers++;
    this.settle();
  }

  /** The stage is over once its status and both markers are in. */
  private settle(): void {
    const current = this.current;
    if (!current || current.status === undefined || current.markers < 2) return;
    this.current = undefined;
    this.finish(current, exitFromStatus(current.status, !this.options.python));
    this.hold(false);
    if (!this.gone) this.options.onIdle?.(this);
  }

  private finish(current: Current, exit: StageExit): void {
    if (current.pid > 0) stageGuard.release(current.pid);
    current.resolve(exit);
  }

  /**
   * The slot ended. Before it was ready (a python3 that cannot run it), its stage, not started, goes
   * to the slot onUnready hands it. Killed from outside: its stage, and what that started, are
   * stopped; the stage ends once its output is read (or 2 s on, if something outside its session
   * still holds the pipes).
   */
  private lost(): void {
    if (this.gone && !this.current) return;
    this.gone = true;
    const current = this.current;
    if (!this.ready && this.options.onUnready) {
      this.early = [];
      this.current = undefined;
      this.options.onUnready(current?.request, (slot) => current && slot.take(current));
      return;
    }
    // What it said before it ended (why it could not run) is the stage's output.
    this.ready = true;
    for (const [text, stream] of this.early.splice(0)) this.output(text, stream);
    if (!current) return;
    const stopped = current.pid > 0 && groupAlive(current.pid) ? stopGroup(current.pid, 1000) : Promise.resolve();
    const closed = new Promise<void>((resolve) => {
      if (this.child.stdout?.readableEnded && this.child.stderr?.readableEnded) resolve();
      this.child.on('close', () => resolve());
    });
    void stopped
      .then(() => Promise.race([closed, new Promise<void>((resolve) => setTimeout(resolve, 2000).unref())]))
      .then(() => {
        if (this.current !== current) return;
        this.current = undefined;
        current.output.onOutput('error: the process that started this stage was killed, so the stage was stopped\n', 'stderr');
        this.finish(current, current.status !== undefined ? exitFromStatus(current.status, !this.options.python) : { code: null, signal: 'SIGKILL' });
      });
  }
}

/**
 * The slots of this process: one kept waiting ahead of the next stage, and those a stage gave back
 * (up to 4). Python slots where there is a python3 that can run them (PIPEWRIGHT_STAGE_SLOTS=sh: shell
 * slots); once one has ended before it was ready, shell slots, and the stage it was given runs in one.
 */
export class SlotPool {
  private readonly idle: StageSlot[] = [];
  /** Slots this process has started (tests, and a look at reuse). */
  spawned = 0;

  constructor(private python: string | undefined) {}

  /** Whether stages are started by slots here: there are `setsid` and `setpriv` (util-linux), and PIPEWRIGHT_STAGE_SLOTS is not 0. */
  get available(): boolean {
    return SETSID !== undefined && SETPRIV !== undefined && SLEEP !== undefined && process.env.PIPEWRIGHT_STAGE_SLOTS !== '0';
  }

  /** What new slots run in: a python3, or the shell. */
  get kind(): 'python' | 'sh' {
    return this.python && process.env.PIPEWRIGHT_STAGE_SLOTS !== 'sh' ? 'python' : 'sh';
  }

  private make(): StageSlot {
    this.spawned++;
    return new StageSlot(process.env, {
      python: this.kind === 'python' ? this.python : undefined,
      onIdle: (slot) => this.giveBack(slot),
      onUnready: (request, adopt) => {
        this.python = undefined;
        if (request) adopt(this.make());
      },
    });
  }

  /** Have a slot waiting: started now, off the path of the stage that will use it. */
  prepare(): void {
    if (!this.available) return;
    this.prune();
    if (this.idle.length === 0) this.idle.push(this.make());
  }

  /** Start a stage in a waiting slot (or a new one); undefined where slots are not used or cannot carry it. */
  start(cwd: string, env: NodeJS.ProcessEnv, cmd: string, output: Output): StageProcess | undefined {
    if (!this.available) return undefined;
    this.prune();
    const slot = this.idle.pop() ?? this.make();
    const stage = slot.start(cwd, env, cmd, output);
    if (!stage && slot.usable) this.idle.push(slot);
    return stage;
  }

  private prune(): void {
    for (let i = this.idle.length - 1; i >= 0; i--) if (!this.idle[i].usable) this.idle.splice(i, 1);
  }

  private giveBack(slot: StageSlot): void {
    if (this.idle.length < 4) this.idle.push(slot);
    else slot.discard();
  }
}

export const stageSlots = new SlotPool(PYTHON);
