/**
 * Local runs through real `dvc repro` (a setting, when `dvc` is on PATH): the same live view, read
 * from DVC's own output: `Running stage 'x':` starts x (and ends the one before: DVC runs stages
 * one at a time), `Stage 'x' didn't change, skipping` / `... is cached - skipping run` mark x
 * cached, `ERROR: failed to reproduce 'x': ...` fails it. Stage output goes through the log parser.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { LogStreamParser } from '../../../shared/runs/parseStream.ts';
import type { NodePhase, RunEvent } from '../../../shared/runs/types.ts';
import { spawnStage } from './processes.ts';
import type { StageProcess } from './processes.ts';
import { CLOSED_MESSAGE } from './scheduler.ts';
import type { RunOutcome } from './scheduler.ts';
import { downstreamStages } from './stages.ts';
import type { LocalStage } from './stages.ts';

export interface DvcReproOptions {
  runId: string;
  workspace: string;
  dvc: string;
  env: NodeJS.ProcessEnv;
  stages: LocalStage[];
  /** Shared DVC cache (and run cache) for every run's workspace. */
  cacheDir: string;
  emit(event: RunEvent): void;
  graceMs?: number;
}

export function findDvc(envPath: string | undefined): string | undefined {
  for (const dir of (envPath ?? '').split(path.delimiter)) {
    const file = dir ? path.join(dir, 'dvc') : '';
    if (file && existsSync(file) && statSync(file).isFile()) return file;
  }
  return undefined;
}

const RUNNING = /^Running stage '([^']+)':/;
const UNCHANGED = /^Stage '([^']+)' (?:didn't change, skipping|is cached - skipping run)/;
const FAILED = /^ERROR: failed to reproduce '([^']+)'(?::\s*(.*))?/;

function quote(s: string): string {
  return `'${s.replace(/'/g, `'"'"'`)}'`;
}

export class DvcRepro {
  private readonly parsers = new Map<string, LogStreamParser>();
  private readonly phases = new Map<string, NodePhase>();
  private current: string | undefined;
  private failure: { stage: string; message: string } | undefined;
  private process: StageProcess | undefined;
  private stopping: 'cancel' | 'detach' | undefined;

  constructor(private readonly o: DvcReproOptions) {}

  private setPhase(nodeId: string, phase: NodePhase, message?: string): void {
    this.phases.set(nodeId, phase);
    this.o.emit({ kind: 'node-phase', runId: this.o.runId, nodeId, phase, at: new Date().toISOString(), ...(message ? { message } : {}) });
  }

  private parser(nodeId: string): LogStreamParser {
    let parser = this.parsers.get(nodeId);
    if (!parser) this.parsers.set(nodeId, (parser = new LogStreamParser({ runId: this.o.runId, nodeId })));
    return parser;
  }

  private send(text: string, stream: 'stdout' | 'stderr'): void {
    const stage = this.current ?? this.o.stages[0]?.name;
    if (stage) for (const e of this.parser(stage).push(text, stream)) this.o.emit(e);
  }

  private finishCurrent(phase: NodePhase, message?: string): void {
    if (!this.current) return;
    for (const e of this.parser(this.current).end()) this.o.emit(e);
    this.setPhase(this.current, phase, message);
    this.current = undefined;
  }

  /** One whole line of DVC's output: a stage event, or a line of the current stage's log. */
  private line(text: string, stream: 'stdout' | 'stderr'): void {
    const running = RUNNING.exec(text);
    const unchanged = UNCHANGED.exec(text);
    const failed = FAILED.exec(text);
    if (running) {
      this.finishCurrent('succeeded');
      this.current = running[1];
      this.setPhase(running[1], 'running');
    } else if (unchanged) {
      this.finishCurrent('succeeded');
      this.setPhase(unchanged[1], 'cached');
    } else if (failed) {
      this.failure = { stage: failed[1], message: failed[2] ?? 'failed' };
    }
    this.send(`${text}\n`, stream);
  }

  /**
   * Whole lines are checked for DVC's messages; a line still being redrawn (`\r`, a progress bar)
   * goes to the current stage as it comes, so its progress shows live.
   */
  private splitter(stream: 'stdout' | 'stderr'): { push(chunk: string): void; end(): void } {
    let pending = '';
    let started = false;
    return {
      push: (chunk) => {
        pending += chunk;
        for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n')) {
          const text = pending.slice(0, nl);
          pending = pending.slice(nl + 1);
          if (started) this.send(`${text}\n`, stream);
          else this.line(text, stream);
          started = false;
        }
        const cr = pending.lastIndexOf('\r');
        if (cr >= 0) {
          this.send(pending.slice(0, cr + 1), stream);
          pending = pending.slice(cr + 1);
          started = true;
        }
      },
      end: () => {
        if (pending) this.line(pending, stream);
        pending = '';
      },
    };
  }

  async run(): Promise<RunOutcome> {
    this.o.emit({ kind: 'run-phase', runId: this.o.runId, phase: 'running', at: new Date().toISOString() });
    const out = this.splitter('stdout');
    const err = this.splitter('stderr');
    const dvc = quote(this.o.dvc);
    const setup = existsSync(path.join(this.o.workspace, '.dvc')) ? '' : `${dvc} init --no-scm -q && `;
    const cmd = `${setup}${dvc} config --local cache.dir ${quote(this.o.cacheDir)} && ${dvc} repro`;
    if (this.stopping) return this.outcome(null);
    this.process = spawnStage(cmd, { cwd: this.o.workspace, env: this.o.env, onOutput: (chunk, stream) => (stream === 'stdout' ? out : err).push(chunk) });
    const exit = await this.process.exited;
    out.end();
    err.end();
    return this.outcome(exit.code);
  }

  private outcome(code: number | null): RunOutcome {
    if (this.stopping) {
      this.finishCurrent(this.stopping === 'cancel' ? 'cancelled' : 'failed', this.stopping === 'cancel' ? 'Cancelled' : CLOSED_MESSAGE);
      this.skipRest();
      return this.stopping === 'cancel' ? { phase: 'cancelled', message: 'Cancelled' } : { phase: 'failed', message: CLOSED_MESSAGE };
    }
    if (code === 0) {
      this.finishCurrent('succeeded');
      // DVC names every stage it visits; one it did not mention was up to date.
      for (const s of this.o.stages) if (!this.phases.has(s.name)) this.setPhase(s.name, 'cached');
      return { phase: 'succeeded' };
    }
    const stage = this.failure?.stage ?? this.current;
    const message = this.failure?.message ?? `dvc repro exited with status ${code}`;
    if (stage && this.current === stage) this.finishCurrent('failed', message);
    else if (stage) this.setPhase(stage, 'failed', message);
    else this.finishCurrent('failed', message);
    if (stage) for (const name of downstreamStages(this.o.stages, stage)) if (!this.phases.has(name)) this.setPhase(name, 'skipped', `"${stage}" failed`);
    this.skipRest();
    return { phase: 'failed', message: stage ? `stage "${stage}" failed: ${message}` : message };
  }

  private skipRest(): void {
    for (const s of this.o.stages) if (!this.phases.has(s.name)) this.setPhase(s.name, 'skipped');
  }

  async stop(reason: 'cancel' | 'detach'): Promise<void> {
    this.stopping ??= reason;
    await this.process?.stop(this.o.graceMs ?? 5000);
  }
}
