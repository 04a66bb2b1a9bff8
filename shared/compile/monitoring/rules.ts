/**
 * The pipeline's Prometheus alerting rules: the source tutorial's three (a step failed, GPUs under 50 %
 * for 10 minutes, the loss up by 0.1 in an hour) plus a non-finite loss and a stalled step. Thresholds
 * follow the document's `settings.alerts` (the same numbers Pipewright itself acts on while it watches).
 */
import { resolveAlertRules } from '../../alerts/config.ts';
import type { AlertSettings } from '../../alerts/types.ts';
import type { YamlValue } from '../emitYaml.ts';
import { ARGO, DCGM, KUBE_STATE, PIPEWRIGHT } from './metrics.ts';
import { perStep, plainSelector, selector } from './promql.ts';
import type { Scope } from './promql.ts';

export interface AlertRule {
  alert: string;
  expr: string;
  for: string;
  labels: { severity: 'critical' | 'warning'; [key: string]: string };
  annotations: { summary: string; description: string };
}

export interface RuleGroup {
  name: string;
  interval: string;
  rules: AlertRule[];
}

/** How long a failed step's alert stays firing: its Pushgateway group keeps the failure until someone deletes it. */
const FAILED_FOR_SECONDS = 6 * 3600;

const WHERE = 'pipeline {{ $labels.pipeline }}, run {{ $labels.run }}, node {{ $labels.node }}';

function minutes(n: number): string {
  const seconds = Math.round(n * 60);
  return seconds % 60 === 0 ? `${seconds / 60}m` : `${seconds}s`;
}

export function alertRuleGroups(pipeline: string, namespace: string | undefined, alerts: AlertSettings | undefined): RuleGroup[] {
  const scope: Scope = { pipeline, variables: false };
  const sel = (metric: string, extra?: Record<string, string>) => selector(metric, scope, extra);
  const steps = ['pipeline', 'run', 'node'].join(', ');
  const rules = resolveAlertRules(alerts, undefined);
  const idle = rules.gpuIdle;
  const stallSeconds = Math.round(rules.stall.minutes * 60);
  const ns: Record<string, string> = namespace ? { namespace } : {};
  const list: AlertRule[] = [
    {
      alert: 'PipewrightStepFailed',
      expr: `max by (${steps}) (${sel(PIPEWRIGHT.status, { status: 'failed' })}) == 1 and on (${steps}) (time() - max by (${steps}) (${sel(PIPEWRIGHT.ended)}) < ${FAILED_FOR_SECONDS})`,
      for: '0m',
      labels: { severity: 'critical' },
      annotations: { summary: `Pipewright step {{ $labels.node }} of ${pipeline} failed`, description: `The step failed (${WHERE}); see its log in Pipewright. The alert clears 6 hours after the step ended.` },
    },
    {
      alert: 'PipewrightPodFailed',
      expr: `${perStep(`(${plainSelector(KUBE_STATE.podPhase, { ...ns, phase: 'Failed' })} == 1)`, scope)} > 0`,
      for: '0m',
      labels: { severity: 'critical' },
      annotations: { summary: `A pod of ${pipeline} failed ({{ $labels.node }})`, description: `Pod {{ $labels.pod }} of ${WHERE} is Failed (OOM kill, eviction, crash): a killed step cannot report its own failure.` },
    },
    {
      alert: 'PipewrightArgoWorkflowFailed',
      expr: `sum by (namespace) (increase(${ARGO.workflowsTotal}{${namespace ? `namespace="${namespace}", ` : ''}phase=~"Failed|Error"}[10m])) > 0`,
      for: '0m',
      labels: { severity: 'warning' },
      annotations: { summary: 'An Argo workflow failed in namespace {{ $labels.namespace }}', description: `Argo's workflow-controller (v3.6 or later) counted {{ $value | printf "%.0f" }} workflow(s) entering Failed or Error in the last 10 minutes in {{ $labels.namespace }}.` },
    },
    {
      alert: 'PipewrightGpuUnderutilized',
      expr: `avg by (${steps}) (${perStep(plainSelector(DCGM.gpuUtil, ns), scope)}) < ${idle.utilization}`,
      for: minutes(idle.minutes),
      labels: { severity: 'warning' },
      annotations: { summary: `GPUs of {{ $labels.node }} (${pipeline}) under ${idle.utilization}% for ${minutes(idle.minutes)}`, description: `DCGM reports {{ $value | printf "%.0f" }}% average GPU utilization for ${WHERE}: the step pays for GPUs it does not use.` },
    },
    {
      alert: 'PipewrightLossIncreasing',
      expr: `delta(${sel(PIPEWRIGHT.loss)}[1h]) > 0.1`,
      for: '10m',
      labels: { severity: 'warning' },
      annotations: { summary: `Training loss of {{ $labels.node }} (${pipeline}) rose by more than 0.1 in an hour`, description: `The loss of ${WHERE} went up by {{ $value | printf "%.3f" }} over the last hour.` },
    },
    {
      alert: 'PipewrightLossNotFinite',
      expr: `(${sel(PIPEWRIGHT.loss)} != ${sel(PIPEWRIGHT.loss)}) or (abs(${sel(PIPEWRIGHT.loss)}) == +Inf)`,
      for: '1m',
      labels: { severity: 'critical' },
      annotations: { summary: `Training loss of {{ $labels.node }} (${pipeline}) is NaN or infinite`, description: `The loss of ${WHERE} is {{ $value }}: training has diverged; stop it and lower the learning rate or check the data.` },
    },
    {
      alert: 'PipewrightStepStalled',
      expr: `(time() - ${sel(PIPEWRIGHT.lastProgress)} > ${stallSeconds}) and ignoring (status) (${sel(PIPEWRIGHT.status, { status: 'running' })} == 1)`,
      for: '1m',
      labels: { severity: 'warning' },
      annotations: { summary: `Step {{ $labels.node }} of ${pipeline} made no progress for ${minutes(rules.stall.minutes)}`, description: `No metric or progress record from ${WHERE} for {{ $value | humanizeDuration }} while it is running (hung, deadlocked, or killed without a word).` },
    },
  ];
  return [{ name: `pipewright-${pipeline}`, interval: '30s', rules: list }];
}

/** The groups as YAML data (`for` before labels, as rule files usually read). */
export function ruleGroupsYaml(groups: RuleGroup[]): YamlValue[] {
  return groups.map((g) => ({
    name: g.name,
    interval: g.interval,
    rules: g.rules.map((r) => ({ alert: r.alert, expr: r.expr, for: r.for, labels: { ...r.labels }, annotations: { ...r.annotations } })),
  }));
}
