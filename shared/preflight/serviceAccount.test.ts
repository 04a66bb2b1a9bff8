import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { roleYaml, serviceAccountFindings } from './serviceAccount.ts';
import type { ServiceAccountCheck, WorkflowServiceAccount } from './types.ts';

const SA: WorkflowServiceAccount = { namespace: 'argo', name: 'default', source: "Argo's default: the workflow sets no spec.serviceAccountName" };
const check = (verb: string, group: string, resource: string, allowed: boolean, extra: Partial<ServiceAccountCheck> = {}): ServiceAccountCheck =>
  ({ node: 'serve', verb, group, resource, namespace: 'inference', allowed, ...extra });

describe('serviceAccountFindings', () => {
  it('one error per deploy step and namespace naming each verb, kind and the namespace; nothing when all is allowed', () => {
    const checks = [
      check('create', 'apps', 'deployments', false), check('patch', 'apps', 'deployments', false), check('get', 'apps', 'deployments', true),
      check('create', '', 'services', false),
      check('patch', 'argoproj.io', 'rollouts', false, { subresource: 'status' }),
      check('create', 'apps', 'deployments', false, { node: 'serve-eu', namespace: 'inference-eu' }),
    ];
    const findings = serviceAccountFindings(SA, checks);
    expect(findings.map((f) => [f.code, f.severity, f.node])).toEqual([['service-account-forbidden', 'error', 'serve'], ['service-account-forbidden', 'error', 'serve-eu']]);
    expect(findings[0].message).toBe(
      "The workflow's service account argo/default (Argo's default: the workflow sets no spec.serviceAccountName) may not create/patch Deployment (deployments.apps), create Service (services), patch Rollout status (rollouts/status.argoproj.io) in namespace inference, which deploy step \"serve\" needs to apply and follow its objects there.",
    );
    expect(findings[1].message).toContain('may not create Deployment (deployments.apps) in namespace inference-eu');
    expect(serviceAccountFindings(SA, checks.map((c) => ({ ...c, allowed: true })))).toEqual([]);
  });

  it('the fix is a Role with exactly the missing rules and a RoleBinding to the service account, as YAML', () => {
    const denied = [check('create', 'apps', 'deployments', false), check('patch', 'apps', 'deployments', false), check('create', '', 'services', false), check('patch', 'argoproj.io', 'rollouts', false, { subresource: 'status' })];
    const fix = serviceAccountFindings(SA, denied)[0].fix;
    expect(fix.split('\n')[0]).toBe('Grant them (kubectl apply -f this), or run the workflow as an account that has them:');
    const docs = parseAllDocuments(roleYaml(SA, 'inference', denied)).map((d) => d.toJS() as Record<string, unknown>);
    expect(docs).toEqual([
      {
        apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'pipewright-deploy', namespace: 'inference' },
        rules: [
          { apiGroups: ['apps'], resources: ['deployments'], verbs: ['create', 'patch'] },
          { apiGroups: [''], resources: ['services'], verbs: ['create'] },
          { apiGroups: ['argoproj.io'], resources: ['rollouts/status'], verbs: ['patch'] },
        ],
      },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'pipewright-deploy', namespace: 'inference' },
        subjects: [{ kind: 'ServiceAccount', name: 'default', namespace: 'argo' }],
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'pipewright-deploy' },
      },
    ]);
    expect(fix.endsWith(roleYaml(SA, 'inference', denied))).toBe(true);
  });
});
