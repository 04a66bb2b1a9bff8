/**
 * Reads what pre-flight needs from the cluster: one (paged) list per resource kind, whatever the size of
 * the pipeline, and one SelfSubjectAccessReview per verb the target uses. Secret names come from a Table
 * without objects (`includeObject=None`): not even metadata, whose last-applied annotation holds the
 * values of a Secret made with `kubectl apply`, is transferred.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import { quantityValue } from '../../../shared/preflight/requirements.ts';
import { requiredAccess } from '../../../shared/preflight/preflight.ts';
import type { AccessCheck, ClusterLimitRange, ClusterNode, ClusterPod, ClusterQuota, ClusterSnapshot, Part, PreflightTarget } from '../../../shared/preflight/types.ts';
import { kubeJson } from '../kube/request.ts';
import { argoInstalled } from '../kube/discovery.ts';
import { probeKfp } from './kfpProbe.ts';
import type { KfpProbe } from './kfpProbe.ts';

const QUICK = { timeoutMs: 15_000 };
const PAGE = 500;
/** Pages of one list before pre-flight stops reading (25,000 objects). */
const MAX_PAGES = 50;
export const TABLE = 'application/json;as=Table;g=meta.k8s.io;v=v1';

interface Obj {
  metadata?: { name?: string; labels?: Record<string, string> };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
}

async function listAll(kc: KubeConfig, path: string, what: string, query: Record<string, string> = {}): Promise<Obj[]> {
  const items: Obj[] = [];
  let token: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const list = await kubeJson<{ items?: Obj[]; metadata?: { continue?: string } }>(
      kc,
      { path, query: { ...query, limit: PAGE, continue: token }, ...QUICK },
      `list ${what}`,
    );
    items.push(...(list.items ?? []));
    token = list.metadata?.continue || undefined;
    if (!token) return items;
  }
  throw new Error(`more than ${PAGE * MAX_PAGES} ${what}; stopped reading`);
}

/** Names only: a Table of the Secrets without their objects, paged like any list. */
async function secretNames(kc: KubeConfig, path: string): Promise<string[]> {
  const names: string[] = [];
  let token: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const table = await kubeJson<{ kind?: string; columnDefinitions?: { name: string }[]; rows?: { cells?: unknown[] }[]; metadata?: { continue?: string } }>(
      kc,
      { path, query: { includeObject: 'None', limit: PAGE, continue: token }, headers: { Accept: TABLE }, ...QUICK },
      'list secret names',
    );
    if (table.kind !== 'Table') throw new Error('the server did not answer with a Table of secret names, so they were not read');
    const column = (table.columnDefinitions ?? []).findIndex((c) => c.name === 'Name');
    for (const row of table.rows ?? []) names.push(String(row.cells?.[Math.max(0, column)] ?? ''));
    token = table.metadata?.continue || undefined;
    if (!token) return names;
  }
  throw new Error(`more than ${PAGE * MAX_PAGES} secrets; stopped reading`);
}

async function part<T>(work: () => Promise<T>): Promise<Part<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}

function toNode(o: Obj): ClusterNode {
  const spec = (o.spec ?? {}) as { taints?: ClusterNode['taints']; unschedulable?: boolean };
  const status = (o.status ?? {}) as { allocatable?: Record<string, string>; capacity?: Record<string, string>; conditions?: Array<{ type: string; status: string }> };
  const ready = status.conditions?.find((c) => c.type === 'Ready');
  return {
    name: o.metadata?.name ?? '',
    labels: o.metadata?.labels ?? {},
    taints: spec.taints ?? [],
    allocatable: status.allocatable ?? status.capacity ?? {},
    unschedulable: spec.unschedulable === true,
    // A node object without conditions (freshly registered or hand-made) is taken as usable.
    ready: ready ? ready.status === 'True' : true,
  };
}

type Resources = { requests?: Record<string, string>; limits?: Record<string, string> };
type Container = { resources?: Resources };

/** A container's requests, a limit standing in for an unset request (as the API server defaults them). */
function containerRequests(c: Container): Record<string, number> {
  const out: Record<string, number> = {};
  const merged = { ...(c.resources?.limits ?? {}), ...(c.resources?.requests ?? {}) };
  for (const [res, q] of Object.entries(merged)) out[res] = quantityValue(res, q) ?? 0;
  return out;
}

/** The pod's effective request: containers summed, an init container's larger request winning (the scheduler's rule). */
export function podRequests(spec: { containers?: Container[]; initContainers?: Container[] }): Record<string, number> {
  const total: Record<string, number> = {};
  for (const c of spec.containers ?? []) for (const [res, v] of Object.entries(containerRequests(c))) total[res] = (total[res] ?? 0) + v;
  for (const c of spec.initContainers ?? []) for (const [res, v] of Object.entries(containerRequests(c))) total[res] = Math.max(total[res] ?? 0, v);
  return total;
}

function toPod(o: Obj): ClusterPod | undefined {
  const spec = (o.spec ?? {}) as { nodeName?: string; containers?: Container[]; initContainers?: Container[] };
  if (!spec.nodeName) return undefined;
  return { nodeName: spec.nodeName, requests: podRequests(spec) };
}

async function review(kc: KubeConfig, need: Omit<AccessCheck, 'allowed'>): Promise<AccessCheck> {
  const attributes = { namespace: need.namespace, verb: need.verb, group: need.group, resource: need.resource, ...(need.subresource ? { subresource: need.subresource } : {}) };
  const answer = await kubeJson<{ status?: { allowed?: boolean } }>(
    kc,
    { method: 'POST', path: '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: attributes } }, ...QUICK },
    'check your permissions',
  );
  return { ...need, allowed: answer.status?.allowed === true };
}

export interface SnapshotOptions {
  target: PreflightTarget;
  namespace: string;
  /** Namespace of KFP's ml-pipeline service (default kubeflow), when no `kfp` probe is given. */
  kfpNamespace?: string;
  /** kfp: the endpoint the run will use, already checked (kfpProbe.ts); its answer decides where KFP's pods run. */
  kfp?: KfpProbe;
  /** Read Secrets and PVCs only when the pipeline names some. */
  wantSecrets: boolean;
  wantPvcs: boolean;
}

export async function readClusterSnapshot(kc: KubeConfig, opts: SnapshotOptions): Promise<ClusterSnapshot> {
  const ns = encodeURIComponent(opts.namespace);
  const kfp = opts.target === 'kfp' ? (opts.kfp ?? (await probeKfp(kc, opts.namespace, { service: { namespace: opts.kfpNamespace ?? 'kubeflow' } }))) : undefined;
  const kfpNamespace = kfp?.serviceNamespace ?? opts.kfpNamespace ?? 'kubeflow';
  // A multi-user KFP runs each pipeline's pods in the profile namespace; a single-user one in its own.
  const workloadNamespace = kfp?.multiUser ? opts.namespace : kfpNamespace;
  const route = { via: kfp?.endpoint.via ?? 'proxy', workloadNamespace } as const;
  const skipped = <T>(value: T): Promise<Part<T>> => Promise.resolve({ ok: true, value });
  const [engine, nodes, pods, quotas, limitRanges, secrets, pvcs, access] = await Promise.all([
    kfp ? Promise.resolve(kfp.engine) : part(() => argoInstalled(kc, QUICK.timeoutMs)),
    part(async () => (await listAll(kc, '/api/v1/nodes', 'nodes')).map(toNode)),
    part(async () => (await listAll(kc, '/api/v1/pods', 'pods', { fieldSelector: 'status.phase!=Succeeded,status.phase!=Failed' })).flatMap((o) => toPod(o) ?? [])),
    part(async () =>
      (await listAll(kc, `/api/v1/namespaces/${ns}/resourcequotas`, 'resource quotas')).map((o): ClusterQuota => ({
        name: o.metadata?.name ?? '',
        hard: ((o.status?.hard ?? o.spec?.hard) as Record<string, string> | undefined) ?? {},
        used: (o.status?.used as Record<string, string> | undefined) ?? {},
      })),
    ),
    part(async () =>
      (await listAll(kc, `/api/v1/namespaces/${ns}/limitranges`, 'limit ranges')).map((o): ClusterLimitRange => ({
        name: o.metadata?.name ?? '',
        limits: (o.spec?.limits as ClusterLimitRange['limits'] | undefined) ?? [],
      })),
    ),
    opts.wantSecrets ? part(() => secretNames(kc, `/api/v1/namespaces/${ns}/secrets`)) : skipped<string[]>([]),
    opts.wantPvcs
      ? part(async () => (await listAll(kc, `/api/v1/namespaces/${ns}/persistentvolumeclaims`, 'persistent volume claims')).map((o) => ({ name: o.metadata?.name ?? '', phase: String(o.status?.phase ?? '') })))
      : skipped<Array<{ name: string; phase: string }>>([]),
    part(() => Promise.all(requiredAccess(opts.target, opts.namespace, kfpNamespace, route).map((need) => review(kc, need)))),
  ]);
  return {
    target: opts.target,
    namespace: opts.namespace,
    workloadNamespace,
    ...(kfp ? { kfp: { endpoint: kfp.endpoint, ...(kfp.multiUser !== undefined ? { multiUser: kfp.multiUser } : {}) } } : {}),
    engine,
    nodes,
    pods,
    quotas,
    limitRanges,
    secrets,
    pvcs,
    access,
  };
}
