/**
 * The Deployment controller and Argo Rollouts' controller, in miniature, for what deploy applies:
 * - Deployments: replicas become updated, ready and available (Available / Progressing conditions), or
 *   never ready (a scripted failure) until progressDeadlineSeconds: Progressing False ProgressDeadlineExceeded.
 * - Services of type LoadBalancer get status.loadBalancer.ingress.
 * - Rollouts (canary, template or workloadRef): the first revision goes straight to 100 % (Argo skips the
 *   steps when there is no stable ReplicaSet yet); a new pod template walks the steps (setWeight, pause
 *   with duration: pauseConditions CanaryPauseStep, phase Paused), starts the background analysis at
 *   `startingStep`, promotes (stableRS = currentPodHash, phase Healthy). A Failed or Error analysis aborts
 *   (status.abort, abortedAt, phase Degraded, message `RolloutAborted: ...`); an Inconclusive one pauses with
 *   InconclusiveAnalysis. status.abort set by a client aborts the same way.
 * - AnalysisRuns: each metric measured every `interval`, `count` times, with the Prometheus answer the test
 *   scripts (`prometheus`); success/failure conditions evaluated as Argo does (both set and neither true:
 *   Inconclusive), failureLimit / inconclusiveLimit / consecutiveErrorLimit as documented.
 */
import { createHash } from 'node:crypto';
import type { ObjectStore, ResourceKey } from '../store.ts';
import type { KubeObject, StoredEvent } from '../types.ts';
import { isRecord } from '../types.ts';
import { TimerGroup, nowSeconds } from './timers.ts';

const DEPLOYMENTS: ResourceKey = { resource: 'deployments', group: 'apps' };
const SERVICES: ResourceKey = { resource: 'services', group: '' };
const ROLLOUTS: ResourceKey = { resource: 'rollouts', group: 'argoproj.io' };
const RUNS: ResourceKey = { resource: 'analysisruns', group: 'argoproj.io' };

/** What Prometheus answers a query: the vector's values (empty: no series), or an Error (the provider fails). */
export type PrometheusAnswer = (query: string, address: string) => number[] | Error;

export interface RolloutControllerOptions {
  /** Emulated ms until new pods are ready (default 20 s). */
  readyMs?: number;
}

type Obj = KubeObject & { spec?: Record<string, unknown>; status?: Record<string, unknown> };
type Step = { setWeight?: number; pause?: { duration?: string | number } };
type Metric = {
  name: string; interval?: string; count?: number; failureLimit?: number; inconclusiveLimit?: number; consecutiveErrorLimit?: number;
  successCondition?: string; failureCondition?: string; provider?: { prometheus?: { address?: string; query?: string } };
};
type MetricResult = {
  name: string; phase: string; count: number; successful: number; failed: number; inconclusive: number; error: number; consecutiveError: number;
  measurements: Array<Record<string, unknown>>; message?: string;
};

/** Argo/Go durations: 30s, 10m, 1h30m, 500ms; a number is seconds. In emulated ms. */
export function durationMs(value: unknown): number {
  if (typeof value === 'number') return value * 1000;
  const text = String(value ?? '');
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  let total = 0;
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy;
  let m: RegExpExecArray | null;
  let end = 0;
  while ((m = re.exec(text))) {
    total += Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
    end = re.lastIndex;
  }
  if (!text || end !== text.length) throw new Error(`invalid duration ${JSON.stringify(text)}`);
  return total;
}

const EXPR_TOKEN = /\s*(len|result|isNaN|isInf|and|or|not|&&|\|\||!=|==|>=|<=|[<>!()[\],]|\d+(?:\.\d+)?(?:e[+-]?\d+)?)/y;

/** The subset of expr-lang Argo's conditions use (len, result[i], isNaN, isInf, comparisons, and/or/not), refusing anything else. */
export function evaluateCondition(expr: string, result: number[]): boolean {
  let js = '';
  EXPR_TOKEN.lastIndex = 0;
  while (EXPR_TOKEN.lastIndex < expr.length) {
    const at = EXPR_TOKEN.lastIndex;
    const m = EXPR_TOKEN.exec(expr);
    if (!m) {
      if (!expr.slice(at).trim()) break;
      throw new Error(`unsupported expression at ${JSON.stringify(expr.slice(at))}`);
    }
    js += { and: '&&', or: '||', not: '!', '==': '===', '!=': '!==' }[m[1]] ?? m[1];
    js += ' ';
  }
  const fn = new Function('len', 'result', 'isNaN', 'isInf', `"use strict"; return (${js});`) as (...a: unknown[]) => unknown;
  // expr-lang fails on an index past the end (the measurement is an Error), as `result[0]` on an empty vector does in Argo.
  const checked = new Proxy(result, {
    get(target, prop, receiver) {
      if (typeof prop === 'string' && /^\d+$/.test(prop) && Number(prop) >= target.length) throw new Error(`index out of range: ${prop} (array length is ${target.length})`);
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
  const value = fn((a: unknown[]) => a.length, checked, Number.isNaN, (x: number) => !Number.isFinite(x) && !Number.isNaN(x));
  if (typeof value !== 'boolean') throw new Error(`expression ${JSON.stringify(expr)} did not give a boolean`);
  return value;
}

/** One measurement's phase as Argo's EvaluateResult assigns it. */
export function assess(metric: Metric, result: number[]): 'Successful' | 'Failed' | 'Inconclusive' {
  const success = metric.successCondition ? evaluateCondition(metric.successCondition, result) : undefined;
  const failure = metric.failureCondition ? evaluateCondition(metric.failureCondition, result) : undefined;
  if (success === undefined && failure === undefined) return 'Successful';
  if (success !== undefined && failure !== undefined) return failure ? 'Failed' : success ? 'Successful' : 'Inconclusive';
  if (failure !== undefined) return failure ? 'Failed' : 'Successful';
  return success ? 'Successful' : 'Failed';
}

function podHash(template: unknown): string {
  return createHash('sha256').update(JSON.stringify(template ?? {})).digest('hex').slice(0, 10).replace(/[0-9]/g, (d) => 'bcdfghjklm'[Number(d)]);
}

function setCondition(status: Record<string, unknown>, type: string, value: 'True' | 'False', reason: string, message: string): void {
  const now = nowSeconds();
  const conditions = (Array.isArray(status.conditions) ? status.conditions : []) as Array<Record<string, unknown>>;
  const old = conditions.find((c) => c.type === type);
  const next = { type, status: value, reason, message, lastUpdateTime: now, lastTransitionTime: old && old.status === value ? old.lastTransitionTime : now };
  status.conditions = [...conditions.filter((c) => c.type !== type), next];
}

export class RolloutController {
  private unsubscribe: (() => void) | undefined;
  private readonly timers = new Map<string, TimerGroup>();
  private readonly neverReady = new Set<string>();
  prometheus: PrometheusAnswer = () => [0.99];

  constructor(
    private readonly store: ObjectStore,
    private readonly scale: () => number,
    private readonly options: RolloutControllerOptions = {},
  ) {}

  start(): void {
    this.unsubscribe = this.store.subscribe((event) => queueMicrotask(() => this.onEvent(event)));
  }

  stop(): void {
    this.unsubscribe?.();
    for (const t of this.timers.values()) t.cancel();
    this.timers.clear();
  }

  /** A Deployment (namespace/name) whose pods never become ready: it fails at its progress deadline. */
  setNeverReady(namespace: string, name: string, never = true): void {
    if (never) this.neverReady.add(`${namespace}/${name}`);
    else this.neverReady.delete(`${namespace}/${name}`);
  }

  private get readyMs(): number {
    return this.options.readyMs ?? 20_000;
  }

  /** Timers per object and generation of work: a new revision cancels the old one's timers. */
  private group(key: string, fresh = false): TimerGroup {
    let group = this.timers.get(key);
    if (fresh || !group) {
      group?.cancel();
      group = new TimerGroup(this.scale);
      this.timers.set(key, group);
    }
    return group;
  }

  private onEvent(event: StoredEvent): void {
    const o = event.object as Obj;
    const ns = o.metadata.namespace!;
    if (event.type === 'DELETED') {
      this.timers.get(`${event.resource}/${ns}/${o.metadata.name}`)?.cancel();
      return;
    }
    if (event.resource === 'deployments') {
      this.reconcileDeployment(o);
      for (const r of this.store.list('rollouts', ns, (r) => (r.spec as { workloadRef?: { name?: string } })?.workloadRef?.name === o.metadata.name)) this.reconcileRollout(r as Obj);
    } else if (event.resource === 'services') this.reconcileService(o);
    else if (event.resource === 'rollouts') this.reconcileRollout(o);
    else if (event.resource === 'analysisruns') {
      if (event.type === 'ADDED') this.startAnalysis(o);
      const owner = (o.metadata.ownerReferences ?? []).find((r) => r.kind === 'Rollout');
      if (owner) {
        const rollout = this.store.tryGet('rollouts', ns, String(owner.name));
        if (rollout) this.reconcileRollout(rollout as Obj);
      }
    }
  }

  // --- Deployments and Services ---

  private reconcileDeployment(d: Obj): void {
    const ns = d.metadata.namespace!;
    const name = d.metadata.name;
    const generation = d.metadata.generation ?? 1;
    const status = d.status ?? {};
    if (status.observedGeneration === generation) return;
    const replicas = Number(d.spec?.replicas ?? 1);
    this.store.mutate(DEPLOYMENTS, ns, name, (o) => {
      const s = (o.status ?? {}) as Record<string, unknown>;
      s.observedGeneration = generation;
      s.replicas = replicas;
      s.updatedReplicas = 0;
      setCondition(s, 'Progressing', 'True', 'ReplicaSetUpdated', `ReplicaSet "${name}-${podHash((o.spec as { template?: unknown } | undefined)?.template)}" is progressing.`);
      o.status = s;
    });
    const timers = this.group(`deployments/${ns}/${name}`, true);
    if (this.neverReady.has(`${ns}/${name}`) && replicas > 0) {
      const deadline = Number(d.spec?.progressDeadlineSeconds ?? 600) * 1000;
      timers.after(deadline, () => this.store.mutate(DEPLOYMENTS, ns, name, (o) => {
        const s = o.status as Record<string, unknown>;
        setCondition(s, 'Available', 'False', 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.');
        setCondition(s, 'Progressing', 'False', 'ProgressDeadlineExceeded', `ReplicaSet "${name}-${podHash((o.spec as { template?: unknown } | undefined)?.template)}" has timed out progressing.`);
      }));
      return;
    }
    timers.after(replicas > 0 ? this.readyMs : 0, () => this.store.mutate(DEPLOYMENTS, ns, name, (o) => {
      const s = o.status as Record<string, unknown>;
      Object.assign(s, { updatedReplicas: replicas, readyReplicas: replicas, availableReplicas: replicas });
      setCondition(s, 'Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.');
      setCondition(s, 'Progressing', 'True', 'NewReplicaSetAvailable', `ReplicaSet "${name}-${podHash((o.spec as { template?: unknown } | undefined)?.template)}" has successfully progressed.`);
    }));
  }

  private reconcileService(svc: Obj): void {
    if (svc.spec?.type !== 'LoadBalancer' || isRecord(svc.status?.loadBalancer) && Array.isArray((svc.status.loadBalancer as { ingress?: unknown }).ingress)) return;
    const ns = svc.metadata.namespace!;
    const name = svc.metadata.name;
    this.group(`services/${ns}/${name}`).after(5000, () => this.store.mutate(SERVICES, ns, name, (o) => {
      o.status = { loadBalancer: { ingress: [{ ip: '203.0.113.10', ipMode: 'VIP' }] } };
    }));
  }

  // --- Rollouts ---

  private template(r: Obj): unknown {
    const ref = r.spec?.workloadRef as { kind?: string; name?: string } | undefined;
    if (!ref) return r.spec?.template;
    return this.store.peek('deployments', r.metadata.namespace, ref.name ?? '')?.spec as unknown as { template?: unknown } | undefined;
  }

  private steps(r: Obj): Step[] {
    return ((r.spec?.strategy as { canary?: { steps?: Step[] } })?.canary?.steps ?? []) as Step[];
  }

  private reconcileRollout(r: Obj): void {
    const ns = r.metadata.namespace!;
    const name = r.metadata.name;
    const status = (r.status ?? {}) as Record<string, unknown>;
    const ref = r.spec?.workloadRef as { name?: string } | undefined;
    const holder = this.template(r) as { template?: unknown } | undefined;
    if (ref && !holder) {
      this.store.mutate(ROLLOUTS, ns, name, (o) => {
        const s = (o.status ?? {}) as Record<string, unknown>;
        Object.assign(s, { phase: 'Degraded', message: `InvalidSpec: The Rollout "${name}" is invalid: spec.workloadRef.name: Invalid value: "${ref.name}": deployments.apps "${ref.name}" not found` });
        setCondition(s, 'InvalidSpec', 'True', 'InvalidSpec', String(s.message));
        o.status = s;
      });
      return;
    }
    const hash = podHash(ref ? holder?.template : holder);
    if (status.currentPodHash !== hash) return this.newRevision(r, hash);
    this.mutateRollout(ns, name, (s) => {
      s.observedGeneration = String(r.metadata.generation ?? 1);
    });
    if (status.abort) return this.abort(r);
    this.followAnalysis(r);
  }

  private mutateRollout(ns: string, name: string, change: (status: Record<string, unknown>, o: KubeObject) => void): void {
    this.store.mutate(ROLLOUTS, ns, name, (o) => {
      const s = (o.status ?? {}) as Record<string, unknown>;
      change(s, o);
      o.status = s;
    });
  }

  private newRevision(r: Obj, hash: string): void {
    const ns = r.metadata.namespace!;
    const name = r.metadata.name;
    const replicas = Number(r.spec?.replicas ?? 1);
    const revision = Number(r.metadata.annotations?.['rollout.argoproj.io/revision'] ?? 0) + 1;
    const first = !(r.status as { stableRS?: string } | undefined)?.stableRS;
    const steps = this.steps(r);
    const timers = this.group(`rollouts/${ns}/${name}`, true);
    this.store.mutate(ROLLOUTS, ns, name, (o) => {
      o.metadata.annotations = { ...o.metadata.annotations, 'rollout.argoproj.io/revision': String(revision) };
      const s = (o.status ?? {}) as Record<string, unknown>;
      for (const k of ['abort', 'abortedAt', 'pauseConditions', 'controllerPause']) delete s[k];
      Object.assign(s, {
        currentPodHash: hash, observedGeneration: String(o.metadata.generation ?? 1), phase: 'Progressing', message: 'more replicas need to be updated',
        currentStepIndex: first ? steps.length : 0, replicas, updatedReplicas: 0, readyReplicas: first ? 0 : replicas, canary: {},
      });
      setCondition(s, 'Progressing', 'True', 'ReplicaSetUpdated', `Rollout "${name}" is progressing.`);
      o.status = s;
    });
    if (first) {
      // No stable ReplicaSet yet: Argo Rollouts skips the canary steps and the analysis for the first revision.
      timers.after(this.readyMs, () => this.promote(ns, name, hash));
      return;
    }
    timers.after(0, () => this.runStep(ns, name, hash));
  }

  private current(ns: string, name: string, hash: string): Obj | undefined {
    const r = this.store.tryGet('rollouts', ns, name) as Obj | undefined;
    const s = r?.status as { currentPodHash?: string; abort?: boolean } | undefined;
    return r && s?.currentPodHash === hash && !s.abort ? r : undefined;
  }

  private runStep(ns: string, name: string, hash: string): void {
    const r = this.current(ns, name, hash);
    if (!r) return;
    const steps = this.steps(r);
    const index = Number((r.status as { currentStepIndex?: number }).currentStepIndex ?? 0);
    this.startBackgroundAnalysis(r, index, hash);
    if (index >= steps.length) return this.promote(ns, name, hash);
    const step = steps[index];
    const timers = this.group(`rollouts/${ns}/${name}`);
    const next = () => {
      if (!this.current(ns, name, hash)) return;
      this.mutateRollout(ns, name, (s) => {
        s.currentStepIndex = index + 1;
        delete s.pauseConditions;
        delete s.controllerPause;
        s.phase = 'Progressing';
        s.message = 'more replicas need to be updated';
      });
      this.runStep(ns, name, hash);
    };
    if (step.setWeight !== undefined) {
      timers.after(this.readyMs, next);
    } else if (step.pause) {
      this.mutateRollout(ns, name, (s) => {
        Object.assign(s, { pauseConditions: [{ reason: 'CanaryPauseStep', startTime: nowSeconds() }], controllerPause: true, phase: 'Paused', message: 'CanaryPauseStep' });
      });
      if (step.pause.duration !== undefined) timers.after(durationMs(step.pause.duration), next);
    } else timers.after(0, next);
  }

  private promote(ns: string, name: string, hash: string): void {
    const r = this.current(ns, name, hash);
    if (!r) return;
    const replicas = Number(r.spec?.replicas ?? 1);
    this.mutateRollout(ns, name, (s) => {
      Object.assign(s, { stableRS: hash, phase: 'Healthy', message: '', currentStepIndex: this.steps(r).length, replicas, updatedReplicas: replicas, readyReplicas: replicas, availableReplicas: replicas });
      setCondition(s, 'Available', 'True', 'AvailableReason', 'Rollout has minimum availability');
      setCondition(s, 'Healthy', 'True', 'RolloutHealthy', 'Rollout is healthy');
      setCondition(s, 'Progressing', 'True', 'NewReplicaSetAvailable', `Rollout "${name}" has successfully progressed.`);
    });
    const running = (r.status as { canary?: { currentBackgroundAnalysisRunStatus?: { name?: string } } }).canary?.currentBackgroundAnalysisRunStatus?.name;
    if (running) this.store.mutate(RUNS, ns, running, (o) => {
      if (o.spec) (o.spec as Record<string, unknown>).terminate = true;
    });
  }

  private abort(r: Obj, reason?: string): void {
    const ns = r.metadata.namespace!;
    const name = r.metadata.name;
    const status = r.status as { abortedAt?: string; canary?: { currentBackgroundAnalysisRunStatus?: { name?: string } } };
    if (status.abortedAt) return;
    this.group(`rollouts/${ns}/${name}`, true);
    const revision = r.metadata.annotations?.['rollout.argoproj.io/revision'] ?? '1';
    this.mutateRollout(ns, name, (s) => {
      Object.assign(s, { abort: true, abortedAt: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), phase: 'Degraded', message: `RolloutAborted: Rollout aborted update to revision ${revision}${reason ? `: ${reason}` : ''}` });
      delete s.pauseConditions;
      delete s.controllerPause;
      setCondition(s, 'Progressing', 'False', 'RolloutAborted', String(s.message));
    });
    const running = status.canary?.currentBackgroundAnalysisRunStatus?.name;
    if (running) this.store.mutate(RUNS, ns, running, (o) => {
      if (o.spec) (o.spec as Record<string, unknown>).terminate = true;
    });
  }

  private startBackgroundAnalysis(r: Obj, index: number, hash: string): void {
    const canary = (r.spec?.strategy as { canary?: { analysis?: { templates?: Array<{ templateName: string }>; startingStep?: number; args?: Array<{ name: string; value?: string }> } } })?.canary;
    const analysis = canary?.analysis;
    const status = r.status as { canary?: { currentBackgroundAnalysisRunStatus?: { name?: string } } };
    if (!analysis?.templates?.length || index < (analysis.startingStep ?? 0) || status.canary?.currentBackgroundAnalysisRunStatus?.name) return;
    const ns = r.metadata.namespace!;
    const revision = r.metadata.annotations?.['rollout.argoproj.io/revision'] ?? '1';
    const args = analysis.args ?? [];
    const metrics: Metric[] = [];
    for (const t of analysis.templates) {
      const template = this.store.tryGet('analysistemplates', ns, t.templateName);
      if (!template) {
        this.abort(r, `AnalysisTemplate "${t.templateName}" not found`);
        return;
      }
      const substitute = (text: string) => text.replace(/\{\{\s*args\.([\w-]+)\s*\}\}/g, (_, n: string) => args.find((a) => a.name === n)?.value ?? '');
      for (const m of ((template.spec as { metrics?: Metric[] }).metrics ?? [])) metrics.push(JSON.parse(substitute(JSON.stringify(m))) as Metric);
    }
    const runName = `${r.metadata.name}-${hash}-${revision}`;
    this.store.create(RUNS, {
      apiVersion: 'argoproj.io/v1alpha1', kind: 'AnalysisRun',
      metadata: {
        name: runName, namespace: ns, labels: { 'rollout-type': 'Background', 'rollouts-pod-template-hash': hash },
        annotations: { 'rollout.argoproj.io/revision': revision },
        ownerReferences: [{ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: r.metadata.name, uid: r.metadata.uid, controller: true, blockOwnerDeletion: true }],
      },
      spec: { metrics, args },
    });
    this.mutateRollout(ns, r.metadata.name, (s) => {
      s.canary = { ...(isRecord(s.canary) ? s.canary : {}), currentBackgroundAnalysisRunStatus: { name: runName, status: 'Pending' } };
    });
  }

  /** The rollout reacts to its background AnalysisRun: mirrors its phase, aborts on Failed/Error, pauses on Inconclusive. */
  private followAnalysis(r: Obj): void {
    const ns = r.metadata.namespace!;
    const current = (r.status as { canary?: { currentBackgroundAnalysisRunStatus?: { name?: string; status?: string } } }).canary?.currentBackgroundAnalysisRunStatus;
    if (!current?.name) return;
    const run = this.store.peek('analysisruns', ns, current.name) as Obj | undefined;
    const phase = String(run?.status?.phase ?? 'Pending');
    const message = run?.status?.message ? String(run.status.message) : undefined;
    if (phase !== current.status) {
      this.mutateRollout(ns, r.metadata.name, (s) => {
        s.canary = { ...(s.canary as object), currentBackgroundAnalysisRunStatus: { name: current.name, status: phase, ...(message ? { message } : {}) } };
      });
    }
    if (r.status?.phase === 'Healthy') return;
    if (phase === 'Failed' || phase === 'Error') this.abort(r, message);
    else if (phase === 'Inconclusive' && !(r.status?.pauseConditions as unknown[] | undefined)?.some((c) => (c as { reason?: string }).reason === 'InconclusiveAnalysis')) {
      this.group(`rollouts/${ns}/${r.metadata.name}`, true);
      this.mutateRollout(ns, r.metadata.name, (s) => {
        Object.assign(s, { pauseConditions: [{ reason: 'InconclusiveAnalysis', startTime: nowSeconds() }], controllerPause: true, phase: 'Paused', message: 'InconclusiveAnalysis' });
      });
    }
  }

  // --- AnalysisRuns ---

  private startAnalysis(run: Obj): void {
    const ns = run.metadata.namespace!;
    const name = run.metadata.name;
    const metrics = ((run.spec as { metrics?: Metric[] })?.metrics ?? []);
    this.store.mutate(RUNS, ns, name, (o) => {
      o.status = { phase: 'Running', startedAt: nowSeconds(), metricResults: metrics.map((m) => ({ name: m.name, phase: 'Running', count: 0, successful: 0, failed: 0, inconclusive: 0, error: 0, consecutiveError: 0, measurements: [] })) };
    });
    const timers = this.group(`analysisruns/${ns}/${name}`, true);
    metrics.forEach((metric, i) => timers.after(0, () => this.measure(ns, name, metric, i, timers)));
  }

  private measure(ns: string, name: string, metric: Metric, i: number, timers: TimerGroup): void {
    const run = this.store.peek('analysisruns', ns, name) as Obj | undefined;
    if (!run || run.status?.phase !== 'Running') return;
    if ((run.spec as { terminate?: boolean }).terminate) {
      this.store.mutate(RUNS, ns, name, (o) => {
        const s = o.status as Record<string, unknown>;
        for (const r of s.metricResults as MetricResult[]) if (r.phase === 'Running') r.phase = 'Successful';
        Object.assign(s, { phase: 'Successful', message: 'Run Terminated', completedAt: nowSeconds() });
      });
      return;
    }
    const started = nowSeconds();
    const prom = metric.provider?.prometheus;
    let phase: string;
    let value: string | undefined;
    let message: string | undefined;
    const answer = prom ? this.prometheus(prom.query ?? '', prom.address ?? '') : new Error('only the prometheus provider is emulated');
    if (answer instanceof Error) {
      phase = 'Error';
      message = answer.message;
    } else {
      value = `[${answer.join(' ')}]`;
      try {
        phase = assess(metric, answer);
      } catch (err) {
        phase = 'Error';
        message = (err as Error).message;
      }
    }
    let done = false;
    this.store.mutate(RUNS, ns, name, (o) => {
      const s = o.status as Record<string, unknown>;
      const r = (s.metricResults as MetricResult[])[i];
      r.measurements.push({ phase, startedAt: started, finishedAt: nowSeconds(), ...(value !== undefined ? { value } : {}), ...(message ? { message } : {}) });
      r.measurements = r.measurements.slice(-10);
      if (phase === 'Error') {
        r.error++;
        r.consecutiveError++;
      } else {
        r.count++;
        r.consecutiveError = 0;
        if (phase === 'Successful') r.successful++;
        else if (phase === 'Failed') r.failed++;
        else r.inconclusive++;
      }
      const failureLimit = metric.failureLimit ?? 0;
      const inconclusiveLimit = metric.inconclusiveLimit ?? 0;
      const errorLimit = metric.consecutiveErrorLimit ?? 4;
      if (r.failed > failureLimit) {
        r.phase = 'Failed';
        r.message = `Metric "${metric.name}" assessed Failed due to failed (${r.failed}) > failureLimit (${failureLimit})`;
      } else if (r.inconclusive > inconclusiveLimit) {
        r.phase = 'Inconclusive';
        r.message = `Metric "${metric.name}" assessed Inconclusive due to inconclusive (${r.inconclusive}) > inconclusiveLimit (${inconclusiveLimit})`;
      } else if (r.consecutiveError > errorLimit) {
        r.phase = 'Error';
        r.message = `Metric "${metric.name}" assessed Error due to consecutiveErrors (${r.consecutiveError}) > consecutiveErrorLimit (${errorLimit})`;
      } else if (metric.count !== undefined && r.count >= metric.count) r.phase = 'Successful';
      done = r.phase !== 'Running';
      const results = s.metricResults as MetricResult[];
      if (results.every((m) => m.phase !== 'Running')) {
        const worst = ['Error', 'Failed', 'Inconclusive'].find((p) => results.some((m) => m.phase === p));
        s.phase = worst ?? 'Successful';
        const failedMetric = results.find((m) => m.phase === worst);
        if (failedMetric?.message) s.message = failedMetric.message;
        s.completedAt = nowSeconds();
      }
    });
    if (!done) timers.after(durationMs(metric.interval ?? '0s') || 1000, () => this.measure(ns, name, metric, i, timers));
  }
}
