/**
 * The workflow's service account, checked before the run: each deploy step applies and follows its objects as that
 * account, hours after training began, so a missing permission is found here (SubjectAccessReview), with the verb,
 * kind and namespace it lacks and the Role and RoleBinding that grant them.
 */
import type { PreflightFinding, ServiceAccountCheck, WorkflowServiceAccount } from './types.ts';

const KINDS: Record<string, string> = {
  services: 'Service', deployments: 'Deployment', rollouts: 'Rollout', analysistemplates: 'AnalysisTemplate', analysisruns: 'AnalysisRun',
};

export const serviceAccountUser = (sa: Pick<WorkflowServiceAccount, 'namespace' | 'name'>): string => `system:serviceaccount:${sa.namespace}:${sa.name}`;

const resourceName = (c: Pick<ServiceAccountCheck, 'resource' | 'subresource'>) => `${c.resource}${c.subresource ? `/${c.subresource}` : ''}`;

/** `create/patch Deployment (deployments.apps)`, `patch Rollout status (rollouts/status.argoproj.io)` */
function denialText(checks: ServiceAccountCheck[]): string {
  const byResource = new Map<string, ServiceAccountCheck[]>();
  for (const c of checks) {
    const key = `${c.group}\n${resourceName(c)}`;
    byResource.set(key, [...(byResource.get(key) ?? []), c]);
  }
  return [...byResource.values()]
    .map((list) => {
      const { group, resource, subresource } = list[0];
      const kind = `${KINDS[resource] ?? resource}${subresource ? ` ${subresource}` : ''}`;
      return `${[...new Set(list.map((c) => c.verb))].join('/')} ${kind} (${resourceName(list[0])}${group ? `.${group}` : ''})`;
    })
    .join(', ');
}

/** A Role with the missing rules in `namespace` and a RoleBinding of it to the service account, as YAML to kubectl apply. */
export function roleYaml(sa: WorkflowServiceAccount, namespace: string, denied: readonly ServiceAccountCheck[]): string {
  const rules = new Map<string, { group: string; resource: string; verbs: Set<string> }>();
  for (const c of denied) {
    const key = `${c.group}\n${resourceName(c)}`;
    const rule = rules.get(key) ?? { group: c.group, resource: resourceName(c), verbs: new Set<string>() };
    rule.verbs.add(c.verb);
    rules.set(key, rule);
  }
  const name = 'pipewright-deploy';
  return [
    'apiVersion: rbac.authorization.k8s.io/v1',
    'kind: Role',
    'metadata:',
    `  name: ${name}`,
    `  namespace: ${namespace}`,
    'rules:',
    ...[...rules.values()].flatMap((r) => [
      `  - apiGroups: ["${r.group}"]`,
      `    resources: ["${r.resource}"]`,
      `    verbs: [${[...r.verbs].map((v) => `"${v}"`).join(', ')}]`,
    ]),
    '---',
    'apiVersion: rbac.authorization.k8s.io/v1',
    'kind: RoleBinding',
    'metadata:',
    `  name: ${name}`,
    `  namespace: ${namespace}`,
    'subjects:',
    '  - kind: ServiceAccount',
    `    name: ${sa.name}`,
    `    namespace: ${sa.namespace}`,
    'roleRef:',
    '  apiGroup: rbac.authorization.k8s.io',
    '  kind: Role',
    `  name: ${name}`,
  ].join('\n');
}

/** One error per step and namespace where the service account lacks something. */
export function serviceAccountFindings(sa: WorkflowServiceAccount, checks: readonly ServiceAccountCheck[]): PreflightFinding[] {
  const denied = new Map<string, ServiceAccountCheck[]>();
  for (const c of checks) {
    if (c.allowed) continue;
    const key = `${c.node}\n${c.namespace}`;
    denied.set(key, [...(denied.get(key) ?? []), c]);
  }
  return [...denied.values()].map((list) => {
    const { node, namespace } = list[0];
    return {
      code: 'service-account-forbidden' as const,
      severity: 'error' as const,
      node,
      message: `The workflow's service account ${sa.namespace}/${sa.name} (${sa.source}) may not ${denialText(list)} in namespace ${namespace}, which deploy step "${node}" needs to apply and follow its objects there.`,
      fix: `Grant them (kubectl apply -f this), or run the workflow as an account that has them:\n${roleYaml(sa, namespace, list)}`,
    };
  });
}
