/**
 * Which service account the compiled workflow runs as, what its deploy steps will do as it, and the cluster's answer:
 * one SubjectAccessReview (authorization.k8s.io/v1, spec.user system:serviceaccount:NS:NAME) per distinct permission.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import { deployPermissions } from '../../../node-catalog/deploy/permissions.ts';
import { argoWorkflow } from '../../../shared/compile/argo.ts';
import type { NodeCatalog } from '../../../shared/pipeline/catalog.ts';
import { resolveNode } from '../../../shared/pipeline/resolve.ts';
import type { PipelineDocument } from '../../../shared/pipeline/types.ts';
import { serviceAccountUser } from '../../../shared/preflight/serviceAccount.ts';
import type { PreflightTarget, ServiceAccountCheck, ServiceAccountNeed, WorkflowServiceAccount } from '../../../shared/preflight/types.ts';
import { kubeJson } from '../kube/request.ts';

/** KFP (standalone) runs every step's pod as this account in its own namespace; multi-user KFP uses default-editor of the profile. */
export const KFP_RUNNER = 'pipeline-runner';

export function workflowServiceAccount(doc: PipelineDocument, catalog: NodeCatalog, target: PreflightTarget, namespaces: { argo: string; kfp: string }, given?: string): WorkflowServiceAccount {
  if (target === 'kfp') return { namespace: namespaces.kfp, name: given || KFP_RUNNER, source: given ? 'given' : "KFP's pipeline runner" };
  if (given) return { namespace: namespaces.argo, name: given, source: 'given' };
  let name: unknown;
  try {
    name = (argoWorkflow(doc, catalog).spec as { serviceAccountName?: unknown } | undefined)?.serviceAccountName;
  } catch {
    // A document that does not compile is the validator's to report; the account is then Argo's default.
  }
  return typeof name === 'string' && name
    ? { namespace: namespaces.argo, name, source: "the workflow's spec.serviceAccountName" }
    : { namespace: namespaces.argo, name: 'default', source: "Argo's default: the workflow sets no spec.serviceAccountName" };
}

/** What each deploy step that applies (apply on) needs in its namespace. */
export function serviceAccountNeeds(doc: PipelineDocument, catalog: NodeCatalog): ServiceAccountNeed[] {
  const needs: ServiceAccountNeed[] = [];
  for (const node of doc.nodes) {
    if (node.type !== 'deploy') continue;
    const params = resolveNode(node, catalog)?.params ?? {};
    for (const p of deployPermissions(params)) {
      const [resource, subresource] = p.resource.split('/');
      needs.push({ node: node.id, verb: p.verb, group: p.group, resource, ...(subresource ? { subresource } : {}), namespace: p.namespace });
    }
  }
  return needs;
}

const QUICK = { timeoutMs: 15_000 };

/** One review per distinct (verb, resource, namespace), answered for every step that needs it. */
export async function reviewServiceAccount(kc: KubeConfig, sa: WorkflowServiceAccount, needs: readonly ServiceAccountNeed[]): Promise<ServiceAccountCheck[]> {
  const user = serviceAccountUser(sa);
  const key = (n: ServiceAccountNeed) => `${n.verb}\n${n.group}\n${n.resource}\n${n.subresource ?? ''}\n${n.namespace}`;
  const distinct = new Map<string, ServiceAccountNeed>();
  for (const n of needs) if (!distinct.has(key(n))) distinct.set(key(n), n);
  const answers = new Map<string, boolean>();
  await Promise.all(
    [...distinct].map(async ([k, n]) => {
      const resourceAttributes = { namespace: n.namespace, verb: n.verb, group: n.group, resource: n.resource, ...(n.subresource ? { subresource: n.subresource } : {}) };
      const answer = await kubeJson<{ status?: { allowed?: boolean } }>(
        kc,
        { method: 'POST', path: '/apis/authorization.k8s.io/v1/subjectaccessreviews', body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec: { user, groups: ['system:serviceaccounts', `system:serviceaccounts:${sa.namespace}`, 'system:authenticated'], resourceAttributes } }, ...QUICK },
        `check what service account ${sa.namespace}/${sa.name} may do`,
      );
      answers.set(k, answer.status?.allowed === true);
    }),
  );
  return needs.map((n) => ({ ...n, allowed: answers.get(key(n)) === true }));
}
