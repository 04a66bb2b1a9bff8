/** Test connection follows the KFP service setting: KFP's TLS overlay answers only on https:ml-pipeline:tls. */
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKubeConnections } from '../../electron/services/kube/connections.ts';
import { startKubeEmulator } from '../kube-emulator/index.ts';
import type { KubeEmulator } from '../kube-emulator/index.ts';

describe('Test connection on the KFP TLS overlay', () => {
  let emu: KubeEmulator;
  const load = () => {
    const kc = new KubeConfig();
    kc.loadFromFile(emu.kubeconfigPath);
    return kc;
  };
  beforeAll(async () => {
    emu = await startKubeEmulator({ kfpTls: true });
  });
  afterAll(() => emu?.close());

  it('the default http:8888 is refused and named; the setting https / tls reaches KFP', async () => {
    const plain = await createKubeConnections({ load }).testConnection(emu.context, 'default');
    expect(plain.kfpReachable).toBe(false);
    expect(plain.messages.join('\n')).toContain('service ml-pipeline in namespace kubeflow');
    expect(plain.messages.join('\n')).toContain('Client sent an HTTP request to an HTTPS server.');
    const tls = await createKubeConnections({ load, kfpService: { scheme: 'https', port: 'tls' } }).testConnection(emu.context, 'default');
    expect(tls.kfpReachable, tls.messages.join('\n')).toBe(true);
    const wrongPort = await createKubeConnections({ load, kfpService: { scheme: 'https', port: 'http' } }).testConnection(emu.context, 'default');
    expect(wrongPort.messages.join('\n')).toContain('service https:ml-pipeline:http in namespace kubeflow');
  });
});
