/**
 * Argo Rollouts' controller, in miniature, for what deploy applies (Deployments and Services: deployments.ts;
 * analysis semantics: analysis.ts):
 * - Rollouts (canary, template or workloadRef): the first revision goes straight to 100 % (Argo skips the
 *   steps when there is no stable ReplicaSet yet); a new pod template walks the steps (setWeight, pause
 *   with duration: pauseConditions CanaryPauseStep, phase Paused), starts the background analysis at
 *   `startingStep`, promotes (stableRS = currentPodHash, phase Healthy). A Failed or Error analysis aborts
 *   (status.abort, abortedAt, phase Degraded, message `RolloutAborted: ...`); an Inconclusive one pauses with
 *   InconclusiveAnalysis. status.abort set by a client aborts the same way.
 * - AnalysisRuns: each metric measured every `interval`, `count` times, with the Prometheus answer the test
 *   scripts (`prometheus`), until every metric has settled.
 */
import type { ObjectStore, ResourceKey } from '../store.ts';
import type { KubeObject, StoredEvent } from '../types.ts';
import { isRecord } from '../types.ts';
import type { Metric, MetricResult, PrometheusAnswer } from './analysis.ts';
import { durationMs, measureMetric, newMetricResult, recordMeasurement, runOutcome } from './analysis.ts';
import type { Obj, WorkloadContext } from './deployments.ts';
import { podHash, reconcileDeployment, reconcileService, setCondition } from './deployments.ts';
import { TimerGroup, nowSeconds } from './timers.ts';

export type { PrometheusAnswer } from './analysis.ts';

const ROLLOUTS: ResourceKey = { resource: 'rollouts', group: 'argoproj.io' };
const RUNS: ResourceKey = { resource: 'analysisruns', group: 'argoproj.io' };

export interface RolloutControllerOptions {
  /** Emulated ms until new pods are ready (default 20 s). */
  readyMs?: number;
}

type Step = { setWeight?: number; pause?: { duration?: string | number } };

export class RolloutController {
  private unsubscribe: (() => void) | undefined;
  private readonly timers = new Map<string, TimerGroup>();
  private readonly neverReady = new Set<string>();
  prometheus: PrometheusAnswer = () => [0.99];
  private readonly workloads: WorkloadContext;

  constructor(
    private readonly store: ObjectStore,
    private readonly scale: () => number,
    options: RolloutControllerOptions = {},
  ) {
    this.workloads = { store, group: (key, fresh) => this.group(key, fresh), readyMs: options.readyMs ?? 20_000 };
  }

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
    return this.workloads.readyMs;
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
      reconcileDeployment(this.workloads, o, this.neverReady.has(`${ns}/${o.metadata.name}`));
      for (const r of this.store.list('rollouts', ns, (r) => (r.spec as { workloadRef?: { name?: string } })?.workloadRef?.name === o.metadata.name)) this.reconcileRollout(r as Obj);
    } else if (event.resource === 'services') reconcileService(this.workloads, o);
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
      o.status = { phase: 'Running', startedAt: nowSeconds(), metricResults: metrics.map((m) => newMetricResult(m.name)) };
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
    const measured = measureMetric(metric, this.prometheus);
    let done = false;
    this.store.mutate(RUNS, ns, name, (o) => {
      const s = o.status as Record<string, unknown>;
      const results = s.metricResults as MetricResult[];
      recordMeasurement(results[i], metric, { ...measured, startedAt: started, finishedAt: nowSeconds() });
      done = results[i].phase !== 'Running';
      const outcome = runOutcome(results);
      if (outcome) Object.assign(s, outcome, { completedAt: nowSeconds() });
    });
    if (!done) timers.after(durationMs(metric.interval ?? '0s') || 1000, () => this.measure(ns, name, metric, i, timers));
  }
}
