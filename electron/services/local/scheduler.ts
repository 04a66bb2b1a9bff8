/**
 * Runs a DVC stage graph as processes: dependency order, up to `concurrency` stages at once, GPU
 * stages on their own GPUs, unchanged stages restored from the stage cache, dependents of a failed
 * stage skipped, and a cancel that stops every running process group.
 */
import { lstatSync, mkdirSync, promises as fs, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { LogStreamParser } from '../../../shared/runs/parseStream.ts';
import type { MetricRecord, NodePhase, OutputHash, RunEvent, RunPhase } from '../../../shared/runs/types.ts';
import { hashPath, hashPathSync } from '../runs/inputHashes.ts';
import { Hasher, SMALL_FILE_BYTES } from './hashing.ts';
import { spawnStage } from './processes.ts';
import { stageSlots } from './slot.ts';
import { StageStarter } from './starter.ts';
import type { StageProcess } from './processes.ts';
import type { StageCache } from './stageCache.ts';
import { downstreamStages, parseParams, stageParams } from './stages.ts';
import type { LocalStage } from './stages.ts';

export interface SchedulerOptions {
  runId: string;
  workspace: string;
  /** Where `pids/<stage>` files go (so a later process can stop what a crashed one left running). */
  runDir: string;
  stages: LocalStage[];
  paramsYaml: string;
  cache: StageCache | null;
  /** Stages that must run even when unchanged (`cache: false` on the node). */
  uncached: ReadonlySet<string>;
  concurrency: number;
  /** GPU device ids of this machine (empty: none). */
  gpuIds: string[];
  stageGpus: ReadonlyMap<string, number>;
  env: NodeJS.ProcessEnv;
  emit(event: RunEvent): void;
  /** Backpressure from the run's log storage (RunContext.drain). */
  drain?(): Promise<void> | undefined;
  graceMs?: number;
  /** A process started ahead for the first stage (see starter.ts). */
  spare?: StageStarter;
  /**
   * Called once: right after the first stage's process has started, in any case before another
   * stage is looked up, restored or started (the driver writes the rest of the workspace here).
   * What it throws fails every stage started after it.
   */
  firstStarted?(): void;
}

export interface RunOutcome {
  phase: RunPhase;
  message?: string;
}

interface Running {
  process: StageProcess;
  gpus: string[];
}

export const CLOSED_MESSAGE = 'Pipewright was closed while this run was running';

export class StageScheduler {
  private readonly hasher = new Hasher();
  private readonly state = new Map<string, 'waiting' | 'starting' | 'running' | NodePhase>();
  private readonly running = new Map<string, Running>();
  private readonly failures: string[] = [];
  private freeGpus: string[];
  /** params.yaml, parsed once per run. */
  private params: Record<string, unknown> | null | undefined;
  private stopping: 'cancel' | 'detach' | undefined;
  /** Stage outputs being stored in the stage cache. */
  private readonly storing: Promise<void>[] = [];
  /** The `pids` folder, once made. */
  private pidsDir: string | undefined;
  /** A process waiting to become the next stage. */
  private spare: StageStarter | undefined;
  private wake: () => void = () => {};
  /** firstStarted has been called, and what it threw. */
  private firstDone: { error?: Error } | undefined;
  /** A stage has been begun. */
  private begun = false;

  constructor(private readonly o: SchedulerOptions) {
    for (const s of o.stages) this.state.set(s.name, 'waiting');
    this.freeGpus = [...o.gpuIds];
    this.spare = o.spare;
  }

  private at(): string {
    return new Date().toISOString();
  }

  private phase(nodeId: string, phase: NodePhase, message?: string): void {
    this.state.set(nodeId, phase);
    this.o.emit({ kind: 'node-phase', runId: this.o.runId, nodeId, phase, at: this.at(), ...(message ? { message } : {}) });
  }

  private gpusFor(stage: LocalStage): number {
    const wanted = this.o.stageGpus.get(stage.name) ?? 0;
    return Math.min(wanted, this.o.gpuIds.length);
  }

  /** Call firstStarted once; throws what it threw. */
  private afterFirst(): void {
    if (!this.firstDone) {
      this.firstDone = {};
      try {
        this.o.firstStarted?.();
      } catch (error) {
        this.firstDone.error = error as Error;
      }
    }
    if (this.firstDone.error) throw this.firstDone.error;
  }

  private ready(): LocalStage[] {
    const done = (name: string) => this.state.get(name) === 'succeeded' || this.state.get(name) === 'cached';
    return this.o.stages.filter((s) => this.state.get(s.name) === 'waiting' && s.upstream.every(done));
  }

  async run(): Promise<RunOutcome> {
    this.o.emit({ kind: 'run-phase', runId: this.o.runId, phase: 'running', at: this.at() });
    const active = new Set<Promise<void>>();
    for (;;) {
      if (!this.stopping) {
        for (const stage of this.ready()) {
          const gpus = this.gpusFor(stage);
          if (active.size >= this.o.concurrency || gpus > this.freeGpus.length) continue;
          const task = this.runStage(stage, this.freeGpus.splice(0, gpus)).finally(() => active.delete(task));
          active.add(task);
        }
      }
      if (active.size === 0) break;
      await Promise.race([...active, new Promise<void>((resolve) => (this.wake = resolve))]);
    }
    this.spare?.discard();
    this.spare = undefined;
    try {
      // A run that started nothing (stopped before its first stage) still gets its whole workspace.
      this.afterFirst();
    } catch (error) {
      if (this.failures.length === 0) this.failures.push((error as Error).message);
    }
    await Promise.all(this.storing);
    for (const s of this.o.stages) if (this.state.get(s.name) === 'waiting') this.phase(s.name, 'skipped');
    if (this.stopping === 'cancel') return { phase: 'cancelled', message: 'Cancelled' };
    if (this.stopping === 'detach') return { phase: 'failed', message: CLOSED_MESSAGE };
    if (this.failures.length > 0) return { phase: 'failed', message: this.failures.join('; ') };
    return { phase: 'succeeded' };
  }

  /** Stop every running stage; `detach` means this process is going away. */
  async stop(reason: 'cancel' | 'detach', graceMs = this.o.graceMs ?? 5000): Promise<void> {
    this.stopping ??= reason;
    this.spare?.discard();
    this.spare = undefined;
    this.wake();
    await Promise.all([...this.running.values()].map((r) => r.process.stop(graceMs)));
  }

  private async runStage(stage: LocalStage, gpus: string[]): Promise<void> {
    const name = stage.name;
    this.state.set(name, 'starting');
    try {
      // Only the first stage may begin before firstStarted (the rest of the workspace).
      if (this.begun) this.afterFirst();
      this.begun = true;
      this.params ??= parseParams(this.o.paramsYaml);
      const params = stageParams(stage, this.params);
      const useCache = this.o.cache !== null && !this.o.uncached.has(name);
      const key = useCache ? await this.o.cache!.key(stage, this.o.workspace, params, this.hasher) : '';
      const hit = useCache ? await this.o.cache!.lookup(key) : undefined;
      if (this.stopping) {
        this.phase(name, 'skipped');
        return;
      }
      let cacheNote: string | undefined;
      const damaged = hit ? await this.o.cache!.restore(hit, this.o.workspace, this.hasher) : [];
      const parser = new LogStreamParser({ runId: this.o.runId, nodeId: name });
      if (hit && damaged.length > 0) {
        const list = damaged.length > 5 ? `${damaged.slice(0, 5).join(', ')} and ${damaged.length - 5} more` : damaged.join(', ');
        const note = `warning: the cached outputs of run ${hit.runId} were changed on disk (content hash mismatch: ${list}); the cache entry was dropped and the stage runs again\n`;
        for (const e of parser.push(note)) this.o.emit(e);
        cacheNote = `Cached outputs changed on disk (${list}): cache entry dropped, stage run again`;
      } else if (hit) {
        for (const e of parser.push(`Unchanged since run ${hit.runId}: outputs restored from the cache\n`)) this.o.emit(e);
        if (hit.engine) this.o.emit({ kind: 'node-info', runId: this.o.runId, nodeId: name, engine: hit.engine });
        if (hit.metrics?.length) this.o.emit({ kind: 'metrics', runId: this.o.runId, nodeId: name, records: hit.metrics });
        await this.emitOutputHashes(stage);
        this.phase(name, 'cached');
        return;
      }
      await this.execute(stage, gpus, useCache ? key : undefined, parser, cacheNote);
    } catch (error) {
      this.fail(stage, (error as Error).message);
    } finally {
      this.freeGpus.push(...gpus);
    }
  }

  private fail(stage: LocalStage, reason: string): void {
    this.failures.push(`stage "${stage.name}" failed: ${reason}`);
    this.phase(stage.name, 'failed', reason);
    for (const name of downstreamStages(this.o.stages, stage.name)) if (this.state.get(name) === 'waiting') this.phase(name, 'skipped', `"${stage.name}" failed`);
  }

  private async execute(stage: LocalStage, gpus: string[], cacheKey: string | undefined, parser: LogStreamParser, note?: string): Promise<void> {
    const name = stage.name;
    // Small metadata calls on the way from one stage to the next are made synchronously: a trip through the thread pool costs more.
    for (const out of stage.outputs) {
      const target = path.join(this.o.workspace, out);
      if (lstatSync(target, { throwIfNoEntry: false })) await fs.rm(target, { recursive: true, force: true });
    }
    const records: MetricRecord[] = [];
    let engine: string | undefined;
    let lastError: string | undefined;
    const forward = (events: RunEvent[]) => {
      for (const e of events) {
        if (e.kind === 'metrics' && records.length < 10_000) records.push(...e.records);
        if (e.kind === 'node-info' && e.engine) engine = e.engine;
        if (e.kind === 'log') for (const l of e.lines) if (l.text.startsWith('error:')) lastError = l.text;
        this.o.emit(e);
      }
    };
    // The record keeps why a stage that could have been restored ran again.
    this.phase(name, 'running', note);
    forward(parser.push(`$ ${stage.cmd}\n`));
    // PIPEWRIGHT_GPUS: the GPUs this stage was given here (it starts one process per GPU); none means a CPU run.
    const env = { PIPEWRIGHT_NODE_ID: name, PIPEWRIGHT_GPUS: String(gpus.length), ...(gpus.length > 0 ? { CUDA_VISIBLE_DEVICES: gpus.join(',') } : {}) };
    const output = { onOutput: (chunk: string, stream: 'stdout' | 'stderr') => forward(parser.push(chunk, stream)), drain: this.o.drain };
    const spare = this.spare;
    this.spare = undefined;
    // A slot (slot.ts), else the process started ahead (starter.ts), else a process spawned now.
    const child = stageSlots.start(this.o.workspace, { ...this.o.env, ...env }, stage.cmd, output) ?? spare?.start(stage.cmd, env, output) ?? spawnStage(stage.cmd, { cwd: this.o.workspace, env: { ...this.o.env, ...env }, ...output });
    spare?.discard();
    try {
      this.afterFirst();
    } catch {
      // This stage runs on; the stages after it fail with the error.
    }
    this.prepareSpare();
    this.hashAhead();
    const pidFile = path.join(this.o.runDir, 'pids', name);
    this.running.set(name, { process: child, gpus });
    if (this.stopping) void child.stop(this.o.graceMs ?? 5000);
    if (!this.pidsDir) mkdirSync((this.pidsDir = path.dirname(pidFile)), { recursive: true });
    void child.started.then((pid) => {
      if (pid <= 0 || this.running.get(name)?.process !== child) return;
      try {
        writeFileSync(pidFile, String(pid));
      } catch (error) {
        // Only a later process, after this one crashed, would look for it; the stage guard still ends the stage with this process.
        console.error(`run ${this.o.runId}: stage "${name}": ${(error as Error).message}`);
      }
    });
    const exit = await child.exited;
    this.running.delete(name);
    // Its group is gone: the file (read only to stop what a crashed runner left running) goes once the next stage has started.
    setImmediate(() => rmSync(pidFile, { force: true }));
    forward(parser.end());
    if (this.stopping) {
      this.phase(name, this.stopping === 'cancel' ? 'cancelled' : 'failed', this.stopping === 'cancel' ? 'Cancelled' : CLOSED_MESSAGE);
      return;
    }
    if (exit.code !== 0) {
      const status = exit.signal ? `killed by ${exit.signal}` : `exit status ${exit.code}`;
      this.fail(stage, lastError ? `${lastError.slice('error:'.length).trim()} (${status})` : status);
      return;
    }
    let missing: string[];
    if (this.o.cache && cacheKey) {
      const saved = await this.o.cache.save(cacheKey, stage, this.o.workspace, this.hasher, { runId: this.o.runId, metrics: records, ...(engine ? { engine } : {}) });
      missing = saved.missing;
      // Stored while the next stages run; a failure only means this stage runs again next time.
      this.storing.push(saved.stored.catch((error: unknown) => console.error(`run ${this.o.runId}: stage "${name}" was not stored in the stage cache:`, error)));
    } else missing = this.missingOutputs(stage);
    if (missing.length > 0) this.fail(stage, `it did not create its output ${missing.join(', ')}`);
    else {
      await this.emitOutputHashes(stage);
      this.phase(name, 'succeeded');
    }
  }

  /** The content hash of each output port (data/<stage>/<port>) for the run record: the lineage across runs. */
  private async emitOutputHashes(stage: LocalStage): Promise<void> {
    const outputs: Record<string, OutputHash> = {};
    for (const out of stage.outputs) {
      const parts = out.split('/');
      const port = parts[0] === 'data' && parts[1] === stage.name ? parts[2] : undefined;
      if (!port || outputs[port]) continue;
      const target = path.join(this.o.workspace, parts.slice(0, 3).join('/'));
      // Small outputs (the usual) are hashed on the spot, their files' hashes often already known from the stage cache's key.
      const hash = hashPathSync(target, (file) => this.hasher.fileHashSync(file)) ?? (await hashPath(target));
      if (hash.sha256 !== undefined || hash.bytes !== undefined) outputs[port] = { ...(hash.sha256 ? { sha256: hash.sha256 } : {}), ...(hash.bytes !== undefined ? { bytes: hash.bytes } : {}) };
    }
    if (Object.keys(outputs).length > 0) this.o.emit({ kind: 'node-info', runId: this.o.runId, nodeId: stage.name, outputs });
  }

  /** Dependency files already in the workspace (step scripts, samples) hashed once, while the first stage runs: the later stages' cache keys read them from memory. */
  private hashedAhead = false;

  private hashAhead(): void {
    if (this.hashedAhead || !this.o.cache) return;
    this.hashedAhead = true;
    for (const stage of this.o.stages) {
      if (this.state.get(stage.name) !== 'waiting' || this.o.uncached.has(stage.name)) continue;
      for (const dep of stage.deps) {
        const file = path.join(this.o.workspace, dep);
        const stat = statSync(file, { throwIfNoEntry: false });
        if (stat?.isFile() && stat.size <= SMALL_FILE_BYTES) this.hasher.fileHashSync(file, stat);
      }
    }
  }

  /** Have the next stage's slot (slot.ts) or process (starter.ts) ready now, while this one runs, if a stage is still to start. */
  private prepareSpare(): void {
    if (this.stopping || this.spare || ![...this.state.values()].includes('waiting')) return;
    if (stageSlots.available) return stageSlots.prepare();
    this.spare = new StageStarter(this.o.workspace, this.o.env);
  }

  private missingOutputs(stage: LocalStage): string[] {
    const missing: string[] = [];
    for (const out of stage.outputs) if (!statSync(path.join(this.o.workspace, out), { throwIfNoEntry: false })) missing.push(out);
    return missing;
  }
}
