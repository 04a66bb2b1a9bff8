/**
 * Run state from run events: one pure reducer used by the back end (run history) and usable by the
 * renderer's store. It never mutates its input; it returns the same object when nothing changed.
 */
import { TERMINAL_NODE_PHASES } from './types.ts';
import type { NodeRunState, RunEvent, RunSummary } from './types.ts';

function withNode<T extends RunSummary>(run: T, nodeId: string, update: (node: NodeRunState) => NodeRunState): T {
  const before = run.nodes[nodeId] ?? { phase: 'pending' };
  const after = update(before);
  return after === before ? run : { ...run, nodes: { ...run.nodes, [nodeId]: after } };
}

export function applyNodePhase(node: NodeRunState, phase: NodeRunState['phase'], at: string, message?: string): NodeRunState {
  const next: NodeRunState = { ...node, phase };
  if (message !== undefined) next.message = message;
  else if (phase === 'running' || phase === 'pending') delete next.message;
  if (phase === 'running') {
    if (node.phase !== 'running') next.startedAt = at;
    delete next.finishedAt;
  } else if (TERMINAL_NODE_PHASES.includes(phase)) {
    next.startedAt ??= at;
    next.finishedAt = at;
  }
  return next;
}

export function applyRunEvent<T extends RunSummary>(run: T, event: RunEvent): T {
  switch (event.kind) {
    case 'run-phase': {
      const next: T = { ...run, phase: event.phase };
      if (event.message !== undefined) next.message = event.message;
      if (event.phase === 'succeeded' || event.phase === 'failed' || event.phase === 'cancelled' || event.phase === 'error') next.finishedAt = event.at;
      else delete next.finishedAt;
      return next;
    }
    case 'node-phase':
      return withNode(run, event.nodeId, (node) => applyNodePhase(node, event.phase, event.at, event.message));
    case 'node-info':
      return withNode(run, event.nodeId, (node) => ({
        ...node,
        ...(event.engine !== undefined ? { engine: event.engine } : {}),
        ...(event.podName !== undefined ? { podName: event.podName } : {}),
        ...(event.deploy !== undefined ? { deploy: event.deploy } : {}),
        ...(event.mlflow !== undefined ? { mlflow: { ...node.mlflow, ...event.mlflow } } : {}),
        ...(event.outputs !== undefined ? { outputs: { ...node.outputs, ...event.outputs } } : {}),
      }));
    case 'progress':
      return withNode(run, event.nodeId, (node) => ({ ...node, progress: event.progress }));
    case 'hint':
      return withNode(run, event.nodeId, (node) => ({ ...node, hint: event.hint }));
    case 'metrics': {
      if (event.records.length === 0) return run;
      return withNode(run, event.nodeId, (node) => {
        const lastMetrics = { ...node.lastMetrics };
        for (const record of event.records) Object.assign(lastMetrics, record.values);
        return { ...node, lastMetrics };
      });
    }
    case 'alert': {
      if (run.alerts?.some((a) => a.id === event.alert.id)) return run;
      return { ...run, alerts: [...(run.alerts ?? []), event.alert] };
    }
    case 'log':
    case 'connection':
      return run;
  }
}

/** Every event that turns `before` into `after` (phases, info, progress, hints, alerts; not logs or metrics). */
export function diffRunState(before: RunSummary, after: RunSummary, at: string): RunEvent[] {
  const runId = after.id;
  const events: RunEvent[] = [];
  for (const [nodeId, node] of Object.entries(after.nodes)) {
    const old = before.nodes[nodeId];
    if (!old || old.phase !== node.phase || old.message !== node.message) {
      events.push({ kind: 'node-phase', runId, nodeId, phase: node.phase, at: node.finishedAt ?? node.startedAt ?? at, ...(node.message !== undefined ? { message: node.message } : {}) });
    }
    const deployChanged = node.deploy !== undefined && JSON.stringify(node.deploy) !== JSON.stringify(old?.deploy);
    const mlflowChanged = node.mlflow !== undefined && JSON.stringify(node.mlflow) !== JSON.stringify(old?.mlflow);
    const outputsChanged = node.outputs !== undefined && JSON.stringify(node.outputs) !== JSON.stringify(old?.outputs);
    if ((node.engine !== undefined && node.engine !== old?.engine) || (node.podName !== undefined && node.podName !== old?.podName) || deployChanged || mlflowChanged || outputsChanged) {
      events.push({
        kind: 'node-info', runId, nodeId,
        ...(node.engine !== undefined ? { engine: node.engine } : {}),
        ...(node.podName !== undefined ? { podName: node.podName } : {}),
        ...(deployChanged ? { deploy: node.deploy } : {}),
        ...(mlflowChanged ? { mlflow: node.mlflow } : {}),
        ...(outputsChanged ? { outputs: node.outputs } : {}),
      });
    }
    if (node.progress && JSON.stringify(node.progress) !== JSON.stringify(old?.progress)) events.push({ kind: 'progress', runId, nodeId, progress: node.progress });
    if (node.hint !== undefined && JSON.stringify(node.hint) !== JSON.stringify(old?.hint)) events.push({ kind: 'hint', runId, nodeId, hint: node.hint });
  }
  for (const alert of after.alerts ?? []) {
    if (!before.alerts?.some((a) => a.id === alert.id)) events.push({ kind: 'alert', runId, nodeId: alert.nodeId, alert });
  }
  if (before.phase !== after.phase || before.message !== after.message) {
    events.push({ kind: 'run-phase', runId, phase: after.phase, at: after.finishedAt ?? at, ...(after.message !== undefined ? { message: after.message } : {}) });
  }
  return events;
}
