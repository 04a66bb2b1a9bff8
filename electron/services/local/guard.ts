/**
 * Stages die with their runner. One small `sh` per runner process (its own session, so a terminal's
 * Ctrl-C does not reach it) reads a pipe from the runner: `+ PGID` when a stage's process group
 * starts, `- PGID` when it has ended. End of file means the runner is gone (killed with -9, crashed):
 * the guard sends every group still listed SIGTERM, then SIGKILL after a grace. One guard for all
 * stages, instead of a watchdog forked into each stage's group, keeps a stage's process group just
 * the stage: its end is seen at once, without looking for a watchdog left behind.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import { SHELL } from './shell.ts';

/** Seconds the guard gives an orphaned stage between SIGTERM and SIGKILL. */
export const ORPHAN_GRACE_S = 3;

const GUARD_SHELL = [
  "g=' '",
  'while read -r op id; do',
  '  case "$op" in',
  '    +) g="$g$id " ;;',
  '    -) case "$g" in *" $id "*) g="${g% $id *} ${g#* $id }" ;; esac ;;',
  '  esac',
  'done',
  'for id in $g; do kill -TERM -"$id"; done',
  '[ "$g" = " " ] || sleep "$1"',
  'for id in $g; do kill -KILL -"$id"; done',
].join('\n');

export class StageGuard {
  private child: ChildProcess | undefined;
  private readonly groups = new Set<number>();
  /** Ended groups the guard has not been told of yet. */
  private released: number[] = [];
  private releaseTimer: NodeJS.Timeout | undefined;

  constructor(private readonly graceS = ORPHAN_GRACE_S) {}

  /** The guard's pid while it runs (tests). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Watch a stage's process group from now until `release`. */
  watch(pgid: number): void {
    if (!(pgid > 0) || this.groups.has(pgid)) return;
    this.groups.add(pgid);
    // A new guard is told every group at once; a running one just this one.
    if (this.child) this.send(`+ ${pgid}\n`);
    else this.start();
  }

  /** Stop watching a group that has ended (told the guard with the next watch, or within 100 ms: one pipe write less per stage). */
  release(pgid: number): void {
    if (!this.groups.delete(pgid)) return;
    this.released.push(pgid);
    if (this.releaseTimer) return;
    this.releaseTimer = setTimeout(() => this.send(''), 100);
    this.releaseTimer.unref();
  }

  private send(text: string): void {
    clearTimeout(this.releaseTimer);
    this.releaseTimer = undefined;
    const releases = this.released.map((g) => `- ${g}\n`).join('');
    this.released = [];
    const stdin = this.child?.stdin;
    if (stdin && !stdin.destroyed && releases + text) stdin.write(releases + text);
  }

  private start(): void {
    const child = spawn(SHELL, ['-c', GUARD_SHELL, 'pipewright-guard', String(this.graceS)], { detached: true, stdio: ['pipe', 'ignore', 'ignore'] });
    this.child = child;
    // The runner never stays up for the guard, and a guard gone (killed by someone) is started again on the next stage.
    child.unref();
    (child.stdin as Socket | null)?.unref();
    child.stdin?.on('error', () => {});
    child.on('error', () => {
      if (this.child === child) this.child = undefined;
    });
    child.on('exit', (_code, signal) => {
      if (this.child !== child) return;
      this.child = undefined;
      // Killed while stages run: a new guard takes them over.
      if (signal && this.groups.size > 0) this.start();
    });
    this.send([...this.groups].map((g) => `+ ${g}\n`).join(''));
  }
}

/** The guard of this process's stages. */
export const stageGuard = new StageGuard();
