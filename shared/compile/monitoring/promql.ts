/** PromQL pieces the dashboard and the rules share: selectors scoped to one pipeline, and the join from pods to steps. */
import { PIPEWRIGHT } from './metrics.ts';

/** Which series of Pipewright's metrics: one pipeline, and in the dashboard its `$run` / `$node` variables. */
export interface Scope {
  pipeline: string;
  /** The dashboard's variables (`run=~"$run"`, `node=~"$node"`); the rules watch every run and node. */
  variables: boolean;
}

function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** `metric{pipeline="x", run=~"$run", node=~"$node", extra...}`; `raw` matchers go in as written. */
export function selector(metric: string, scope: Scope, extra: Record<string, string> = {}, raw: string[] = []): string {
  const matchers = [`pipeline=${quote(scope.pipeline)}`];
  if (scope.variables) matchers.push('run=~"$run"', 'node=~"$node"');
  for (const [label, value] of Object.entries(extra)) matchers.push(`${label}=${quote(value)}`);
  return `${metric}{${[...matchers, ...raw].join(', ')}}`;
}

/** `metric{label="value", ...}`, or the bare name without matchers. */
export function plainSelector(metric: string, matchers: Record<string, string>): string {
  const list = Object.entries(matchers).map(([label, value]) => `${label}=${quote(value)}`);
  return list.length > 0 ? `${metric}{${list.join(', ')}}` : metric;
}

/**
 * A metric keyed by `pod` (DCGM, kube-state-metrics), given the pipeline, run and node of the step that pod
 * runs. Steps outside Kubernetes push no `pod`, so they never match a pod (nor a GPU no pod uses).
 */
export function perStep(expr: string, scope: Scope): string {
  return `${expr} * on (pod) group_left (pipeline, run, node) max by (pod, pipeline, run, node) (${selector(PIPEWRIGHT.info, scope, {}, ['pod!=""'])})`;
}

/** A matcher for the namespace the pipeline's pods run in (the dashboard's `$namespace`, or the document's). */
export function namespaceMatcher(namespace: string | undefined, variables: boolean): Record<string, string> {
  if (variables) return { namespace: '$namespace' };
  return namespace ? { namespace } : {};
}
