/** Test connection follows the KFP service setting: KFP's TLS overlay answers only on https:ml-pipeline:tls. */
import { describe, expect, it } from 'vitest';
import { createKubeConnections } from '../../electron/services/kube/connections.ts';
import { useKubeEmulator } from './emulatorSuite.ts';

describe('Test connection on the KFP TLS overlay', () => {
  const { emu, load } = useKubeEmulator({ kfpTls: true });

  it('the default http:8888 is refused and named; the setting https / tls reaches KFP', async () => {
    const plain = await createKubeConnections({ load }).testConnection(emu().context, 'default');
    expect(plain.kfpReachable).toBe(false);
    expect(plain.messages.join('\n')).toContain('service ml-pipeline in namespace kubeflow');
    expect(plain.messages.join('\n')).toContain('Client sent an HTTP request to an HTTPS server.');
    const tls = await createKubeConnections({ load, kfpService: { scheme: 'https', port: 'tls' } }).testConnection(emu().context, 'default');
    expect(tls.kfpReachable, tls.messages.join('\n')).toBe(true);
    const wrongPort = await createKubeConnections({ load, kfpService: { scheme: 'https', port: 'http' } }).testConnection(emu().context, 'default');
    expect(wrongPort.messages.join('\n')).toContain('service https:ml-pipeline:http in namespace kubeflow');
  });
});
