/**
 * ResourceQuota status as the API server's quota controller keeps it: `hard` copied from the spec,
 * `used` counted from the namespace's pods that have not finished (requests and limits summed over
 * containers, a limit standing in for an unset request) and from object counts.
 */
import { parseQuantity, quantityScaledValue } from '../../shared/pipeline/quantity.ts';
import type { ObjectStore } from './store.ts';
import type { KubeObject } from './types.ts';
import { clone, isRecord } from './types.ts';

type Resources = { requests?: Record<string, string>; limits?: Record<string, string> };

const isCpu = (res: string) => res === 'cpu';

function value(res: string, text: string | undefined): number {
  if (text === undefined) return 0;
  const q = parseQuantity(String(text));
  return q.ok ? quantityScaledValue(q.quantity, isCpu(res) ? 3 : 0) : 0;
}

function format(res: string, v: number): string {
  if (isCpu(res)) return v % 1000 === 0 ? String(v / 1000) : `${v}m`;
  return String(v);
}

function podSum(pod: KubeObject, kind: 'requests' | 'limits', res: string): number {
  const spec = (isRecord(pod.spec) ? pod.spec : {}) as { containers?: Array<{ resources?: Resources }> };
  let total = 0;
  for (const c of spec.containers ?? []) {
    const r = c.resources ?? {};
    total += value(res, kind === 'requests' ? (r.requests?.[res] ?? r.limits?.[res]) : r.limits?.[res]);
  }
  return total;
}

const COUNTED: Record<string, string> = { persistentvolumeclaims: 'persistentvolumeclaims', secrets: 'secrets', services: 'services' };

export function quotaWithStatus(store: ObjectStore, quota: KubeObject): KubeObject {
  const out = clone(quota);
  const hard = ((isRecord(quota.spec) ? quota.spec.hard : undefined) as Record<string, string> | undefined) ?? {};
  const ns = quota.metadata.namespace;
  const running = store.list('pods', ns).filter((p) => {
    const phase = (isRecord(p.status) ? p.status.phase : undefined) as string | undefined;
    return phase !== 'Succeeded' && phase !== 'Failed';
  });
  const used: Record<string, string> = {};
  for (const key of Object.keys(hard)) {
    const countOf = /^count\/(.+)$/.exec(key)?.[1] ?? COUNTED[key];
    if (key === 'pods' || countOf === 'pods') used[key] = String(running.length);
    else if (countOf) used[key] = String(store.list(countOf, ns).length);
    else {
      const m = /^(requests|limits)\.(.+)$/.exec(key);
      const kind = m ? (m[1] as 'requests' | 'limits') : 'requests';
      const res = m ? m[2] : key;
      used[key] = format(res, running.reduce((sum, p) => sum + podSum(p, kind, res), 0));
    }
  }
  out.status = { hard: { ...hard }, used };
  return out;
}

/** The API server's pod defaulting: a container resource with a limit and no request requests the limit. */
export function defaultPodRequests(pod: KubeObject): void {
  const spec = (isRecord(pod.spec) ? pod.spec : {}) as { containers?: Array<{ resources?: Resources }>; initContainers?: Array<{ resources?: Resources }> };
  for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
    const limits = c.resources?.limits;
    if (!limits) continue;
    const requests = { ...(c.resources?.requests ?? {}) };
    for (const [res, q] of Object.entries(limits)) requests[res] ??= q;
    c.resources = { ...c.resources, requests };
  }
}
