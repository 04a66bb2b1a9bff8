/** Cluster pre-flight: what the cluster must offer for a run, what it has, and what is wrong (DESIGN.md contract). */

export type PreflightSeverity = 'error' | 'warning';

export type PreflightCode =
  | 'cluster-unreachable'
  | 'engine-missing'
  | 'kfp-no-identity'
  | 'forbidden'
  | 'service-account-forbidden'
  | 'no-gpu-nodes'
  | 'gpu-product-missing'
  | 'taint-not-tolerated'
  | 'gpu-insufficient'
  | 'gpu-busy'
  | 'quota-exceeded'
  | 'quota-queued'
  | 'quota-requires-requests'
  | 'limitrange-exceeded'
  | 'secret-missing'
  | 'pvc-missing'
  | 'pvc-not-bound'
  | 'cannot-inspect';

export interface PreflightFinding {
  code: PreflightCode;
  /** error: blocks Run (unless overridden); warning: the run can start. */
  severity: PreflightSeverity;
  /** The pipeline node this is about; null for the namespace or cluster as a whole. */
  node: string | null;
  message: string;
  fix: string;
}

export interface PreflightReport {
  ok: boolean;
  findings: PreflightFinding[];
  /** kfp: the endpoint that was checked, as the run will reach it. */
  kfpEndpoint?: KfpCheckedEndpoint;
  /** kfp: what its healthz said (absent when it did not answer). */
  kfpMultiUser?: boolean;
}

/** Which Kubeflow Pipelines endpoint pre-flight checked: the service behind the proxy, or the URL with the way of proving who you are. */
export type KfpCheckedEndpoint =
  | { via: 'proxy'; namespace: string; name: string; /** As the proxy path names it: `ml-pipeline:8888`, `https:ml-pipeline:tls`. */ service: string }
  | { via: 'session' | 'service-account'; url: string };

/** The endpoint in words (English; the app words it in the user's language). */
export function describeKfpEndpoint(e: KfpCheckedEndpoint): string {
  if (e.via === 'proxy') return `service ${e.service} in namespace ${e.namespace}, through the Kubernetes service proxy`;
  return `${e.url}, with ${e.via === 'session' ? 'your Kubeflow login session' : 'a service account token'}`;
}

export type PreflightTarget = 'argo' | 'kfp';

export interface PreflightRequestOptions {
  target: PreflightTarget;
  context: string;
  namespace: string;
}

/** Kubernetes objects as the API returns them, reduced to the fields pre-flight reads. */
export interface ClusterNode {
  name: string;
  labels: Record<string, string>;
  taints: Array<{ key: string; value?: string; effect: string }>;
  allocatable: Record<string, string>;
  unschedulable: boolean;
  ready: boolean;
}

export interface ClusterPod {
  nodeName: string;
  /** Effective requests of the whole pod (containers summed, init containers' max), by resource name. */
  requests: Record<string, number>;
}

export interface ClusterQuota {
  name: string;
  hard: Record<string, string>;
  used: Record<string, string>;
}

export interface LimitRangeItem {
  type: string;
  max?: Record<string, string>;
  min?: Record<string, string>;
  default?: Record<string, string>;
  defaultRequest?: Record<string, string>;
}

export interface ClusterLimitRange {
  name: string;
  limits: LimitRangeItem[];
}

export interface AccessCheck {
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  namespace: string;
  allowed: boolean;
}

/** The service account a run's steps run as (Argo: the Workflow's spec.serviceAccountName, else `default`; KFP: pipeline-runner). */
export interface WorkflowServiceAccount {
  namespace: string;
  name: string;
  /** Where the name came from, said in findings: `the workflow`, `Argo's default`, `KFP's default`, `given`. */
  source: string;
}

/** Something a step does as the workflow's service account (a deploy node applying its objects), one SubjectAccessReview each. */
export interface ServiceAccountNeed {
  node: string;
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  namespace: string;
}

export interface ServiceAccountCheck extends ServiceAccountNeed {
  allowed: boolean;
}

/** What was read from the cluster; a part that could not be read is `{ error }` and yields a warning. */
export type Part<T> = { ok: true; value: T } | { ok: false; error: string };

export interface ClusterSnapshot {
  target: PreflightTarget;
  namespace: string;
  /** The namespace KFP runs its pods in (kfp target): its own, or the profile namespace of a multi-user KFP. */
  workloadNamespace: string;
  /** kfp: the endpoint checked and what it said. */
  kfp?: { endpoint: KfpCheckedEndpoint; multiUser?: boolean };
  engine: Part<boolean>;
  nodes: Part<ClusterNode[]>;
  pods: Part<ClusterPod[]>;
  quotas: Part<ClusterQuota[]>;
  limitRanges: Part<ClusterLimitRange[]>;
  secrets: Part<string[]>;
  pvcs: Part<Array<{ name: string; phase: string }>>;
  access: Part<AccessCheck[]>;
  /** What the workflow's service account may do, when a step needs more than running (absent: nothing to check). */
  serviceAccount?: { account: WorkflowServiceAccount; checks: Part<ServiceAccountCheck[]> };
}
