import type { LogStore } from '../logs.ts';
import type { ObjectStore } from '../store.ts';
import type { KubeObject, StoredEvent } from '../types.ts';
import { clone, isRecord } from '../types.ts';
import { jsonEqual } from '../equal.ts';
import type { ScriptedBehavior, StepBehavior, StepSelector } from './behavior.ts';
import { BEHAVIOR_ANNOTATION, behaviorForAttempt, workflowMatches } from './behavior.ts';
import type { EngineHost, WfNode } from './engine.ts';
import { WorkflowEngine, isTerminal } from './engine.ts';
import { recordEvent } from './events.ts';
import { Kubelet } from './kubelet.ts';
import type { Template } from './pods.ts';
import type { ExecuteOptions } from './exec.ts';
import { COMPLETED_LABEL, WORKFLOW_LABEL, buildPod, userArgv } from './pods.ts';
import { defaultScript } from './scripts.ts';
import { TimerGroup, nowSeconds } from './timers.ts';

const WORKFLOWS = { resource: 'workflows', group: 'argoproj.io' };
const PODS = { resource: 'pods', group: '' };
const SOURCE = { component: 'workflow-controller' };

/** Names a step answers to in a StepSelector: task, template and, for a KFP `.executor` pod, its pipeline task. */
function stepNames(node: WfNode): string[] {
  const display = node.displayName.replace(/\(\d+\)$/, '');
  const names = [display, node.templateName];
  const parts = node.name.split('.').map((p) => p.replace(/\(\d+\)$/, ''));
  if (parts[parts.length - 1] === 'executor' && parts.length >= 2) names.unshift(parts[parts.length - 2]);
  return names;
}

/**
 * Argo's workflow controller, in miniature: it watches Workflows in the store, runs their DAGs,
 * creates one pod per step (run by the emulated kubelet) and writes `status` as Argo does.
 */
export class WorkflowController {
  private readonly kubelet: Kubelet;
  private readonly scripted: ScriptedBehavior[] = [];
  private readonly queue = new Set<string>();
  private readonly timers = new Map<string, TimerGroup>();
  private readonly terminalSince = new Map<string, number>();
  private readonly deadlineTimers = new Set<string>();
  private unsubscribe: (() => void) | undefined;
  private flushing = false;

  constructor(
    private readonly store: ObjectStore,
    logs: LogStore,
    private readonly scale: () => number,
    private readonly execute?: ExecuteOptions,
  ) {
    this.kubelet = new Kubelet(store, logs, scale, execute);
    this.logs = logs;
  }

  private readonly logs: LogStore;

  start(): void {
    this.unsubscribe = this.store.subscribe((event) => this.onEvent(event));
    for (const wf of this.store.list('workflows')) this.enqueue(wf.metadata.namespace!, wf.metadata.name);
  }

  stop(): void {
    this.unsubscribe?.();
    for (const t of this.timers.values()) t.cancel();
    this.timers.clear();
    this.kubelet.stopAll();
  }

  /** Scripts matching steps (later calls win over earlier ones); see StepBehavior. */
  setStepBehavior(selector: StepSelector, behavior: StepBehavior): void {
    this.scripted.push({ selector, behavior });
  }

  clearStepBehaviors(): void {
    this.scripted.length = 0;
  }

  /** Argo's `retry`: failed, errored and omitted nodes (and their pods) are reset and the workflow runs again. */
  retryWorkflow(namespace: string, name: string): void {
    this.store.mutate(WORKFLOWS, namespace, name, (wf) => {
      const status = (wf.status ?? {}) as Record<string, unknown>;
      const nodes = (status.nodes ?? {}) as Record<string, WfNode>;
      for (const [id, node] of Object.entries(nodes)) {
        if (node.phase === 'Succeeded' || node.phase === 'Skipped') continue;
        if (node.type === 'DAG' || (node.type === 'Retry' && !isTerminal(node.phase))) {
          node.phase = 'Running';
          node.finishedAt = null;
          delete node.message;
          continue;
        }
        delete nodes[id];
        this.terminalSince.delete(id);
        for (const other of Object.values(nodes)) if (other.children) other.children = other.children.filter((c) => c !== id);
        const pod = this.store.list('pods', namespace, (p) => p.metadata.annotations?.['workflows.argoproj.io/node-id'] === id)[0];
        if (pod) this.deletePod(namespace, pod.metadata.name);
      }
      status.phase = 'Running';
      status.finishedAt = null;
      delete status.message;
      if (isRecord(wf.spec)) delete wf.spec.shutdown;
      // A terminated workflow's deadline is unset by the retry (KFP's GenerateRetryExecution does this too).
      if (isRecord(wf.spec) && wf.spec.activeDeadlineSeconds === 0) delete wf.spec.activeDeadlineSeconds;
    });
  }

  private onEvent(event: StoredEvent): void {
    const o = event.object;
    if (event.resource === 'workflows') {
      if (event.type === 'DELETED') this.cleanUp(o);
      else this.enqueue(o.metadata.namespace!, o.metadata.name);
    } else if (event.resource === 'pods' && event.type === 'MODIFIED') {
      const wf = o.metadata.labels?.[WORKFLOW_LABEL];
      if (wf) this.enqueue(o.metadata.namespace!, wf);
    }
  }

  private enqueue(namespace: string, name: string): void {
    this.queue.add(`${namespace}/${name}`);
    if (!this.flushing) {
      this.flushing = true;
      setImmediate(() => this.flush());
    }
  }

  private flush(): void {
    this.flushing = false;
    const keys = [...this.queue];
    this.queue.clear();
    for (const key of keys) {
      const [namespace, name] = key.split('/');
      try {
        this.reconcile(namespace, name);
      } catch (err) {
        // Argo marks a workflow it cannot make sense of as Error with "invalid spec: ...".
        this.store.mutate(WORKFLOWS, namespace, name, (wf) => {
          const status = (isRecord(wf.status) ? wf.status : (wf.status = {})) as Record<string, unknown>;
          status.phase = 'Error';
          status.message = `invalid spec: ${(err as Error).message}`;
          status.finishedAt = nowSeconds();
        });
      }
    }
  }

  private timersFor(namespace: string, name: string): TimerGroup {
    const key = `${namespace}/${name}`;
    let group = this.timers.get(key);
    if (!group) {
      group = new TimerGroup(this.scale);
      this.timers.set(key, group);
    }
    return group;
  }

  private behaviorFor(wf: KubeObject, node: WfNode): StepBehavior {
    const names = stepNames(node);
    const attempt = Number(/\((\d+)\)$/.exec(node.name)?.[1] ?? 0);
    let chosen: StepBehavior | undefined;
    for (const s of this.scripted) {
      if (workflowMatches(s.selector, wf.metadata.name, wf.metadata.generateName) && names.includes(s.selector.step)) chosen = s.behavior;
    }
    const annotation = wf.metadata.annotations?.[BEHAVIOR_ANNOTATION];
    if (annotation) {
      try {
        const byStep = JSON.parse(annotation) as Record<string, StepBehavior>;
        const hit = names.find((n) => byStep[n]);
        if (hit) chosen = { ...chosen, ...byStep[hit] };
      } catch {
        // A malformed annotation leaves the step unscripted.
      }
    }
    return behaviorForAttempt(chosen ?? {}, attempt);
  }

  private host(wf: KubeObject): EngineHost {
    const namespace = wf.metadata.namespace!;
    return {
      ensurePod: (workflow, node, template: Template, lookup) => {
        const pod = buildPod({ workflow, nodeName: node.name, nodeId: node.id, template, lookup });
        const existing = this.store.tryGet('pods', namespace, pod.metadata.name);
        if (existing) return existing;
        if (node.phase !== 'Pending' || node.hostNodeName) return undefined;
        const created = this.store.create(PODS, pod);
        const behavior = this.behaviorFor(workflow, node);
        const step = stepNames(node)[0];
        const image = String(((created.spec as Record<string, unknown>).containers as Array<Record<string, unknown>>)[1].image ?? '');
        const lines = behavior.lines ?? (this.execute ? null : defaultScript({ step, templateName: template.name, image, argv: userArgv(created) }));
        this.kubelet.start(created, behavior, lines);
        return created;
      },
      retryDelayElapsed: (node, delayMs) => {
        const since = this.terminalSince.get(node.id) ?? Date.now();
        this.terminalSince.set(node.id, since);
        const waitMs = delayMs * this.scale() - (Date.now() - since);
        if (waitMs <= 0) return true;
        this.timersFor(namespace, wf.metadata.name).after(waitMs / this.scale() + 1, () => this.enqueue(namespace, wf.metadata.name));
        return false;
      },
    };
  }

  private reconcile(namespace: string, name: string): void {
    const stored = this.store.peek('workflows', namespace, name);
    if (!stored) return;
    const wf = clone(stored) as KubeObject;
    const status = (isRecord(wf.status) ? wf.status : (wf.status = {})) as Record<string, unknown>;
    if (!status.phase) {
      status.phase = 'Running';
      status.startedAt = nowSeconds();
      status.finishedAt = null;
      status.progress = '0/0';
      recordEvent(this.store, wf, 'Normal', 'WorkflowRunning', 'Workflow Running', SOURCE);
    }
    if (isTerminal(String(status.phase))) return;
    // The stored copy is replaced, never changed, so its nodes are the phases before this pass.
    const previous = ((stored.status as Record<string, unknown> | undefined)?.nodes ?? {}) as Record<string, WfNode>;
    const shutdown = isRecord(wf.spec) ? wf.spec.shutdown : undefined;
    if (shutdown === 'Terminate' || shutdown === 'Stop') this.shutDown(wf, `Stopped with strategy '${String(shutdown)}'`);
    else if (this.pastDeadline(wf)) this.shutDown(wf, 'Step exceeded its deadline');
    else {
      const phase = new WorkflowEngine(wf, this.host(wf)).run();
      if (isTerminal(phase)) this.complete(wf, phase);
    }
    const nodes = (status.nodes ?? {}) as Record<string, WfNode>;
    const pods = Object.values(nodes).filter((n) => n.type === 'Pod');
    status.progress = `${pods.filter((n) => n.phase === 'Succeeded').length}/${pods.length}`;
    this.nodeEvents(wf, previous, nodes);
    if (!jsonEqual(wf, stored)) this.store.update(WORKFLOWS, wf);
  }

  private nodeEvents(wf: KubeObject, previous: Record<string, WfNode>, nodes: Record<string, WfNode>): void {
    for (const node of Object.values(nodes)) {
      if (node.type !== 'Pod' || previous[node.id]?.phase === node.phase) continue;
      const reason = { Running: 'WorkflowNodeRunning', Succeeded: 'WorkflowNodeSucceeded', Failed: 'WorkflowNodeFailed', Error: 'WorkflowNodeError' }[node.phase as string];
      if (!reason) continue;
      const message = `${node.phase === 'Running' ? 'Running' : node.phase} node ${node.name}${node.message && node.phase !== 'Running' ? `: ${node.message}` : ''}`;
      recordEvent(this.store, wf, node.phase === 'Failed' || node.phase === 'Error' ? 'Warning' : 'Normal', reason, message, SOURCE);
    }
  }

  private complete(wf: KubeObject, phase: string): void {
    const status = wf.status as Record<string, unknown>;
    const root = (status.nodes as Record<string, WfNode>)[wf.metadata.name];
    status.phase = phase === 'Succeeded' ? 'Succeeded' : phase === 'Error' ? 'Error' : 'Failed';
    status.finishedAt = nowSeconds();
    if (status.phase !== 'Succeeded' && root?.message) status.message = root.message;
    status.conditions = [{ type: 'PodRunning', status: 'False' }, { type: 'Completed', status: 'True' }];
    this.markPodsCompleted(wf);
    recordEvent(this.store, wf, status.phase === 'Succeeded' ? 'Normal' : 'Warning', status.phase === 'Succeeded' ? 'WorkflowSucceeded' : 'WorkflowFailed', status.phase === 'Succeeded' ? 'Workflow completed' : String(status.message ?? 'Workflow failed'), SOURCE);
  }

  private markPodsCompleted(wf: KubeObject): void {
    for (const pod of this.store.list('pods', wf.metadata.namespace, (p) => p.metadata.labels?.[WORKFLOW_LABEL] === wf.metadata.name)) {
      this.store.mutate(PODS, pod.metadata.namespace, pod.metadata.name, (p) => {
        p.metadata.labels = { ...p.metadata.labels, [COMPLETED_LABEL]: 'true' };
      });
    }
  }

  /**
   * `spec.activeDeadlineSeconds` (emulated seconds since the workflow started): Argo stops its pods with
   * "Step exceeded its deadline". KFP's terminate sets it to 0. Until then a timer wakes the workflow.
   */
  private pastDeadline(wf: KubeObject): boolean {
    const limit = isRecord(wf.spec) ? wf.spec.activeDeadlineSeconds : undefined;
    if (typeof limit !== 'number') return false;
    if (limit <= 0) return true;
    const started = Date.parse(String((wf.status as Record<string, unknown>).startedAt ?? ''));
    const leftMs = limit * 1000 - (Date.now() - started) / this.scale();
    if (leftMs <= 0) return true;
    const key = `${wf.metadata.namespace}/${wf.metadata.name}`;
    if (!this.deadlineTimers.has(key)) {
      this.deadlineTimers.add(key);
      this.timersFor(wf.metadata.namespace!, wf.metadata.name).after(leftMs + 1, () => {
        this.deadlineTimers.delete(key);
        this.enqueue(wf.metadata.namespace!, wf.metadata.name);
      });
    }
    return false;
  }

  /** `spec.shutdown` or a passed deadline: running pods are stopped and every unfinished node fails, as Argo does. */
  private shutDown(wf: KubeObject, message: string): void {
    const status = wf.status as Record<string, unknown>;
    const nodes = (status.nodes ?? {}) as Record<string, WfNode>;
    for (const pod of this.store.list('pods', wf.metadata.namespace, (p) => p.metadata.labels?.[WORKFLOW_LABEL] === wf.metadata.name)) {
      this.kubelet.kill(pod.metadata.namespace!, pod.metadata.name, message);
    }
    for (const node of Object.values(nodes)) {
      if (isTerminal(node.phase)) continue;
      node.phase = 'Failed';
      node.message = message;
      node.finishedAt = nowSeconds();
    }
    status.phase = 'Failed';
    status.message = message;
    status.finishedAt = nowSeconds();
    this.markPodsCompleted(wf);
    recordEvent(this.store, wf, 'Warning', 'WorkflowFailed', message, SOURCE);
  }

  private deletePod(namespace: string, name: string): void {
    this.kubelet.forget(namespace, name);
    this.logs.removePod(namespace, name);
    if (this.store.tryGet('pods', namespace, name)) this.store.delete(PODS, namespace, name);
  }

  /** The garbage collector's part: a deleted Workflow's pods go too. */
  private cleanUp(wf: KubeObject): void {
    const namespace = wf.metadata.namespace!;
    this.timers.get(`${namespace}/${wf.metadata.name}`)?.cancel();
    this.timers.delete(`${namespace}/${wf.metadata.name}`);
    for (const pod of this.store.list('pods', namespace, (p) => p.metadata.ownerReferences?.some((r) => r.uid === wf.metadata.uid) ?? false)) {
      this.kubelet.kill(namespace, pod.metadata.name, 'workflow deleted');
      this.deletePod(namespace, pod.metadata.name);
    }
  }
}
