/**
 * The emulated KFP in multi-user mode answers as the real backend does (auth/, resource_manager's
 * IsAuthorized, the servers' namespace checks): no identity → 401, another profile → 403, an empty
 * namespace → 400, objects of another namespace invisible; the ways in strip or refuse what a cluster does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubeEmulator } from './index.ts';
import type { KubeEmulator } from './index.ts';

const ALICE = 'alice@example.com';
const BOB = 'bob@example.com';

describe('KFP emulator, multi-user mode', () => {
  let emu: KubeEmulator;
  const kube = (path: string, init: RequestInit = {}) => fetch(`${emu.url}${path}`, { ...init, headers: { Authorization: `Bearer ${emu.token}`, 'Content-Type': 'application/json', ...init.headers } });
  const saToken = async (namespace: string, audiences = ['pipelines.kubeflow.org']) => {
    const res = await kube(`/api/v1/namespaces/${namespace}/serviceaccounts/default-editor/token`, { method: 'POST', body: JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { audiences, expirationSeconds: 3600 } }) });
    expect(res.status).toBe(201);
    return ((await res.json()) as { status: { token: string } }).status.token;
  };
  const direct = (path: string, token: string, init: RequestInit = {}) => fetch(`${emu.kfpDirectUrl}/apis/v2beta1${path}`, { ...init, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', ...init.headers } });

  beforeAll(async () => {
    emu = await startKubeEmulator({
      timeScale: 0.01,
      kfpMultiUser: {
        profiles: { 'team-a': [ALICE, 'system:serviceaccount:team-a:default-editor'], 'team-b': [BOB, 'system:serviceaccount:team-b:default-editor'] },
        sessions: { 'alice-id-token': ALICE, 'alice-cookie': ALICE, 'bob-cookie': BOB },
      },
    });
  });
  afterAll(() => emu?.close());

  it('through the service proxy: healthz says multi_user, a list is 401 (the API server strips Authorization), a forged user id header is refused by Istio', async () => {
    const health = await (await kube('/api/v1/namespaces/kubeflow/services/ml-pipeline:8888/proxy/apis/v2beta1/healthz')).json();
    expect(health).toMatchObject({ multi_user: true });
    const list = await kube('/api/v1/namespaces/kubeflow/services/ml-pipeline:8888/proxy/apis/v2beta1/experiments?namespace=team-a');
    expect(list.status).toBe(401);
    expect(await list.json()).toMatchObject({ code: 16, message: expect.stringContaining('there is no user identity header') });
    const forged = await kube('/api/v1/namespaces/kubeflow/services/ml-pipeline:8888/proxy/apis/v2beta1/experiments?namespace=team-a', { headers: { 'kubeflow-userid': ALICE } });
    expect(forged.status).toBe(403);
    expect(await forged.text()).toBe('RBAC: access denied');
  });

  it('the ingress: no session → redirect to sign in; a bad ID token → 401; a good cookie reaches KFP as that user', async () => {
    const none = await fetch(`${emu.kfpIngressUrl}/apis/v2beta1/experiments?namespace=team-a`, { redirect: 'manual' });
    expect(none.status).toBe(302);
    expect(none.headers.get('location')).toMatch(/^\/dex\/auth/);
    const bad = await fetch(`${emu.kfpIngressUrl}/apis/v2beta1/experiments?namespace=team-a`, { headers: { Authorization: 'Bearer nope' } });
    expect(bad.status).toBe(401);
    const ok = await fetch(`${emu.kfpIngressUrl}/apis/v2beta1/experiments?namespace=team-a`, { headers: { Cookie: 'authservice_session=alice-cookie' } });
    expect(ok.status).toBe(200);
    const other = await fetch(`${emu.kfpIngressUrl}/apis/v2beta1/experiments?namespace=team-b`, { headers: { Cookie: 'authservice_session=alice-cookie' } });
    expect(other.status).toBe(403);
    expect(await other.json()).toMatchObject({ code: 7, message: expect.stringContaining(`User '${ALICE}' is not authorized`) });
  });

  it('direct: a ServiceAccount token needs the KFP audience; the namespace is required; another namespace\'s objects are invisible', async () => {
    const wrongAudience = await saToken('team-a', ['https://kubernetes.default.svc']);
    const refused = await direct('/experiments?namespace=team-a', wrongAudience);
    expect(refused.status).toBe(401);
    expect(await refused.text()).toContain("Failed to find all of '[pipelines.kubeflow.org]' in audience");
    const a = await saToken('team-a');
    const b = await saToken('team-b');
    const noNamespace = await direct('/experiments', a);
    expect(noNamespace.status).toBe(400);
    expect(await noNamespace.text()).toContain('An experiment cannot have an empty namespace in multi-user mode');
    const emptyCreate = await direct('/experiments', a, { method: 'POST', body: JSON.stringify({ display_name: 'x' }) });
    expect(emptyCreate.status).toBe(400);
    const created = await direct('/experiments', a, { method: 'POST', body: JSON.stringify({ display_name: 'tuning', namespace: 'team-a' }) });
    expect(created.status).toBe(200);
    const { experiment_id } = (await created.json()) as { experiment_id: string };
    expect(((await (await direct('/experiments?namespace=team-a', a)).json()) as { experiments?: unknown[] }).experiments).toHaveLength(1);
    expect(((await (await direct('/experiments?namespace=team-b', b)).json()) as { experiments?: unknown[] }).experiments ?? []).toHaveLength(0);
    expect((await direct(`/experiments/${experiment_id}`, b)).status).toBe(403);
    expect((await direct('/experiments?namespace=team-a', b)).status).toBe(403);
    const runWithoutExperiment = await direct('/runs', a, { method: 'POST', body: JSON.stringify({ display_name: 'r', pipeline_spec: {} }) });
    expect(runWithoutExperiment.status).toBe(400);
    expect(await runWithoutExperiment.text()).toContain('Experiment id can not be empty in multi-user mode');
    expect((await direct('/runs', a)).status).toBe(400);
    const forged = await fetch(`${emu.kfpDirectUrl}/apis/v2beta1/experiments?namespace=team-a`, { headers: { 'kubeflow-userid': ALICE } });
    expect(forged.status).toBe(403);
  });

  it('an upload it refuses answers the upload server\'s own 400 body, without the reason', async () => {
    const b = await saToken('team-b');
    const form = new FormData();
    form.append('uploadfile', new Blob(['pipelineInfo: {name: p}\nroot: {}\n']), 'p.yaml');
    const res = await fetch(`${emu.kfpDirectUrl}/apis/v2beta1/pipelines/upload?name=p&namespace=team-a`, { method: 'POST', body: form, headers: { Authorization: `Bearer ${b}` } });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error_message: 'Failed to create a pipeline', error_details: 'Failed to create a pipeline' });
  });

  it('TokenRequest: the ServiceAccount must exist, and lives at least 10 minutes', async () => {
    const missing = await kube('/api/v1/namespaces/team-a/serviceaccounts/nobody/token', { method: 'POST', body: JSON.stringify({ spec: { audiences: ['pipelines.kubeflow.org'] } }) });
    expect(missing.status).toBe(404);
    const short = await kube('/api/v1/namespaces/team-a/serviceaccounts/default-editor/token', { method: 'POST', body: JSON.stringify({ spec: { expirationSeconds: 60 } }) });
    expect(short.status).toBe(422);
  });
});
