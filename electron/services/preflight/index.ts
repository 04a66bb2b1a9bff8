/** Cluster pre-flight for a pipeline document: what the run needs, read against the chosen context and namespace. */
import type { KubeConfig } from '@kubernetes/client-node';
import type { NodeCatalog } from '../../../shared/pipeline/catalog.ts';
import type { PipelineDocument } from '../../../shared/pipeline/types.ts';
import { preflightFindings, preflightReport } from '../../../shared/preflight/preflight.ts';
import { runNeeds } from '../../../shared/preflight/requirements.ts';
import type { PreflightReport, PreflightTarget } from '../../../shared/preflight/types.ts';
import { kubeConfigFor, loadKubeConfig } from '../kube/kubeconfig.ts';
import { KubeconfigNotConfirmedError } from '../kube/kubeconfigTrust.ts';
import { kubeJson } from '../kube/request.ts';
import { DEFAULT_KFP_SERVICE_ACCOUNT } from '../kube/kfpAuth.ts';
import { readClusterSnapshot } from './clusterSnapshot.ts';
import { probeKfp } from './kfpProbe.ts';
import type { KfpProbeOptions } from './kfpProbe.ts';
import { reviewServiceAccount, serviceAccountNeeds, workflowServiceAccount } from './serviceAccount.ts';

export interface PreflightOptions {
  target: PreflightTarget;
  context?: string;
  /** Default: the document's settings.namespace, else the context's namespace, else `default`. */
  namespace?: string;
  kfpNamespace?: string;
  /** kfp: how the run reaches KFP (connection, URL, variables' names) and the app's KFP service setting; the check uses that endpoint. */
  kfp?: KfpProbeOptions;
  /** The service account the workflow runs as (default: the Workflow's spec.serviceAccountName or `default`; KFP: pipeline-runner). */
  serviceAccount?: string;
  /** The kubeconfig as kubectl reads it (default: loadKubeConfig from the environment). */
  load?: () => KubeConfig;
}

export function preflightNamespace(kc: KubeConfig, doc: PipelineDocument, given?: string): string {
  return given || doc.settings?.namespace || kc.getContextObject(kc.getCurrentContext())?.namespace || 'default';
}

export async function runPreflight(doc: PipelineDocument, catalog: NodeCatalog, opts: PreflightOptions): Promise<PreflightReport & { namespace: string }> {
  let kc: KubeConfig;
  try {
    kc = kubeConfigFor((opts.load ?? loadKubeConfig)(), opts.context);
  } catch (error) {
    if (error instanceof KubeconfigNotConfirmedError) throw error;
    return { ...preflightReport([{ code: 'cluster-unreachable', severity: 'error', node: null, message: (error as Error).message, fix: 'Choose a context that is in your kubeconfig (kubectl config get-contexts).' }]), namespace: opts.namespace ?? '' };
  }
  const namespace = preflightNamespace(kc, doc, opts.namespace);
  try {
    await kubeJson(kc, { path: '/version', timeoutMs: 10_000 }, 'reach the cluster');
  } catch (error) {
    return {
      ...preflightReport([{ code: 'cluster-unreachable', severity: 'error', node: null, message: (error as Error).message, fix: `Check the context ${kc.getCurrentContext()} (kubectl --context ${kc.getCurrentContext()} version), your network or VPN, and your credentials.` }]),
      namespace,
    };
  }
  const needs = runNeeds(doc, catalog);
  const saNeeds = serviceAccountNeeds(doc, catalog);
  // KFP first: whether it is multi-user decides where its pods run and as whom.
  const kfp = opts.target === 'kfp' ? await probeKfp(kc, namespace, { ...opts.kfp, service: { ...opts.kfp?.service, ...(opts.kfpNamespace ? { namespace: opts.kfpNamespace } : {}) } }) : undefined;
  const account = kfp?.multiUser
    ? { namespace, name: opts.serviceAccount || DEFAULT_KFP_SERVICE_ACCOUNT, source: opts.serviceAccount ? 'given' : "the profile's default-editor (multi-user KFP runs pipelines as it)" }
    : workflowServiceAccount(doc, catalog, opts.target, { argo: namespace, kfp: kfp?.serviceNamespace ?? opts.kfpNamespace ?? 'kubeflow' }, opts.serviceAccount);
  const [snapshot, checks] = await Promise.all([
    readClusterSnapshot(kc, { target: opts.target, namespace, ...(kfp ? { kfp } : {}), wantSecrets: needs.secrets.length > 0, wantPvcs: needs.pvcs.length > 0 }),
    saNeeds.length === 0 ? undefined : reviewServiceAccount(kc, account, saNeeds).then((value) => ({ ok: true as const, value }), (error: unknown) => ({ ok: false as const, error: (error as Error).message })),
  ]);
  if (checks) snapshot.serviceAccount = { account, checks };
  const report = preflightReport(preflightFindings(needs, snapshot));
  return { ...report, ...(kfp ? { kfpEndpoint: kfp.endpoint, ...(kfp.multiUser !== undefined ? { kfpMultiUser: kfp.multiUser } : {}) } : {}), namespace };
}
