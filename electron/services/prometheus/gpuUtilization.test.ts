import { describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { gpuUtilizationQuery, prometheusGpuUtilization } from './gpuUtilization.ts';

/** A loopback port nothing listens on. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe('GPU utilization from Prometheus', () => {
  it('asks for the mean DCGM utilization of the pod, in its namespace when known', () => {
    expect(gpuUtilizationQuery('wf-cpt-123', 'ml-team')).toBe('avg(DCGM_FI_DEV_GPU_UTIL{namespace="ml-team", pod="wf-cpt-123"})');
    expect(gpuUtilizationQuery('wf-cpt-123')).toBe('avg(DCGM_FI_DEV_GPU_UTIL{pod="wf-cpt-123"})');
  });

  it('is off without a URL, and says once (not per query) when Prometheus does not answer', async () => {
    const warnings: string[] = [];
    const off = prometheusGpuUtilization({ url: () => null, warn: (m) => warnings.push(m) });
    expect(await off({ pod: 'p' })).toBeUndefined();
    const port = await closedPort();
    const down = prometheusGpuUtilization({ url: () => `http://127.0.0.1:${port}`, warn: (m) => warnings.push(m), timeoutMs: 2000 });
    expect(await down({ pod: 'p' })).toBeUndefined();
    expect(await down({ pod: 'q' })).toBeUndefined();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(new RegExp(`^GPU idle alert: Prometheus at http://127.0.0.1:${port} did not answer`));
  });
});
