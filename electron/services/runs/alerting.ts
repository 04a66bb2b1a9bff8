/**
 * Pipewright's alerts on a run it owns, whatever the target: feeds the run's events to the shared rule
 * engine (shared/alerts/watch.ts), checks for stalls as time passes, samples the steps' GPUs from
 * Prometheus when one is configured, records each alert as a run event and, for `cancel` rules, stops the run.
 */
import type { RunAlert } from '../../../shared/alerts/types.ts';
import { RunAlertWatcher } from '../../../shared/alerts/watch.ts';
import type { RunEvent } from '../../../shared/runs/types.ts';
import type { StoredRun } from './runFiles.ts';

/** The mean GPU utilization (%) of a pod's GPUs, or undefined when nothing reports one (no DCGM, no GPU). */
export type GpuUtilization = (pod: { namespace?: string; pod: string }) => Promise<number | undefined>;

export interface AlertingOptions {
  record: StoredRun;
  emit(event: RunEvent): void;
  /** Stop the run: an alert whose action is `cancel` fired. */
  cancel(alert: RunAlert): void;
  now(): number;
  /** How GPU utilization is read; undefined: the GPU idle rule is off. */
  gpu?: GpuUtilization;
  /** How often each running step's GPUs are sampled (ms). */
  gpuSampleMs: number;
}

export class RunAlerting {
  private readonly watcher: RunAlertWatcher;
  private lastGpuSample = 0;
  private sampling = false;
  private cancelled = false;

  constructor(private readonly options: AlertingOptions) {
    const { record } = options;
    this.watcher = new RunAlertWatcher(record.id, record.document, record.alerts ?? []);
    this.watcher.resume(record.nodes, options.now());
  }

  /** Every event of the run, in order, once it is applied. */
  observe(event: RunEvent): void {
    this.raise(this.watcher.observe(event, this.options.now()));
  }

  /** Time passed: stalls now, GPU samples when due (in the background, one round at a time). */
  tick(namespace: string | undefined): void {
    const now = this.options.now();
    this.raise(this.watcher.tick(now));
    const gpu = this.options.gpu;
    if (!gpu || this.sampling || now - this.lastGpuSample < this.options.gpuSampleMs) return;
    const candidates = this.watcher.gpuCandidates();
    if (candidates.length === 0) return;
    this.lastGpuSample = now;
    this.sampling = true;
    void Promise.all(
      candidates.map(async ({ nodeId, podName }) => {
        const utilization = await gpu({ namespace, pod: podName }).catch(() => undefined);
        this.raise(this.watcher.gpuSample(nodeId, utilization, this.options.now()));
      }),
    ).finally(() => (this.sampling = false));
  }

  private raise(alerts: RunAlert[]): void {
    for (const alert of alerts) {
      this.options.emit({ kind: 'alert', runId: this.options.record.id, nodeId: alert.nodeId, alert });
      if (alert.action === 'cancel' && !this.cancelled) {
        this.cancelled = true;
        this.options.cancel(alert);
      }
    }
  }
}
