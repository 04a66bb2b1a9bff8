/**
 * Alerts Pipewright acts on while a run is going (`settings.alerts` and `nodes[].alerts` of a document,
 * both optional): a non-finite loss, a loss spike, a stalled step, an idle GPU. Each rule either only
 * notifies or also stops the run, to save GPU hours.
 */

export type AlertAction = 'notify' | 'cancel';
export const ALERT_ACTIONS: readonly AlertAction[] = ['notify', 'cancel'];

export type AlertRuleId = 'nonFiniteLoss' | 'lossSpike' | 'stall' | 'gpuIdle';
export const ALERT_RULES: readonly AlertRuleId[] = ['nonFiniteLoss', 'lossSpike', 'stall', 'gpuIdle'];

export interface AlertRuleConfig {
  /** Default true (gpuIdle also needs a Prometheus URL in the app settings). */
  enabled?: boolean;
  /** Default: the level's `action`, else `notify`. */
  action?: AlertAction;
}

export interface LossSpikeConfig extends AlertRuleConfig {
  /** Fires when a loss exceeds this multiple of the median of the losses before it (default 3). */
  factor?: number;
  /** How many earlier losses the median looks at (default 20; at least 5 must have been seen). */
  window?: number;
}

export interface StallConfig extends AlertRuleConfig {
  /** Minutes without a new metric or progress record while the step runs (default 30). */
  minutes?: number;
}

export interface GpuIdleConfig extends AlertRuleConfig {
  /** Percent: DCGM_FI_DEV_GPU_UTIL averaged over the step's GPUs below this is idle (default 50). */
  utilization?: number;
  /** Minutes the GPUs must stay idle once training has begun (default 10). */
  minutes?: number;
}

/** The same shape at pipeline level (`settings.alerts`) and node level (`nodes[].alerts`, which wins). */
export interface AlertSettings {
  /** Action of every rule that names none. */
  action?: AlertAction;
  nonFiniteLoss?: AlertRuleConfig;
  lossSpike?: LossSpikeConfig;
  stall?: StallConfig;
  gpuIdle?: GpuIdleConfig;
}

/** An alert that fired during a run: kept in the run record, shown as a banner and a chart marker. */
export interface RunAlert {
  /** `<node id>:<rule>`: each rule fires at most once per node and run. */
  id: string;
  rule: AlertRuleId;
  nodeId: string;
  /** The step the node had reached (the metric record's step) when it fired. */
  step?: number;
  /** ISO time it fired. */
  at: string;
  action: AlertAction;
  /** What was measured: the loss, the GPU utilization (%), the minutes without progress. */
  value?: number;
  /** What it was compared with: the spike limit, the utilization threshold, the stall minutes. */
  threshold?: number;
  /** The recent median loss, for a spike. */
  median?: number;
  /** How long the condition lasted when it fired, in minutes (stall, gpuIdle). */
  minutes?: number;
  /** One English sentence (CLI, logs); the app writes its own from the fields above in the user's language. */
  message: string;
}
