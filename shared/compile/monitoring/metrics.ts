/**
 * The metric names the monitoring exports query, as each exporter really spells them:
 * - Pipewright's own, pushed by the step scripts to a Pushgateway (node-catalog/_lib/pushgateway.py);
 *   every series carries `pipeline`, `run`, `node` and `stage` (the grouping key) and `job="pipewright"`.
 * - NVIDIA DCGM exporter, with Kubernetes pod mapping on (DCGM_EXPORTER_KUBERNETES=true): `pod`,
 *   `namespace`, `container` name the pod using each GPU.
 * - Argo Workflows' workflow-controller, v3.6 and later (OpenTelemetry metrics); v3.5 and earlier
 *   exported `argo_workflows_count{status}` instead of `argo_workflows_gauge`, whose phase label is `status`
 *   in 3.6 and `phase` from 3.7.
 * - kube-state-metrics: pod phases and container restarts.
 */

export const PIPEWRIGHT = {
  loss: 'pipewright_train_loss',
  learningRate: 'pipewright_train_learning_rate',
  tokensPerSecond: 'pipewright_train_tokens_per_second',
  epoch: 'pipewright_train_epoch',
  gradNorm: 'pipewright_train_grad_norm',
  step: 'pipewright_train_step',
  evalMetric: 'pipewright_eval_metric',
  stepMetric: 'pipewright_step_metric',
  progressCurrent: 'pipewright_step_progress_current',
  progressTotal: 'pipewright_step_progress_total',
  lastProgress: 'pipewright_step_last_progress_timestamp_seconds',
  started: 'pipewright_step_start_timestamp_seconds',
  ended: 'pipewright_step_end_timestamp_seconds',
  duration: 'pipewright_step_duration_seconds',
  status: 'pipewright_step_status',
  /** 1, with `pod` (on Kubernetes) and `host`: joins exporter metrics keyed by pod to pipeline, run and node. */
  info: 'pipewright_step_info',
} as const;

export const DCGM = {
  /** GPU utilization, percent (0-100). */
  gpuUtil: 'DCGM_FI_DEV_GPU_UTIL',
  /** Frame buffer (GPU memory) in use, MiB. */
  memoryUsed: 'DCGM_FI_DEV_FB_USED',
} as const;

export const ARGO = {
  /** Workflows the controller sees, by phase (Pending, Running, Succeeded, Failed, Error): labelled `phase` from Argo 3.7, `status` in 3.6; Argo >= 3.6. */
  workflows: 'argo_workflows_gauge',
  /** The same gauge as Argo <= 3.5 named it, labelled `status`. */
  workflowsLegacy: 'argo_workflows_count',
  /** Counter of workflows entering each `phase`, by `namespace`; Argo >= 3.6. */
  workflowsTotal: 'argo_workflows_total_count',
} as const;

export const KUBE_STATE = {
  /** 1 for the pod's current `phase` (Pending, Running, Succeeded, Failed, Unknown), 0 for the others. */
  podPhase: 'kube_pod_status_phase',
  containerRestarts: 'kube_pod_container_status_restarts_total',
} as const;
