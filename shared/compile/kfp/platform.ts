/** The `platforms.kubernetes` document (kfp-kubernetes' KubernetesExecutorConfig per executor). */
import type { SecretEnvRef, Toleration } from '../../pipeline/types.ts';
import type { ResolvedNode } from '../../pipeline/resolve.ts';

/** The label NVIDIA's GPU feature discovery puts on each node (`nvidia.com/gpu.product=NVIDIA-H100-80GB-HBM3`). */
export const GPU_PRODUCT_LABEL = 'nvidia.com/gpu.product';

function toleration(t: Toleration): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (t.key !== undefined) out.key = t.key;
  if (t.operator !== undefined) out.operator = t.operator;
  if (t.value !== undefined) out.value = t.value;
  if (t.effect !== undefined) out.effect = t.effect;
  if (t.tolerationSeconds !== undefined) out.tolerationSeconds = t.tolerationSeconds;
  return out;
}

/** One entry per Secret, keys in the order the document lists them; only names, never a value. */
function secretAsEnv(refs: readonly SecretEnvRef[]): Record<string, unknown>[] {
  const bySecret = new Map<string, { secretKey: string; envVar: string }[]>();
  for (const ref of refs) {
    const keys = bySecret.get(ref.secret) ?? [];
    keys.push({ secretKey: ref.key, envVar: ref.env });
    bySecret.set(ref.secret, keys);
  }
  // Legacy `secretName` only: backends before 2.5 reject `secretNameParameter`, and newer ones still read `secretName`.
  return [...bySecret].map(([secretName, keyToEnv]) => ({ secretName, keyToEnv }));
}

/** The executor's Kubernetes config, or undefined when it needs none. */
export function kubernetesExecutorConfig(node: ResolvedNode, secretEnv: readonly SecretEnvRef[]): Record<string, unknown> | undefined {
  const config: Record<string, unknown> = {};
  const { gpuProduct, tolerations } = node.resources;
  if (gpuProduct) config.nodeSelector = { labels: { [GPU_PRODUCT_LABEL]: gpuProduct } };
  if (tolerations && tolerations.length > 0) config.tolerations = tolerations.map(toleration);
  if (secretEnv.length > 0) config.secretAsEnv = secretAsEnv(secretEnv);
  return Object.keys(config).length > 0 ? config : undefined;
}

export function platformDocument(executors: Record<string, Record<string, unknown>>): object {
  return { platforms: { kubernetes: { deploymentSpec: { executors } } } };
}
