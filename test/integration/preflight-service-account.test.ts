/**
 * Pre-flight checks the workflow's service account against the emulator's RBAC: may it create, patch and get what each
 * deploy step applies (Deployment, Service, Rollout, AnalysisTemplate) in the step's namespace? The emulator answers
 * SubjectAccessReviews from Roles, RoleBindings, ClusterRoles and ClusterRoleBindings (applied with kubectl) or grants.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { catalog } from '../../node-catalog/index.ts';
import { runPreflight } from '../../electron/services/preflight/index.ts';
import type { PipelineDocument, PipelineNode } from '../../shared/pipeline/types.ts';
import type { PreflightTarget } from '../../shared/preflight/types.ts';
import { pipeline, step } from '../fixtures/preflightCluster.ts';
import { startKubeEmulator } from '../kube-emulator/index.ts';
import type { KubeEmulator } from '../kube-emulator/index.ts';
import { emulatorKubeConfig } from './emulatorSuite.ts';
import { kubectl } from '../kube-emulator/test-helpers.ts';

const serve = (params: PipelineNode['params']): PipelineNode => ({ id: 'serve', type: 'deploy', position: { x: 0, y: 0 }, params });
const withDeploy = (params: PipelineNode['params'] = { namespace: 'inference', canary: true }): PipelineDocument => pipeline([step('data', 'dataset'), serve(params)]);

describe("pre-flight: the workflow's service account may deploy", () => {
  let emulator: KubeEmulator;
  const load = () => emulatorKubeConfig(emulator);
  const preflight = (doc: PipelineDocument, target: PreflightTarget = 'argo', serviceAccount?: string) =>
    runPreflight(doc, catalog, { target, context: emulator.context, namespace: 'ml', load, ...(serviceAccount ? { serviceAccount } : {}) });

  beforeEach(async () => {
    emulator = await startKubeEmulator({ namespaces: ['ml', 'inference'] });
  });
  afterEach(() => emulator.close());

  it('a service account without RBAC: one error naming verbs, kinds, the namespace and the Role to apply; applying it with kubectl clears it', async () => {
    const before = emulator.requests.length;
    const report = await preflight(withDeploy());
    expect(report.ok).toBe(false);
    expect(report.findings.map((f) => `${f.severity} ${f.code} ${f.node}`)).toEqual(['error service-account-forbidden serve']);
    const [finding] = report.findings;
    expect(finding.message).toBe(
      "The workflow's service account ml/default (Argo's default: the workflow sets no spec.serviceAccountName) may not create/patch/get Service (services), create/patch/get Deployment (deployments.apps), " +
        'create/patch AnalysisTemplate (analysistemplates.argoproj.io), create/patch/get Rollout (rollouts.argoproj.io), patch Rollout status (rollouts/status.argoproj.io), get AnalysisRun (analysisruns.argoproj.io) ' +
        'in namespace inference, which deploy step "serve" needs to apply and follow its objects there.',
    );
    // One SubjectAccessReview per permission the step needs (13 with a canary).
    expect(emulator.requests.slice(before).filter((r) => r.method === 'POST' && r.path === '/apis/authorization.k8s.io/v1/subjectaccessreviews')).toHaveLength(13);

    // The fix as a user would apply it: kubectl apply -f of the YAML in the finding.
    const yaml = finding.fix.slice(finding.fix.indexOf('\n') + 1);
    const applied = await kubectl(emulator, ['apply', '-f', '-'], { stdin: yaml });
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toMatch(/role\.rbac\.authorization\.k8s\.io\/pipewright-deploy created\s+rolebinding\.rbac\.authorization\.k8s\.io\/pipewright-deploy created/);
    expect(await preflight(withDeploy())).toMatchObject({ ok: true, findings: [] });
  });

  it('RBAC as clusters hold it: a ClusterRole bound in the namespace to the service accounts group; a Role elsewhere does not count', async () => {
    emulator.apply('clusterroles', { metadata: { name: 'deployer' }, rules: [{ apiGroups: ['', 'apps', 'argoproj.io'], resources: ['*'], verbs: ['create', 'get', 'patch'] }] } as never);
    emulator.apply('rolebindings', { metadata: { name: 'deployer', namespace: 'staging' }, subjects: [{ kind: 'Group', name: 'system:serviceaccounts:ml', apiGroup: 'rbac.authorization.k8s.io' }], roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'deployer' } } as never);
    expect((await preflight(withDeploy())).findings.map((f) => f.code)).toEqual(['service-account-forbidden']);
    emulator.apply('rolebindings', { metadata: { name: 'deployer', namespace: 'inference' }, subjects: [{ kind: 'Group', name: 'system:serviceaccounts:ml', apiGroup: 'rbac.authorization.k8s.io' }], roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'deployer' } } as never);
    expect((await preflight(withDeploy())).findings).toEqual([]);
    // A service account of another namespace is not in that group.
    expect((await preflight(withDeploy(), 'argo', 'deployer')).findings).toEqual([]);
    expect((await preflight(withDeploy(), 'kfp')).findings.map((f) => f.code)).toContain('service-account-forbidden');
  });

  it("the allow-list grants; without a canary only Deployments and Services are checked; KFP's runner account; an account given", async () => {
    emulator.controller.grant('system:serviceaccount:ml:default', { group: 'apps', resource: 'deployments', namespace: 'serving' });
    const plain = await preflight(withDeploy({ namespace: 'serving', canary: false }));
    expect(plain.findings).toHaveLength(1);
    expect(plain.findings[0].message).toContain('may not create/patch/get Service (services) in namespace serving');
    expect(plain.findings[0].message).not.toContain('Deployment');

    const kfp = await preflight(withDeploy({ namespace: 'serving', canary: false }), 'kfp');
    expect(kfp.findings.find((f) => f.code === 'service-account-forbidden')!.message).toContain("service account kubeflow/pipeline-runner (KFP's pipeline runner) may not create/patch/get Service (services), create/patch/get Deployment (deployments.apps) in namespace serving");
    const given = await preflight(withDeploy({ namespace: 'serving', canary: false }), 'argo', 'deployer');
    expect(given.findings[0].message).toContain('service account ml/deployer (given)');
    expect(given.findings[0].fix).toContain('  - kind: ServiceAccount\n    name: deployer\n    namespace: ml');

    // A deploy step that only renders needs nothing; a pipeline without deploy asks nothing.
    const before = emulator.requests.length;
    expect((await preflight(withDeploy({ apply: false }))).findings).toEqual([]);
    expect(emulator.requests.slice(before).filter((r) => r.path.endsWith('/subjectaccessreviews'))).toEqual([]);
  });

  it('a user who may not ask SubjectAccessReviews gets a warning saying what was not checked and how to check by hand', async () => {
    emulator.controller.deny({ verb: 'create', group: 'authorization.k8s.io', resource: 'subjectaccessreviews' });
    const report = await preflight(withDeploy());
    expect(report.ok).toBe(true);
    expect(report.findings.map((f) => `${f.severity} ${f.code}`)).toEqual(['warning cannot-inspect']);
    expect(report.findings[0].message).toContain("Could not read what the workflow's service account ml/default may do, so that was not checked");
    expect(report.findings[0].message).toContain('subjectaccessreviews');
    expect(report.findings[0].fix).toContain('kubectl auth can-i create deployments.apps -n DEPLOY_NAMESPACE --as=system:serviceaccount:ml:default');
  });
});
