/**
 * The alert rules applied to a running pipeline's event stream, one instance per run, on every target:
 * a non-finite loss, a loss above `factor` times the median of its recent values, no metric or progress
 * record for `minutes`, GPUs under a utilization for `minutes` (from samples the caller takes). Each
 * rule fires at most once per node. Pure: time comes in as arguments, alerts go out as return values.
 */
import type { PipelineDocument } from '../pipeline/types.ts';
import type { NodeRunState, RunEvent } from '../runs/types.ts';
import { LOSS_SPIKE_MIN_HISTORY, resolveAlertRules } from './config.ts';
import type { ResolvedAlertRules } from './config.ts';
import { describeAlert } from './describe.ts';
import type { AlertRuleId, RunAlert } from './types.ts';

interface NodeWatch {
  rules: ResolvedAlertRules;
  running: boolean;
  lastProgressMs: number;
  lastStep?: number;
  /** Finite losses seen, the last `window` of them. */
  losses: number[];
  fired: Set<AlertRuleId>;
  /** A metric record has arrived: training (or evaluation) is under way, so idle GPUs mean something. */
  working: boolean;
  podName?: string;
  gpuLowSinceMs?: number;
}

export interface GpuCandidate {
  nodeId: string;
  podName: string;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export class RunAlertWatcher {
  private readonly nodes = new Map<string, NodeWatch>();

  /** `fired`: alerts the run record already holds (a watcher resumed after a restart does not repeat them). */
  constructor(
    readonly runId: string,
    doc: PipelineDocument,
    fired: readonly RunAlert[] = [],
  ) {
    for (const node of doc.nodes) {
      this.nodes.set(node.id, { rules: resolveAlertRules(doc.settings?.alerts, node.alerts), running: false, lastProgressMs: 0, losses: [], fired: new Set(), working: false });
    }
    for (const alert of fired) this.nodes.get(alert.nodeId)?.fired.add(alert.rule);
  }

  /** Picking up a run already going (after a restart): its running steps count as running since `nowMs`. */
  resume(nodes: Readonly<Record<string, NodeRunState>>, nowMs: number): void {
    for (const [nodeId, state] of Object.entries(nodes)) {
      const node = this.nodes.get(nodeId);
      if (!node || state.phase !== 'running') continue;
      node.running = true;
      node.lastProgressMs = nowMs;
      if (state.podName) node.podName = state.podName;
      if (state.lastMetrics) node.working = true;
    }
  }

  /** Alerts `event` sets off (`nowMs`: when it arrived). */
  observe(event: RunEvent, nowMs: number): RunAlert[] {
    if (event.kind === 'run-phase' || event.kind === 'connection' || event.kind === 'log' || event.kind === 'alert') return [];
    const node = this.nodes.get(event.nodeId);
    if (!node) return [];
    switch (event.kind) {
      case 'node-phase': {
        const running = event.phase === 'running';
        if (running && !node.running) node.lastProgressMs = nowMs;
        node.running = running;
        if (!running) node.gpuLowSinceMs = undefined;
        return [];
      }
      case 'node-info':
        if (event.podName) node.podName = event.podName;
        return [];
      case 'progress':
        node.lastProgressMs = nowMs;
        return [];
      case 'hint':
        return [];
      case 'metrics': {
        const alerts: RunAlert[] = [];
        for (const record of event.records) {
          node.lastProgressMs = nowMs;
          node.lastStep = record.step;
          node.working = true;
          const loss = record.values.loss;
          if (loss === undefined) continue;
          alerts.push(...this.checkLoss(event.nodeId, node, loss, record.step, nowMs));
        }
        return alerts;
      }
    }
  }

  private checkLoss(nodeId: string, node: NodeWatch, loss: number, step: number, nowMs: number): RunAlert[] {
    if (!Number.isFinite(loss)) {
      return node.rules.nonFiniteLoss.enabled ? this.fire(nodeId, node, 'nonFiniteLoss', nowMs, { step, value: loss }) : [];
    }
    const { enabled, factor, window } = node.rules.lossSpike;
    const out: RunAlert[] = [];
    if (enabled && node.losses.length >= Math.min(LOSS_SPIKE_MIN_HISTORY, window)) {
      const recent = median(node.losses);
      if (recent > 0 && loss > factor * recent) out.push(...this.fire(nodeId, node, 'lossSpike', nowMs, { step, value: loss, threshold: factor * recent, median: recent }));
    }
    node.losses.push(loss);
    if (node.losses.length > window) node.losses.shift();
    return out;
  }

  /** Time has passed: running steps without progress for their stall minutes. */
  tick(nowMs: number): RunAlert[] {
    const alerts: RunAlert[] = [];
    for (const [nodeId, node] of this.nodes) {
      const { enabled, minutes } = node.rules.stall;
      if (!node.running || !enabled || node.fired.has('stall')) continue;
      const silentMs = nowMs - node.lastProgressMs;
      if (silentMs > minutes * 60_000) alerts.push(...this.fire(nodeId, node, 'stall', nowMs, { step: node.lastStep, threshold: minutes, minutes: silentMs / 60_000 }));
    }
    return alerts;
  }

  /** Steps whose GPUs are worth sampling now: running in a known pod, working, the rule on and not fired. */
  gpuCandidates(): GpuCandidate[] {
    const out: GpuCandidate[] = [];
    for (const [nodeId, node] of this.nodes) {
      if (node.running && node.working && node.podName && node.rules.gpuIdle.enabled && !node.fired.has('gpuIdle')) out.push({ nodeId, podName: node.podName });
    }
    return out;
  }

  /** The mean GPU utilization (%) of a step's pod, or undefined when Prometheus has none for it. */
  gpuSample(nodeId: string, utilization: number | undefined, nowMs: number): RunAlert[] {
    const node = this.nodes.get(nodeId);
    if (!node || !node.running || node.fired.has('gpuIdle')) return [];
    const { enabled, utilization: threshold, minutes } = node.rules.gpuIdle;
    if (!enabled || utilization === undefined || !Number.isFinite(utilization) || utilization >= threshold) {
      node.gpuLowSinceMs = undefined;
      return [];
    }
    node.gpuLowSinceMs ??= nowMs;
    if (nowMs - node.gpuLowSinceMs < minutes * 60_000) return [];
    return this.fire(nodeId, node, 'gpuIdle', nowMs, { step: node.lastStep, value: utilization, threshold, minutes: (nowMs - node.gpuLowSinceMs) / 60_000 });
  }

  private fire(nodeId: string, node: NodeWatch, rule: AlertRuleId, nowMs: number, measured: Pick<RunAlert, 'step' | 'value' | 'threshold' | 'median' | 'minutes'>): RunAlert[] {
    if (node.fired.has(rule)) return [];
    node.fired.add(rule);
    const base = { id: `${nodeId}:${rule}`, rule, nodeId, at: new Date(nowMs).toISOString(), action: node.rules[rule].action, ...measured };
    const alert: RunAlert = { ...base, message: '' };
    for (const key of ['step', 'value', 'threshold', 'median', 'minutes'] as const) if (alert[key] === undefined) delete alert[key];
    alert.message = describeAlert(alert);
    return [alert];
  }
}
