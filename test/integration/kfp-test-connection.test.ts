/** Test connection follows the KFP connection the run will use: on a multi-user Kubeflow the proxy is named as the wrong way in, the login session at the Kubeflow URL is tested itself. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKubeConnections } from '../../electron/services/kube/connections.ts';
import { useKubeEmulator } from './emulatorSuite.ts';

const COOKIE = 'MTcwMDAwMDAwMHx0ZXN0LWNvbm5lY3Rpb24';
const VAR = 'PIPEWRIGHT_TEST_CONNECTION_SESSION';

describe('Test connection on a multi-user Kubeflow', () => {
  const { emu, load } = useKubeEmulator({ kfpMultiUser: { profiles: { 'team-a': ['alice@example.com'] }, sessions: { [COOKIE]: 'alice@example.com' } } });
  beforeAll(() => {
    process.env[VAR] = COOKIE;
  });
  afterAll(() => {
    delete process.env[VAR];
  });

  it('the proxy: not usable, and why; the Kubeflow URL with the session: reachable; a bad session: the URL and the advice', async () => {
    const connections = createKubeConnections({ load });
    const proxy = await connections.testConnection(emu().context, 'team-a');
    expect(proxy.kfpReachable).toBe(false);
    expect(proxy.messages.join('\n')).toContain('This Kubeflow Pipelines is multi-user: through the Kubernetes service proxy no user identity reaches it');
    const session = await connections.testConnection(emu().context, 'team-a', { kfpUrl: emu().kfpIngressUrl, kfpAuth: 'session', kfpCookieEnv: VAR });
    expect(session.kfpReachable, session.messages.join('\n')).toBe(true);
    expect(session.messages.join('\n')).not.toContain('Kubeflow Pipelines');
    const stale = await connections.testConnection(emu().context, 'team-a', { kfpUrl: emu().kfpIngressUrl, kfpAuth: 'session', kfpToken: 'stale' });
    expect(stale.kfpReachable).toBe(false);
    expect(stale.messages.join('\n')).toContain(`Kubeflow Pipelines does not answer at ${emu().kfpIngressUrl} (login session)`);
    expect(stale.messages.join('\n')).toContain('Sign in to the Kubeflow dashboard again');
  });
});
