/**
 * A step pod's GPU utilization from Prometheus: the NVIDIA DCGM exporter's DCGM_FI_DEV_GPU_UTIL (percent,
 * one series per GPU, labelled with the pod using it when the exporter maps pods), averaged over the pod's
 * GPUs, through the HTTP API's instant query. No URL, no series, or a Prometheus that does not answer: undefined.
 */
import type { GpuUtilization } from '../runs/alerting.ts';

export interface PrometheusGpuOptions {
  /** The Prometheus base URL (e.g. http://localhost:9090), read at each query; null/empty: off. */
  url(): Promise<string | null> | string | null;
  timeoutMs?: number;
  /** Told once per URL when queries fail (the alert stays quiet meanwhile). */
  warn?(message: string): void;
}

const quote = (value: string) => `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

export function gpuUtilizationQuery(pod: string, namespace?: string): string {
  return `avg(DCGM_FI_DEV_GPU_UTIL{${namespace ? `namespace=${quote(namespace)}, ` : ''}pod=${quote(pod)}})`;
}

export function prometheusGpuUtilization(options: PrometheusGpuOptions): GpuUtilization {
  const warned = new Set<string>();
  const warn = options.warn ?? ((message: string) => console.warn(message));
  return async ({ namespace, pod }) => {
    const base = (await options.url())?.trim();
    if (!base) return undefined;
    const url = `${base.replace(/\/+$/, '')}/api/v1/query?query=${encodeURIComponent(gpuUtilizationQuery(pod, namespace))}`;
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(options.timeoutMs ?? 5000) });
      const body = (await response.json()) as { status?: string; error?: string; data?: { resultType?: string; result?: { value?: [number, string] }[] } };
      if (body.status !== 'success') throw new Error(body.error ?? `HTTP ${response.status}`);
      const sample = body.data?.result?.[0]?.value?.[1];
      warned.delete(base);
      return sample === undefined ? undefined : Number(sample);
    } catch (error) {
      if (!warned.has(base)) {
        warned.add(base);
        warn(`GPU idle alert: Prometheus at ${base} did not answer (${(error as Error).message}); the alert waits until it does`);
      }
      return undefined;
    }
  };
}
