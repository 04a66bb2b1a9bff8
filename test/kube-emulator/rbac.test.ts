/** The emulator's SubjectAccessReview, as Kubernetes' RBAC authorizer answers it, asked with kubectl and plain HTTP. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubeEmulator } from './index.ts';
import type { KubeEmulator } from './index.ts';
import { kubectl } from './test-helpers.ts';

let emulator: KubeEmulator;
beforeAll(async () => {
  emulator = await startKubeEmulator({ namespaces: ['inference', 'ml'] });
});
afterAll(() => emulator.close());

const review = (user: string, attrs: Record<string, string>) =>
  JSON.stringify({ apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec: { user, resourceAttributes: attrs } });

async function ask(user: string, attrs: Record<string, string>): Promise<{ allowed: boolean; reason?: string }> {
  const r = await kubectl(emulator, ['create', '-f', '-', '-o', 'json'], { stdin: review(user, attrs) });
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { status: { allowed: boolean; reason?: string } }).status;
}

describe('SubjectAccessReview', () => {
  it('answers from a Role bound to a ServiceAccount in its namespace: verbs, resources, subresources, resourceNames', async () => {
    const sa = 'system:serviceaccount:ml:runner';
    const deploy = { namespace: 'inference', verb: 'patch', group: 'apps', resource: 'deployments' };
    expect(await ask(sa, deploy)).toEqual({ allowed: false });
    const rbac = [
      'apiVersion: rbac.authorization.k8s.io/v1', 'kind: Role', 'metadata: {name: deployer, namespace: inference}', 'rules:',
      '  - {apiGroups: ["apps"], resources: ["deployments"], verbs: ["patch", "get"]}',
      '  - {apiGroups: ["argoproj.io"], resources: ["rollouts/status"], verbs: ["patch"], resourceNames: ["pipewright-serve"]}',
      '---', 'apiVersion: rbac.authorization.k8s.io/v1', 'kind: RoleBinding', 'metadata: {name: deployer, namespace: inference}',
      'subjects: [{kind: ServiceAccount, name: runner, namespace: ml}]', 'roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: deployer}',
    ].join('\n');
    expect((await kubectl(emulator, ['apply', '-f', '-'], { stdin: rbac })).code).toBe(0);
    expect(await ask(sa, deploy)).toEqual({ allowed: true, reason: `RBAC: allowed by RoleBinding "deployer/inference" of Role "deployer" to ${sa}` });
    expect((await ask(sa, { ...deploy, verb: 'create' })).allowed).toBe(false);
    expect((await ask(sa, { ...deploy, namespace: 'ml' })).allowed).toBe(false);
    expect((await ask('system:serviceaccount:other:runner', deploy)).allowed).toBe(false);
    const status = { namespace: 'inference', verb: 'patch', group: 'argoproj.io', resource: 'rollouts', subresource: 'status' };
    expect((await ask(sa, { ...status, name: 'pipewright-serve' })).allowed).toBe(true);
    expect((await ask(sa, { ...status, name: 'other' })).allowed).toBe(false);
    expect((await ask(sa, { namespace: 'inference', verb: 'patch', group: 'argoproj.io', resource: 'rollouts' })).allowed).toBe(false);
  });

  it('refuses a review without a user or group (422), as the API server does', async () => {
    const res = await fetch(`${emulator.url}/apis/authorization.k8s.io/v1/subjectaccessreviews`, {
      method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${emulator.token}` },
      body: JSON.stringify({ apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec: { resourceAttributes: { verb: 'get', resource: 'pods' } } }),
    });
    expect(res.status).toBe(422);
    expect(((await res.json()) as { message: string }).message).toContain('at least one of user or group must be specified');
  });
});
