/**
 * The `local` run target: compiles the document to DVC (dvc.yaml, params.yaml, steps/, samples/)
 * into the run's workspace, checks the Python interpreter, then runs the stage graph here (or
 * with real `dvc repro` when asked and installed), streaming logs and metrics as RunEvents.
 */
import { existsSync, mkdirSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compileDvc } from '../../../shared/compile/dvc.ts';
import type { NodeCatalog } from '../../../shared/pipeline/catalog.ts';
import { resolveNode } from '../../../shared/pipeline/resolve.ts';
import type { RunEvent, StartRunRequest } from '../../../shared/runs/types.ts';
import { localCacheDir } from '../dataDir.ts';
import type { RunContext, RunHandle, RunTargetDriver } from '../runs/target.ts';
import { DvcRepro, findDvc } from './dvcRepro.ts';
import { detectGpus } from './gpus.ts';
import { groupAlive, stopGroup } from './processes.ts';
import { choosePython, installInterpreter, stageNeeds } from './python.ts';
import { CLOSED_MESSAGE, StageScheduler } from './scheduler.ts';
import type { RunOutcome } from './scheduler.ts';
import { StageCache } from './stageCache.ts';
import { stageSlots } from './slot.ts';
import { StageStarter } from './starter.ts';
import { readStages } from './stages.ts';
import type { LocalStage } from './stages.ts';
import { splitWorkspace, writeWorkspaceFiles } from './workspace.ts';

export interface LocalSettings {
  /** The interpreter; null/undefined: the first python3 that can import what the stages need. */
  pythonPath?: string | null;
  /** Stages at once; default: the CPU count. */
  concurrency?: number;
  /** Run `dvc repro` instead of Pipewright's own runner when `dvc` is on PATH. */
  useDvc?: boolean;
}

export interface LocalDriverOptions {
  /** The data dir: the stage cache lives under it (localCacheDir). */
  dataDir: string;
  catalog: NodeCatalog;
  /** Read at the start of each run (the app passes its settings). */
  settings?: () => LocalSettings | Promise<LocalSettings>;
  /** GPU ids to use; default: detected. */
  gpuIds?: string[];
  /** SIGTERM-to-SIGKILL grace when stopping stages (ms). */
  graceMs?: number;
  /** false: never reuse or store stage results. */
  cache?: boolean;
  /** The `dvc` program for `useDvc` runs; default: `dvc` on PATH. */
  dvcPath?: string;
}

interface Runner {
  run(): Promise<RunOutcome>;
  stop(reason: 'cancel' | 'detach'): Promise<void>;
}

export class LocalDriver implements RunTargetDriver {
  readonly target = 'local' as const;
  /** Runs started here; from the second on, a process waits for the next run's first stage. */
  private runs = 0;
  private nextRun: StageStarter | undefined;

  constructor(private readonly options: LocalDriverOptions) {}

  async compile(request: StartRunRequest): Promise<Record<string, string>> {
    return compileDvc(request.document, this.options.catalog, request.parameterValues);
  }

  async start(ctx: RunContext): Promise<RunHandle> {
    const workspace = path.join(ctx.dir, 'workspace');
    // Recorded (synced to disk) while the workspace is written and the stages run: awaited before the run ends.
    const recorded = ctx.setExternal({ workspace });
    recorded.catch(() => {});
    mkdirSync(workspace, { recursive: true });
    // The first stage's slot (see slot.ts) or process (see starter.ts) starts while the workspace is written and the
    // interpreter checked, or was started during the previous run.
    const env = this.stageEnv(ctx, workspace);
    const ready = this.nextRun;
    this.nextRun = undefined;
    const slots = stageSlots.available;
    if (slots) stageSlots.prepare();
    const spare = slots ? undefined : (ready?.moveTo({ cwd: workspace, env }) ?? new StageStarter(workspace, env));
    this.runs++;
    const stages = readStages(ctx.record.compiled['dvc.yaml'] ?? '');
    // What the first stages need now; the other stages' files once the first stage's process has started.
    const { first, later } = splitWorkspace(ctx.record.compiled, stages);
    try {
      writeWorkspaceFiles(workspace, first);
    } catch (error) {
      spare?.discard();
      throw error;
    }
    let rest: { error?: Error } | undefined;
    const writeRest = () => {
      if (!rest) {
        rest = {};
        try {
          writeWorkspaceFiles(workspace, later);
        } catch (error) {
          rest.error = new Error(`the run's workspace ${workspace} could not be written: ${(error as Error).message}`);
        }
      }
      if (rest.error) throw rest.error;
    };
    let runner: Runner | undefined;
    let stopped: 'cancel' | 'detach' | undefined;
    const finish = (outcome: RunOutcome) => ctx.emit({ kind: 'run-phase', runId: ctx.record.id, phase: outcome.phase, at: new Date().toISOString(), ...(outcome.message ? { message: outcome.message } : {}) });
    const firstStarted = () => {
      writeRest();
      // A process that runs again (the app, the bench) gets the next run's first stage process ready now, while this run's
      // first stage runs (one that cannot start is not used: the next run spawns its first stage as usual). Slots need
      // nothing of the kind: each is given back to the pool when its stage ends, ready for the next stage or run.
      if (!slots && this.runs > 1 && !this.nextRun) {
        try {
          this.nextRun = new StageStarter('/', { ...process.env });
        } catch {
          // Not ready then.
        }
      }
    };
    const go = async () => {
      const created = await this.prepare(ctx, workspace, stages, spare, firstStarted, writeRest);
      if ('outcome' in created) {
        // The workspace is kept whole for a look at what would have run.
        try {
          writeRest();
        } catch {
          // The run has failed already, saying why.
        }
        await recorded;
        return finish(created.outcome);
      }
      runner = created.runner;
      if (stopped) await runner.stop(stopped);
      const outcome = await runner.run();
      await recorded;
      finish(outcome);
    };
    const done = go()
      .catch((error: unknown) => finish({ phase: 'error', message: (error as Error).message }))
      .finally(() => spare?.discard());
    const stop = async (reason: 'cancel' | 'detach') => {
      stopped ??= reason;
      await runner?.stop(reason);
      await done;
    };
    return { cancel: () => stop('cancel'), detach: () => stop('detach') };
  }

  /** Everything before the first stage: settings, interpreter check, environment. */
  private async prepare(
    ctx: RunContext,
    workspace: string,
    stages: LocalStage[],
    spare: StageStarter | undefined,
    firstStarted: () => void,
    writeRest: () => void,
  ): Promise<{ runner: Runner } | { outcome: RunOutcome }> {
    const settings = (await this.options.settings?.()) ?? {};
    const doc = ctx.record.document;
    const runId = ctx.record.id;
    const needs = stageNeeds(doc, this.options.catalog);
    const choice = await choosePython(settings.pythonPath, needs);
    if (!choice.ok) {
      for (const line of choice.message.split('\n').slice(1)) {
        const m = /^stage "([^"]+)" /.exec(line);
        if (m) ctx.emit({ kind: 'node-phase', runId, nodeId: m[1], phase: 'failed', message: line.slice(m[0].length), at: new Date().toISOString() });
      }
      return { outcome: { phase: 'failed', message: choice.message } };
    }
    await installInterpreter(path.join(ctx.dir, 'bin'), choice.python);
    const env = this.stageEnv(ctx, workspace);
    const emit = (event: RunEvent) => ctx.emit(event);
    const dvc = settings.useDvc ? (this.options.dvcPath ?? findDvc(env.PATH)) : undefined;
    // `dvc repro` reads the whole project first.
    if (dvc) writeRest();
    if (dvc) return { runner: new DvcRepro({ runId, workspace, dvc, env, stages, cacheDir: path.join(localCacheDir(this.options.dataDir), 'dvc'), emit, graceMs: this.options.graceMs }) };
    const resolved = doc.nodes.map((n) => resolveNode(n, this.options.catalog));
    const runner = new StageScheduler({
      runId,
      workspace,
      runDir: ctx.dir,
      stages,
      paramsYaml: ctx.record.compiled['params.yaml'] ?? '{}',
      cache: this.options.cache === false ? null : new StageCache(localCacheDir(this.options.dataDir)),
      uncached: new Set(resolved.flatMap((r) => (r && !r.cache ? [r.node.id] : []))),
      concurrency: Math.max(1, settings.concurrency ?? os.cpus().length),
      gpuIds: this.options.gpuIds ?? (await detectGpus()),
      stageGpus: new Map(resolved.flatMap((r) => (r ? [[r.node.id, r.resources.gpus ?? 0] as const] : []))),
      env,
      emit,
      drain: ctx.drain ? () => ctx.drain?.() : undefined,
      graceMs: this.options.graceMs,
      spare,
      firstStarted,
    });
    return { runner };
  }

  /** The environment of the run's stages (each stage adds its own PIPEWRIGHT_NODE_ID and GPUs). */
  private stageEnv(ctx: RunContext, workspace: string): NodeJS.ProcessEnv {
    const doc = ctx.record.document;
    const bin = path.join(ctx.dir, 'bin');
    return {
      ...process.env,
      PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}`,
      PIPEWRIGHT_RUN_ID: ctx.record.id,
      PIPEWRIGHT_PIPELINE: doc.name,
      PIPEWRIGHT_SAMPLES_DIR: path.join(workspace, 'samples'),
      // Local runs render what a cluster step would apply (deploy), even when this machine is itself a pod.
      PIPEWRIGHT_LOCAL_RUN: '1',
      PYTHONUNBUFFERED: '1',
      ...(doc.settings?.mlflowTrackingUri ? { MLFLOW_TRACKING_URI: doc.settings.mlflowTrackingUri } : {}),
      // The pipeline's setting wins; without one, a PIPEWRIGHT_PUSHGATEWAY_URL in the runner's own environment still applies.
      ...(doc.settings?.pushgatewayUrl ? { PIPEWRIGHT_PUSHGATEWAY_URL: doc.settings.pushgatewayUrl } : {}),
    };
  }

  /**
   * The process that ran this run is gone, and its stages' output with it: stop what it left running
   * and end the run failed, saying why.
   */
  async reattach(ctx: RunContext): Promise<RunHandle | null> {
    const pids = path.join(ctx.dir, 'pids');
    const workspace = path.join(ctx.dir, 'workspace');
    for (const name of await fs.readdir(pids).catch(() => [] as string[])) {
      const pgid = Number(await fs.readFile(path.join(pids, name), 'utf8').catch(() => ''));
      if (pgid > 0 && groupAlive(pgid) && (await runsIn(pgid, workspace))) await stopGroup(pgid, this.options.graceMs ?? 5000);
      await fs.rm(path.join(pids, name), { force: true });
    }
    const at = new Date().toISOString();
    for (const [nodeId, node] of Object.entries(ctx.record.nodes)) {
      if (node.phase === 'running') ctx.emit({ kind: 'node-phase', runId: ctx.record.id, nodeId, phase: 'failed', message: CLOSED_MESSAGE, at });
    }
    ctx.emit({ kind: 'run-phase', runId: ctx.record.id, phase: 'failed', message: CLOSED_MESSAGE, at });
    return null;
  }
}

/** A recorded process group id may have been reused since: on Linux, check it still works in our workspace. */
async function runsIn(pgid: number, workspace: string): Promise<boolean> {
  if (!existsSync('/proc')) return true;
  const cwd = await fs.readlink(`/proc/${pgid}/cwd`).catch(() => undefined);
  return cwd === workspace;
}
