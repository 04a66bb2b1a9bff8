/**
 * Pre-flight checks Kubeflow Pipelines where the run will reach it, and says which endpoint that was: the
 * KFP service setting behind the service proxy (a service under another name and port; the TLS overlay),
 * or the Kubeflow URL with the login session on a multi-user install, where the proxy is refused.
 */
import { describe, expect, it } from 'vitest';
import { runPreflight } from '../../electron/services/preflight/index.ts';
import { catalog } from '../../node-catalog/index.ts';
import type { KfpProbeOptions } from '../../electron/services/preflight/kfpProbe.ts';
import { pipeline, step } from '../fixtures/preflightCluster.ts';
import type { KubeEmulatorOptions } from '../kube-emulator/index.ts';
import { useKubeEmulator } from './emulatorSuite.ts';

const doc = pipeline([step('data', 'dataset')]);

function on(options: KubeEmulatorOptions) {
  const { emu, load } = useKubeEmulator(options);
  return {
    emu,
    preflight: (kfp: KfpProbeOptions, namespace = 'default') => runPreflight(doc, catalog, { target: 'kfp', context: emu().context, namespace, load, kfp }),
  };
}

const engine = (findings: { code: string; message: string }[]) => findings.filter((f) => f.code === 'engine-missing').map((f) => f.message);

describe('pre-flight on a KFP service under another name and port', () => {
  const c = on({ kfpService: { name: 'kfp-api', port: 8080 } });

  it('the default service is missing, and named; the setting (kfp-api, 8080) is checked, said, and passes', async () => {
    const plain = await c.preflight({});
    expect(plain.kfpEndpoint).toEqual({ via: 'proxy', namespace: 'kubeflow', name: 'ml-pipeline', service: 'ml-pipeline:8888' });
    expect(engine(plain.findings)).toEqual([expect.stringContaining('no service ml-pipeline in namespace kubeflow')]);

    const set = await c.preflight({ service: { namespace: 'kubeflow', name: 'kfp-api', port: '8080', scheme: 'http' } });
    expect(set.kfpEndpoint).toEqual({ via: 'proxy', namespace: 'kubeflow', name: 'kfp-api', service: 'kfp-api:8080' });
    expect(set.kfpMultiUser).toBe(false);
    expect(engine(set.findings)).toEqual([]);
    expect(c.emu().requests.some((r) => r.path === '/api/v1/namespaces/kubeflow/services/kfp-api:8080/proxy/apis/v2beta1/healthz')).toBe(true);

    // The right service on a port it does not have: the answer names the endpoint that was tried.
    const wrongPort = await c.preflight({ service: { name: 'kfp-api', port: '8888' } });
    expect(engine(wrongPort.findings)).toEqual([expect.stringMatching(/^Kubeflow Pipelines does not answer at service kfp-api:8888 in namespace kubeflow, through the Kubernetes service proxy: .*no endpoints available/)]);
  });
});

describe('pre-flight on the KFP TLS overlay', () => {
  const c = on({ kfpTls: true });

  it('http:8888 is refused with the server\'s answer; the request\'s https / tls wins over the setting', async () => {
    const plain = await c.preflight({ service: { scheme: 'http', port: '8888' } });
    expect(engine(plain.findings)).toEqual([expect.stringContaining('Client sent an HTTP request to an HTTPS server.')]);
    expect(plain.findings.find((f) => f.code === 'engine-missing')?.fix).toContain('port tls');
    const tls = await c.preflight({ service: { scheme: 'http', port: '8888' }, request: { kfpService: { scheme: 'https', port: 'tls' } } });
    expect(tls.kfpEndpoint).toMatchObject({ via: 'proxy', service: 'https:ml-pipeline:tls' });
    expect(engine(tls.findings)).toEqual([]);
  });
});

describe('pre-flight on a multi-user Kubeflow', () => {
  const COOKIE = 'MTcwMDAwMDAwMHxwcmVmbGlnaHQ';
  const c = on({ kfpMultiUser: { profiles: { 'team-a': ['alice@example.com'] }, sessions: { [COOKIE]: 'alice@example.com' } } });

  it('through the service proxy: blocked, because no identity would reach KFP', async () => {
    const report = await c.preflight({}, 'team-a');
    expect(report.kfpMultiUser).toBe(true);
    expect(report.ok).toBe(false);
    expect(report.findings).toContainEqual(expect.objectContaining({ code: 'kfp-no-identity', severity: 'error' }));
  });

  it('the Kubeflow URL with the login session: that URL is checked and named; no proxy access is asked for; pods are looked for in the profile namespace', async () => {
    const emu = c.emu();
    emu.controller.deny({ resource: 'services', subresource: 'proxy', namespace: 'kubeflow' });
    emu.controller.deny({ resource: 'pods', subresource: 'log', namespace: 'team-a' });
    try {
      const report = await c.preflight({ request: { kfpUrl: emu.kfpIngressUrl, kfpAuth: 'session', kfpCookieEnv: 'PW_TEST_PREFLIGHT_SESSION' }, env: { PW_TEST_PREFLIGHT_SESSION: COOKIE } }, 'team-a');
      expect(report.kfpEndpoint).toEqual({ via: 'session', url: emu.kfpIngressUrl });
      expect(report.kfpMultiUser).toBe(true);
      const codes = report.findings.map((f) => f.code);
      expect(codes).not.toContain('engine-missing');
      expect(codes).not.toContain('kfp-no-identity');
      const forbidden = report.findings.filter((f) => f.code === 'forbidden').map((f) => f.message);
      expect(forbidden).toEqual(['You may not get pods/log in namespace team-a, which the run needs.']);
      // Through the proxy the same denial of services/proxy is a finding.
      const proxied = await c.preflight({}, 'team-a');
      expect(proxied.findings.filter((f) => f.code === 'forbidden').map((f) => f.message)).toContain('You may not get, create services/proxy in namespace kubeflow, which the run needs.');
    } finally {
      emu.controller.allowAll();
    }
  });

  it('a session variable that is not set is named in the finding, with the URL checked', async () => {
    const emu = c.emu();
    const report = await c.preflight({ request: { kfpUrl: emu.kfpIngressUrl, kfpCookieEnv: 'PW_TEST_PREFLIGHT_UNSET' }, env: {} }, 'team-a');
    expect(engine(report.findings)).toEqual([expect.stringMatching(new RegExp(`^Kubeflow Pipelines does not answer at ${emu.kfpIngressUrl!.replace(/[.:/]/g, '\\$&')}, with your Kubeflow login session: .*PW_TEST_PREFLIGHT_UNSET`))]);
  });
});
