/**
 * The Deployment controller and the cloud's LoadBalancer, in miniature, for what deploy applies:
 * - Deployments: replicas become updated, ready and available (Available / Progressing conditions), or
 *   never ready (a scripted failure) until progressDeadlineSeconds: Progressing False ProgressDeadlineExceeded.
 * - Services of type LoadBalancer get status.loadBalancer.ingress.
 */
import { createHash } from 'node:crypto';
import type { ObjectStore, ResourceKey } from '../store.ts';
import type { KubeObject } from '../types.ts';
import { isRecord } from '../types.ts';
import type { TimerGroup } from './timers.ts';
import { nowSeconds } from './timers.ts';

const DEPLOYMENTS: ResourceKey = { resource: 'deployments', group: 'apps' };
const SERVICES: ResourceKey = { resource: 'services', group: '' };

export type Obj = KubeObject & { spec?: Record<string, unknown>; status?: Record<string, unknown> };

/** What a controller of workloads works with: the store, timers per object (fresh: the old work's are cancelled), pod readiness time. */
export interface WorkloadContext {
  readonly store: ObjectStore;
  group(key: string, fresh?: boolean): TimerGroup;
  readonly readyMs: number;
}

/** The pod-template-hash Kubernetes puts in ReplicaSet names: ten characters, no digits. */
export function podHash(template: unknown): string {
  return createHash('sha256').update(JSON.stringify(template ?? {})).digest('hex').slice(0, 10).replace(/[0-9]/g, (d) => 'bcdfghjklm'[Number(d)]);
}

/** Sets one condition, keeping lastTransitionTime when the status does not change. */
export function setCondition(status: Record<string, unknown>, type: string, value: 'True' | 'False', reason: string, message: string): void {
  const now = nowSeconds();
  const conditions = (Array.isArray(status.conditions) ? status.conditions : []) as Array<Record<string, unknown>>;
  const old = conditions.find((c) => c.type === type);
  const next = { type, status: value, reason, message, lastUpdateTime: now, lastTransitionTime: old && old.status === value ? old.lastTransitionTime : now };
  status.conditions = [...conditions.filter((c) => c.type !== type), next];
}

function replicaSetName(o: KubeObject): string {
  return `${o.metadata.name}-${podHash((o.spec as { template?: unknown } | undefined)?.template)}`;
}

/** A new generation: progressing, then available after readyMs, or (neverReady) failed at its progress deadline. */
export function reconcileDeployment(ctx: WorkloadContext, d: Obj, neverReady: boolean): void {
  const { store } = ctx;
  const ns = d.metadata.namespace!;
  const name = d.metadata.name;
  const generation = d.metadata.generation ?? 1;
  const status = d.status ?? {};
  if (status.observedGeneration === generation) return;
  const replicas = Number(d.spec?.replicas ?? 1);
  store.mutate(DEPLOYMENTS, ns, name, (o) => {
    const s = (o.status ?? {}) as Record<string, unknown>;
    s.observedGeneration = generation;
    s.replicas = replicas;
    s.updatedReplicas = 0;
    setCondition(s, 'Progressing', 'True', 'ReplicaSetUpdated', `ReplicaSet "${replicaSetName(o)}" is progressing.`);
    o.status = s;
  });
  const timers = ctx.group(`deployments/${ns}/${name}`, true);
  if (neverReady && replicas > 0) {
    const deadline = Number(d.spec?.progressDeadlineSeconds ?? 600) * 1000;
    timers.after(deadline, () => store.mutate(DEPLOYMENTS, ns, name, (o) => {
      const s = o.status as Record<string, unknown>;
      setCondition(s, 'Available', 'False', 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.');
      setCondition(s, 'Progressing', 'False', 'ProgressDeadlineExceeded', `ReplicaSet "${replicaSetName(o)}" has timed out progressing.`);
    }));
    return;
  }
  timers.after(replicas > 0 ? ctx.readyMs : 0, () => store.mutate(DEPLOYMENTS, ns, name, (o) => {
    const s = o.status as Record<string, unknown>;
    Object.assign(s, { updatedReplicas: replicas, readyReplicas: replicas, availableReplicas: replicas });
    setCondition(s, 'Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.');
    setCondition(s, 'Progressing', 'True', 'NewReplicaSetAvailable', `ReplicaSet "${replicaSetName(o)}" has successfully progressed.`);
  }));
}

/** A LoadBalancer Service gets its external address five emulated seconds after it appears. */
export function reconcileService(ctx: WorkloadContext, svc: Obj): void {
  if (svc.spec?.type !== 'LoadBalancer' || isRecord(svc.status?.loadBalancer) && Array.isArray((svc.status.loadBalancer as { ingress?: unknown }).ingress)) return;
  const ns = svc.metadata.namespace!;
  const name = svc.metadata.name;
  ctx.group(`services/${ns}/${name}`).after(5000, () => ctx.store.mutate(SERVICES, ns, name, (o) => {
    o.status = { loadBalancer: { ingress: [{ ip: '203.0.113.10', ipMode: 'VIP' }] } };
  }));
}
