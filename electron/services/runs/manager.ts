/**
 * RunManager: the run core every target shares. Serves RunsApi: starts runs through the registered
 * target drivers, keeps their state from the drivers' events, records everything in the run history
 * and fans the events out to subscribers. Runs owned by another Pipewright process (a CLI run seen
 * from the app) are followed from disk and cancelled through their folder.
 */
import type { NodeArtifacts } from '../../../shared/api/runs.ts';
import type { Lineage } from '../../../shared/lineage/types.ts';
import { LineageReader } from './lineage.ts';
import type { ConnectionCheck, KfpConnectionRequest, KubeContextInfo, LogPage, RunEventListener, RunEventSource, RunsApi } from '../../../shared/api/runs.ts';
import { TERMINAL_RUN_PHASES } from '../../../shared/runs/types.ts';
import type { KfpEndpointRequest, MetricRecord, RunRecord, RunSummary, RunTarget, StartRunRequest } from '../../../shared/runs/types.ts';
import { catalog } from '../../../node-catalog/index.ts';
import { runParameterValues } from '../../../shared/pipeline/parameters.ts';
import { ActiveRun } from './activeRun.ts';
import { RunAlerting } from './alerting.ts';
import type { GpuUtilization } from './alerting.ts';
import { RunEventBus } from './eventBus.ts';
import { followRunFromDisk } from './follow.ts';
import type { RunFollow } from './follow.ts';
import { RunHistory, toRecord, toSummary } from './history.ts';
import { hashInputs } from './inputHashes.ts';
import { DEFAULT_LOG_CAPS } from './logWriter.ts';
import type { LogCaps } from './logWriter.ts';
import { importedRecord, startedRecord } from './newRecords.ts';
import { readNodeMetrics, readNodeOutputs } from './nodeOutputs.ts';
import type { ImportRunRequest } from './newRecords.ts';
import { ownerState, releaseOwner, requestCancel, takeCancelRequest, writeOwner } from './runFiles.ts';
import type { StoredRun } from './runFiles.ts';
import { createRunContext } from './runContext.ts';
import type { RunContext, RunHandle, RunTargetDriver } from './target.ts';

/** Cluster connection checks come from the cluster services; without them these methods say so. */
export type KubeConnections = Pick<RunsApi, 'listContexts' | 'testConnection'>;

export interface RunManagerOptions {
  /** How often a cluster run waiting for its kubeconfig's new programs to be confirmed is tried again (default 10 s). */
  kubeconfigRetryMs?: number;
  /** The run history folder: `runsDir(dataDir)` (electron/services/dataDir.ts). */
  runsDir: string;
  drivers?: RunTargetDriver[];
  kube?: KubeConnections;
  logCaps?: Partial<LogCaps>;
  now?: () => Date;
  /** How often waiting log lines are written and cancel requests looked for (ms). */
  tickMs?: number;
  /** Reads a step pod's GPU utilization (Prometheus with DCGM); without it the GPU idle alert is off. */
  gpuUtilization?: GpuUtilization;
  /** How often running steps' GPUs are sampled (ms, default 30 s). */
  gpuSampleMs?: number;
}

const HEARTBEAT_MS = 5_000;

export type { ImportRunRequest } from './newRecords.ts';

export class RunManager implements RunsApi, RunEventSource {
  readonly history: RunHistory;
  private readonly bus = new RunEventBus();
  private readonly drivers = new Map<RunTarget, RunTargetDriver>();
  private readonly active = new Map<string, ActiveRun>();
  private readonly observed = new Map<string, RunFollow>();
  private readonly caps: LogCaps;
  private readonly lineage: LineageReader;
  private readonly now: () => Date;
  private readonly timer: NodeJS.Timeout;
  private lastHeartbeat = 0;
  /** Cluster runs not followed while their kubeconfig runs programs nobody confirmed (kubeconfigTrust.ts): tried again now and then. */
  private readonly waitingForKubeconfig = new Map<string, { at: number; error: Error; resume: () => Promise<void> }>();

  constructor(private readonly options: RunManagerOptions) {
    this.history = new RunHistory(options.runsDir);
    this.lineage = new LineageReader(this.history, catalog);
    this.caps = { ...DEFAULT_LOG_CAPS, ...options.logCaps };
    this.now = options.now ?? (() => new Date());
    for (const driver of options.drivers ?? []) this.registerTarget(driver);
    this.timer = setInterval(() => void this.tick(), options.tickMs ?? 200);
    this.timer.unref();
  }

  /** Add (or replace) the driver for one target: `local` here, `argo` and `kfp` from the cluster services. */
  registerTarget(driver: RunTargetDriver): void {
    this.drivers.set(driver.target, driver);
  }

  subscribe(listener: RunEventListener): () => void {
    return this.bus.subscribe(listener);
  }

  private driver(target: RunTarget): RunTargetDriver {
    const driver = this.drivers.get(target);
    if (!driver) throw new Error(`Runs on target "${target}" are not available here (no driver registered for it)`);
    return driver;
  }

  listContexts(): Promise<KubeContextInfo[]> {
    return this.options.kube ? this.options.kube.listContexts() : Promise.reject(new Error('Cluster connections are not available here'));
  }

  async listKfpExperiments(request: KfpEndpointRequest): Promise<string[]> {
    const driver = this.drivers.get('kfp') as (RunTargetDriver & { listExperiments?(r: KfpEndpointRequest): Promise<string[]> }) | undefined;
    if (!driver?.listExperiments) throw new Error('Kubeflow Pipelines is not available here');
    return driver.listExperiments(request);
  }

  testConnection(context: string, namespace: string, kfp?: KfpConnectionRequest): Promise<ConnectionCheck> {
    return this.options.kube ? this.options.kube.testConnection(context, namespace, kfp) : Promise.reject(new Error('Cluster connections are not available here'));
  }

  private context(run: ActiveRun, request: StartRunRequest): RunContext {
    return createRunContext(run, request, this.history);
  }

  private adopt(record: StoredRun, dir: string, driver: RunTargetDriver): ActiveRun {
    const run = new ActiveRun(record, dir, driver, this.caps, (event) => this.bus.emit(event), this.now);
    run.alerting = new RunAlerting({
      record,
      emit: (event) => run.emit(event),
      cancel: (alert) => {
        run.stopReason = `Stopped by an alert: ${alert.message}`;
        void this.cancelRun(record.id).catch((error: unknown) => console.error(`run ${record.id}: stopping it for an alert failed:`, error));
      },
      now: () => this.now().getTime(),
      gpu: this.options.gpuUtilization,
      gpuSampleMs: this.options.gpuSampleMs ?? 30_000,
    });
    this.active.set(record.id, run);
    void run.done.then(() => this.active.delete(record.id));
    return run;
  }

  async startRun(request: StartRunRequest): Promise<RunSummary> {
    const driver = this.driver(request.target);
    // Every parameter's value for this run (given, else its default), each checked as the parameter itself is.
    const checked = runParameterValues(request.document, catalog, request.parameterValues ?? {}, request.target);
    if (checked.problems.length > 0) throw new Error(checked.problems.map((p) => p.message).join('\n'));
    const parameterValues = checked.values;
    request = { ...request, parameterValues };
    const compiled = await driver.compile(request);
    const inputs = await hashInputs(request.document, catalog, parameterValues);
    const at = this.now();
    const record = startedRecord(request, compiled, inputs, at);
    const dir = await this.history.create(record);
    await writeOwner(dir, at);
    const run = this.adopt(record, dir, driver);
    run.emit({ kind: 'run-phase', runId: record.id, phase: 'pending', at: record.createdAt });
    await this.launch(run, () => driver.start(this.context(run, request)));
    return toSummary(run.record);
  }

  /**
   * Adds a run that the cluster started (a schedule fired) to the history and follows it as a
   * reattached run: status, logs and metrics as for any cluster run. Undefined when it is already
   * in the history (its id follows from its cluster identity, so no process imports it twice).
   */
  async importRun(imported: ImportRunRequest): Promise<RunSummary | undefined> {
    const request = imported.request;
    const driver = this.driver(request.target);
    const parameterValues = runParameterValues(request.document, catalog, request.parameterValues ?? {}).values;
    // The files are what the schedule was made from; a document that no longer compiles still keeps the run.
    const compiled = await driver.compile(request).catch(() => ({}));
    const record = importedRecord(imported, compiled, parameterValues);
    let dir: string;
    try {
      dir = await this.history.create(record);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return undefined;
      throw error;
    }
    await writeOwner(dir, this.now());
    const run = this.adopt(record, dir, driver);
    run.emit({ kind: 'run-phase', runId: record.id, phase: 'pending', at: record.createdAt });
    await this.launch(run, async () => (await driver.reattach(this.context(run, { ...request, parameterValues }))) ?? undefined);
    return toSummary(run.record);
  }

  private async launch(run: ActiveRun, start: () => Promise<RunHandle | undefined>): Promise<void> {
    try {
      run.handle = await start();
      if (run.cancelRequested) await run.handle?.cancel();
    } catch (error) {
      run.emit({ kind: 'run-phase', runId: run.record.id, phase: 'error', message: (error as Error).message, at: this.now().toISOString() });
    }
    await run.idle();
  }

  async cancelRun(runId: string): Promise<void> {
    const run = this.active.get(runId);
    // Stopping it needs the kubeconfig that is waiting to be confirmed: say so rather than stop nothing.
    const waiting = this.waitingForKubeconfig.get(runId);
    if (run && waiting && !run.handle) throw waiting.error;
    if (run) {
      run.cancelRequested = true;
      await run.handle?.cancel();
      return;
    }
    const stored = await this.history.read(runId);
    if (TERMINAL_RUN_PHASES.includes(stored.phase)) return;
    const dir = this.history.dir(runId);
    const owner = await ownerState(dir, this.now());
    if (owner === 'other') {
      await requestCancel(dir);
      return;
    }
    const adopted = await this.reattach(stored);
    if (adopted) {
      adopted.cancelRequested = true;
      await adopted.handle?.cancel();
    }
  }

  async retryRun(runId: string): Promise<RunSummary> {
    const stored = await this.history.read(runId);
    if (!TERMINAL_RUN_PHASES.includes(stored.phase)) throw new Error(`Run ${runId} is still ${stored.phase}: wait for it to finish or cancel it first`);
    const driver = this.driver(stored.target);
    if (!driver.retry) return this.startRun({ ...stored.request, document: stored.document });
    await writeOwner(this.history.dir(runId), this.now());
    const run = this.adopt(stored, this.history.dir(runId), driver);
    await this.launch(run, () => driver.retry!(this.context(run, { ...stored.request, document: stored.document })));
    return toSummary(run.record);
  }

  async listRuns(): Promise<RunSummary[]> {
    const runs = await this.history.list();
    return runs.map((summary) => {
      const run = this.active.get(summary.id);
      return run ? toSummary(run.record) : summary;
    });
  }

  async getRun(runId: string): Promise<RunRecord> {
    const run = this.active.get(runId);
    return toRecord(run ? run.record : await this.history.read(runId));
  }

  async readLog(runId: string, nodeId: string, afterSeq: number, limit: number): Promise<LogPage> {
    await this.active.get(runId)?.flushNode(nodeId);
    if (!this.active.has(runId)) await this.history.read(runId);
    return this.history.readLog(runId, nodeId, afterSeq, limit);
  }

  async readMetrics(runId: string, nodeId: string): Promise<MetricRecord[]> {
    await this.active.get(runId)?.flushNode(nodeId);
    const stored = this.active.has(runId) ? undefined : await this.history.read(runId);
    return readNodeMetrics(this.history, runId, nodeId, stored);
  }

  async readArtifacts(runId: string, nodeId: string): Promise<NodeArtifacts> {
    const run = this.active.get(runId);
    await run?.flushNode(nodeId);
    const record = run ? run.record : await this.history.read(runId);
    return readNodeOutputs(this.history, record, nodeId);
  }

  /** Where the node's data and models came from and went, across every run in the history (or the whole run's). */
  async readLineage(runId: string, nodeId: string | null): Promise<Lineage> {
    return this.lineage.read(runId, nodeId, (id) => this.active.get(id)?.record);
  }

  async deleteRun(runId: string): Promise<void> {
    const stored = this.active.get(runId)?.record ?? (await this.history.read(runId));
    const owner = await ownerState(this.history.dir(runId), this.now());
    if (!TERMINAL_RUN_PHASES.includes(stored.phase) && owner !== 'none') {
      throw new Error(`Run ${runId} is still ${stored.phase}: cancel it before deleting it`);
    }
    this.observed.get(runId)?.stop();
    await this.history.remove(runId);
  }

  /** Resolves with the run once it has finished (whoever runs it). */
  async waitForRun(runId: string): Promise<RunSummary> {
    const run = this.active.get(runId);
    if (run) return toSummary(await run.done);
    const dir = this.history.dir(runId);
    const follow = followRunFromDisk(dir, {
      onEvent: () => {},
      nodes: [],
      intervalMs: 250,
      shouldStop: async () => (await ownerState(dir, this.now())) === 'none',
    });
    const last = await follow.finished;
    return last ? toSummary(last) : toSummary(await this.history.read(runId));
  }

  /**
   * At start-up: pick up runs left running. A run another live process owns is followed from disk;
   * an orphaned one goes to its driver's `reattach`. Returns the ids picked up.
   */
  async reattachRuns(): Promise<string[]> {
    const picked: string[] = [];
    for (const summary of await this.history.list()) {
      if (TERMINAL_RUN_PHASES.includes(summary.phase) || this.active.has(summary.id) || this.observed.has(summary.id)) continue;
      if (!this.drivers.has(summary.target)) continue;
      const dir = this.history.dir(summary.id);
      if ((await ownerState(dir, this.now())) === 'other') this.observe(summary.id);
      else await this.reattach(await this.history.read(summary.id));
      picked.push(summary.id);
    }
    return picked;
  }

  private observe(runId: string): void {
    const dir = this.history.dir(runId);
    const follow = followRunFromDisk(dir, {
      onEvent: (event) => this.bus.emit(event),
      intervalMs: 250,
      shouldStop: async () => (await ownerState(dir, this.now())) === 'none',
    });
    this.observed.set(runId, follow);
    void follow.finished.then(async (last) => {
      this.observed.delete(runId);
      // The owner went away mid-run: this process takes the run over.
      if (last && !TERMINAL_RUN_PHASES.includes(last.phase) && (await ownerState(dir, this.now())) === 'none') {
        await this.reattach(await this.history.read(runId)).catch((error: unknown) => console.error(error));
      }
    });
  }

  private async reattach(stored: StoredRun): Promise<ActiveRun | undefined> {
    const driver = this.driver(stored.target);
    const dir = this.history.dir(stored.id);
    await writeOwner(dir, this.now());
    await takeCancelRequest(dir);
    const run = this.adopt(stored, dir, driver);
    let waited = false;
    const follow = async (): Promise<RunHandle | undefined> => {
      let handle: RunHandle | null;
      try {
        handle = await driver.reattach(this.context(run, { ...stored.request, document: stored.document }));
        if (waited) run.emit({ kind: 'connection', runId: stored.id, state: 'connected' });
      } catch (error) {
        if ((error as { kind?: unknown }).kind !== 'unconfirmed-programs') throw error;
        // The run goes on on the cluster: not failed here, followed again once the kubeconfig's new programs are confirmed.
        run.emit({ kind: 'connection', runId: stored.id, state: 'disconnected', message: (error as Error).message });
        waited = true;
        this.waitingForKubeconfig.set(stored.id, { at: Date.now() + (this.options.kubeconfigRetryMs ?? 10_000), error: error as Error, resume: () => this.launch(run, follow) });
        return undefined;
      }
      await run.idle();
      if (!handle && !run.terminal) {
        const message = `Run ${stored.id} could not be picked up again after Pipewright restarted`;
        run.emit({ kind: 'run-phase', runId: stored.id, phase: 'error', message, at: this.now().toISOString() });
      }
      return handle ?? undefined;
    };
    await this.launch(run, follow);
    return run;
  }

  private async tick(): Promise<void> {
    for (const [runId, waiting] of this.waitingForKubeconfig) {
      if (Date.now() < waiting.at) continue;
      this.waitingForKubeconfig.delete(runId);
      void waiting.resume();
    }
    const heartbeat = Date.now() - this.lastHeartbeat >= HEARTBEAT_MS;
    if (heartbeat) this.lastHeartbeat = Date.now();
    for (const run of this.active.values()) {
      if (run.terminal) continue;
      run.alerting?.tick(run.record.external?.workflowNamespace ?? run.record.namespace);
      await run.flush().catch((error: unknown) => console.error(error));
      if (await takeCancelRequest(run.dir)) void this.cancelRun(run.record.id);
      if (heartbeat) await writeOwner(run.dir, this.now()).catch(() => undefined);
    }
  }

  /** Stop watching everything: cluster runs go on (reattached next time); local runs end. Flushes the history. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    this.waitingForKubeconfig.clear();
    for (const follow of this.observed.values()) follow.stop();
    await Promise.all(
      [...this.active.values()].map(async (run) => {
        await run.handle?.detach().catch((error: unknown) => console.error(error));
        await run.idle();
        await run.flush();
        await run.writeRecord();
        if (!run.terminal) await releaseOwner(run.dir);
      }),
    );
  }
}
