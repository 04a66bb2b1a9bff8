import type { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubeEmulator } from '../kube-emulator/index.ts';
import type { KubeEmulator } from '../kube-emulator/index.ts';
import { emulatorKubeConfig } from './emulatorSuite.ts';
import { proxyCredentials, serviceAccountCredentials, sessionCredentials } from '../../electron/services/kube/kfpAuth.ts';

describe('KFP credentials', () => {
  let emu: KubeEmulator;
  let kc: KubeConfig;
  beforeAll(async () => {
    emu = await startKubeEmulator({ kfpMultiUser: { profiles: { 'team-a': ['system:serviceaccount:team-a:default-editor'] } } });
    kc = emulatorKubeConfig(emu);
  });
  afterAll(() => emu?.close());

  const tokenRequests = () => emu.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/serviceaccounts/default-editor/token'));

  it('a service account token has the KFP audience, is reused, and is asked for again once 80 % of its life has passed', async () => {
    let now = Date.now();
    emu.clearRequests();
    const creds = serviceAccountCredentials({ kc, namespace: 'team-a', now: () => now });
    const first = await creds.headers();
    expect(first.Authorization).toMatch(/^Bearer sa\./);
    const kfp = await fetch(`${emu.kfpDirectUrl}/apis/v2beta1/experiments?namespace=team-a`, { headers: first });
    expect(kfp.status).toBe(200);
    now += 0.79 * 3600_000;
    expect(await creds.headers()).toEqual(first);
    expect(tokenRequests()).toHaveLength(1);
    now += 0.02 * 3600_000;
    const second = await creds.headers();
    expect(second.Authorization).not.toBe(first.Authorization);
    expect(tokenRequests()).toHaveLength(2);
    expect(creds.subject).toBe('system:serviceaccount:team-a:default-editor');
  });

  it('requests made together share one TokenRequest; invalidate makes the next one ask again', async () => {
    emu.clearRequests();
    const creds = serviceAccountCredentials({ kc, namespace: 'team-a' });
    await Promise.all([creds.headers(), creds.headers(), creds.headers()]);
    expect(tokenRequests()).toHaveLength(1);
    expect(creds.invalidate()).toBe(true);
    await creds.headers();
    expect(tokenRequests()).toHaveLength(2);
  });

  it('a missing service account is named', async () => {
    await expect(serviceAccountCredentials({ kc, namespace: 'team-a', name: 'ghost' }).headers()).rejects.toThrow(/request a token for service account ghost in namespace team-a .*not found/);
  });

  it('a session reads its token and cookie from the named variables; a bare cookie value is the authservice_session', async () => {
    const creds = sessionCredentials({ tokenEnv: 'T', cookieEnv: 'C' }, { T: 'id-token', C: 'abc==' });
    expect(await creds.headers()).toEqual({ Authorization: 'Bearer id-token', Cookie: 'authservice_session=abc==' });
    const whole = sessionCredentials({ cookieEnv: 'C' }, { C: 'oauth2_proxy_kubeflow=xyz' });
    expect(await whole.headers()).toEqual({ Cookie: 'oauth2_proxy_kubeflow=xyz' });
    expect(() => sessionCredentials({ cookieEnv: 'NOPE' }, {})).toThrow('The environment variable NOPE (the authservice_session cookie) is not set or empty');
    expect(creds.advice(401)).toContain('$T / $C');
  });

  it('each mode says what to do after a 401 and a 403, in its own terms', () => {
    const sa = serviceAccountCredentials({ kc, namespace: 'team-a' });
    expect(proxyCredentials.advice(401)).toContain('no user identity reaches Kubeflow Pipelines');
    expect(sa.advice(401)).toContain('TokenReview');
    expect(sa.advice(403, 'team-a')).toContain('kubeflow-edit ClusterRole');
    expect(sessionCredentials({}).advice(403, 'team-b')).toContain('in namespace team-b: ask the owner of that Kubeflow profile');
    for (const advice of [proxyCredentials.advice(401), sa.advice(401), sessionCredentials({}).advice(401)]) expect(advice).not.toMatch(/kubeconfig/i);
  });
});
