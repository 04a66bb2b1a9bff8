/**
 * A run this process owns: applies its driver's events to the record, mirrors logs and metrics to
 * disk in batches, writes record.json (atomically, soon after phase changes, lazily for progress
 * and metrics; synced to disk when the run's phase has changed and at the end) and settles the run
 * when it reaches a terminal phase.
 */
import { applyRunEvent } from '../../../shared/runs/state.ts';
import { TERMINAL_NODE_PHASES, TERMINAL_RUN_PHASES } from '../../../shared/runs/types.ts';
import type { LogLine, NodePhase, RunEvent, RunPhase } from '../../../shared/runs/types.ts';
import type { RunAlerting } from './alerting.ts';
import { nodeLogDir } from './logFiles.ts';
import { NodeLogWriter } from './logWriter.ts';
import type { LogCaps } from './logWriter.ts';
import { MetricWriter, metricsFile } from './metricFiles.ts';
import { recordFile, releaseOwner, writeJsonAtomic } from './runFiles.ts';
import type { StoredRun } from './runFiles.ts';
import type { RunHandle, RunTargetDriver } from './target.ts';

const PHASE_WRITE_DELAY_MS = 50;
const LAZY_WRITE_DELAY_MS = 1000;

/** Log text (UTF-16 code units) a run may hold in memory before its driver is asked to wait: ~2 MB. */
export const LOG_BACKLOG_CHARS = 1024 * 1024;

function logChars(lines: readonly LogLine[]): number {
  let n = 0;
  for (const l of lines) n += l.text.length + 64;
  return n;
}

export class ActiveRun {
  handle?: RunHandle;
  cancelRequested = false;
  /** Pipewright's alert rules on this run's events. */
  alerting?: RunAlerting;
  /** Why Pipewright itself stopped the run (an alert), for the run's final message. */
  stopReason?: string;
  readonly done: Promise<StoredRun>;
  private resolveDone!: (record: StoredRun) => void;
  private readonly logs = new Map<string, NodeLogWriter>();
  private readonly metrics = new Map<string, MetricWriter>();
  private queue: Promise<void> = Promise.resolve();
  private writeTimer?: NodeJS.Timeout;
  private writeDue = Infinity;
  private writeChain: Promise<void> = Promise.resolve();
  /** The run phase of the last record.json synced to disk. */
  private syncedPhase: RunPhase | undefined;
  private settled = false;

  constructor(
    public record: StoredRun,
    readonly dir: string,
    readonly driver: RunTargetDriver,
    private readonly caps: LogCaps,
    private readonly publish: (event: RunEvent) => void,
    private readonly now: () => Date,
  ) {
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
  }

  get terminal(): boolean {
    return TERMINAL_RUN_PHASES.includes(this.record.phase);
  }

  logWriter(nodeId: string): NodeLogWriter {
    let writer = this.logs.get(nodeId);
    if (!writer) this.logs.set(nodeId, (writer = new NodeLogWriter(nodeLogDir(this.dir, nodeId), this.caps)));
    return writer;
  }

  private metricWriter(nodeId: string): MetricWriter {
    let writer = this.metrics.get(nodeId);
    if (!writer) this.metrics.set(nodeId, (writer = new MetricWriter(metricsFile(this.dir, nodeId))));
    return writer;
  }

  /** Characters of log lines emitted but not yet handed to their writer. */
  private queuedLogChars = 0;

  /** Log text held in memory: queued events and lines waiting for their file. */
  backlog(): number {
    let chars = this.queuedLogChars;
    for (const w of this.logs.values()) chars += w.pendingChars;
    return chars;
  }

  /** Backpressure for drivers: nothing to wait for under LOG_BACKLOG_CHARS, else a promise of everything waiting being written. */
  drain(): Promise<void> | undefined {
    if (this.backlog() < LOG_BACKLOG_CHARS) return undefined;
    return this.idle().then(() => this.flush());
  }

  /** Events are handled in order, one after another (log dedupe needs the writer's last seq). */
  emit(event: RunEvent): void {
    if (event.kind === 'log') {
      const chars = logChars(event.lines);
      this.queuedLogChars += chars;
      this.queue = this.queue.then(() => {
        this.queuedLogChars -= chars;
        return this.apply(event);
      }).catch((error: unknown) => console.error(`run ${this.record.id}: event failed:`, error));
      return;
    }
    this.queue = this.queue.then(() => this.apply(event)).catch((error: unknown) => console.error(`run ${this.record.id}: event failed:`, error));
  }

  /** Resolves once every event emitted so far is handled. */
  idle(): Promise<void> {
    return this.queue;
  }

  private async apply(event: RunEvent): Promise<void> {
    if (this.settled && event.kind !== 'log' && event.kind !== 'metrics') return;
    if (event.kind === 'log') {
      const lines = await this.logWriter(event.nodeId).append(event.lines);
      if (lines.length > 0) this.publish(lines.length === event.lines.length ? event : { ...event, lines });
      return;
    }
    if (event.kind === 'metrics') this.metricWriter(event.nodeId).append(event.records);
    if (event.kind === 'run-phase' && event.phase === 'cancelled' && this.stopReason) event = { ...event, message: this.stopReason };
    this.record = applyRunEvent(this.record, event);
    this.publish(event);
    if (!this.settled) this.alerting?.observe(event);
    const lazy = event.kind === 'metrics' || event.kind === 'progress' || event.kind === 'connection';
    this.scheduleWrite(lazy ? LAZY_WRITE_DELAY_MS : PHASE_WRITE_DELAY_MS);
    if (event.kind === 'node-phase' && TERMINAL_NODE_PHASES.includes(event.phase)) this.flushEnded(event.nodeId);
    if (event.kind === 'run-phase' && this.terminal) await this.settle(event.phase);
  }

  /** Nodes left unfinished by a terminal run get a final phase of their own. */
  private closeOpenNodes(phase: RunPhase): void {
    const at = this.now().toISOString();
    for (const [nodeId, node] of Object.entries(this.record.nodes)) {
      if (TERMINAL_NODE_PHASES.includes(node.phase)) continue;
      const next: NodePhase = node.phase === 'running' ? (phase === 'cancelled' ? 'cancelled' : 'failed') : 'skipped';
      const event: RunEvent = { kind: 'node-phase', runId: this.record.id, nodeId, phase: next, at };
      this.record = applyRunEvent(this.record, event);
      this.publish(event);
    }
  }

  private async settle(phase: RunPhase): Promise<void> {
    this.settled = true;
    this.closeOpenNodes(phase);
    await this.flush();
    await this.writeRecord();
    await releaseOwner(this.dir);
    this.resolveDone(this.record);
  }

  scheduleWrite(delayMs: number): void {
    const due = Date.now() + delayMs;
    if (due >= this.writeDue) return;
    clearTimeout(this.writeTimer);
    this.writeDue = due;
    // Node phases and progress are written soon, synced to disk with the next run phase: a sync may cost more than a short stage.
    // Nobody waits for these: written in the background, the event loop stays free to start the next stage.
    this.writeTimer = setTimeout(() => {
      this.writeRecord({ durable: this.record.phase !== this.syncedPhase, background: true }).catch((error: unknown) => console.error(`run ${this.record.id}: writing its record failed:`, error));
    }, delayMs);
    this.writeTimer.unref();
  }

  /** Write record.json now; `durable` (the default) waits until it is on disk; `background`: through the thread pool (see writeJsonAtomic). */
  writeRecord({ durable = true, background = false }: { durable?: boolean; background?: boolean } = {}): Promise<void> {
    clearTimeout(this.writeTimer);
    this.writeDue = Infinity;
    const write = async () => {
      const { record } = this;
      await writeJsonAtomic(recordFile(this.dir), record, { durable, background });
      if (durable) this.syncedPhase = record.phase;
    };
    this.writeChain = this.writeChain.then(write, write);
    return this.writeChain;
  }

  /**
   * A node that ended has all its log lines and metrics here (events apply in order): written at once, after
   * what runs next has started (setImmediate), so the run's end has only its last nodes' to write.
   */
  private flushEnded(nodeId: string): void {
    setImmediate(() => {
      void Promise.all([this.logs.get(nodeId)?.flush(), this.metrics.get(nodeId)?.flush()]).catch((error: unknown) => console.error(`run ${this.record.id}: writing the log of ${nodeId} failed:`, error));
    });
  }

  /** Write every waiting log line and metric record. */
  async flush(): Promise<void> {
    await Promise.all([...[...this.logs.values()].map((w) => w.flush()), ...[...this.metrics.values()].map((w) => w.flush())]);
  }

  async flushNode(nodeId: string): Promise<void> {
    await this.idle();
    await Promise.all([this.logs.get(nodeId)?.flush(), this.metrics.get(nodeId)?.flush()]);
  }
}
