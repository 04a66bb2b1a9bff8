/** The `platforms.kubernetes` document (kfp-kubernetes' KubernetesExecutorConfig per executor). */
import type { SecretEnvRef, Toleration } from '../../pipeline/types.ts';
import type { PlannedNode } from '../plan.ts';
import { CHECKPOINT_MOUNT } from '../trainingLaunch.ts';
import { literalField } from './launcher.ts';
import type { YamlMap } from './yaml.ts';

/** The label NVIDIA's GPU feature discovery puts on each node (`nvidia.com/gpu.product=NVIDIA-H100-80GB-HBM3`). */
export const GPU_PRODUCT_LABEL = 'nvidia.com/gpu.product';

function toleration(t: Toleration, nodeId: string, i: number): YamlMap {
  const field = `resources.tolerations.${i}`;
  return {
    key: t.key === undefined ? undefined : literalField(t.key, nodeId, `${field}.key`),
    operator: t.operator,
    value: t.value === undefined ? undefined : literalField(t.value, nodeId, `${field}.value`),
    effect: t.effect,
    tolerationSeconds: t.tolerationSeconds,
  };
}

/** One entry per Secret, keys in the order the document lists them: names only, never a value. */
export function secretAsEnv(refs: readonly SecretEnvRef[]): YamlMap[] {
  const bySecret = new Map<string, { secretKey: string; envVar: string }[]>();
  refs.forEach((ref, i) => {
    const field = `settings.secretEnv.${i}`;
    const name = literalField(ref.secret, undefined, `${field}.secret`);
    const keys = bySecret.get(name) ?? [];
    keys.push({ secretKey: literalField(ref.key, undefined, `${field}.key`), envVar: literalField(ref.env, undefined, `${field}.env`) });
    bySecret.set(name, keys);
  });
  // The legacy `secretName` alone: backends before 2.5 reject `secretNameParameter`, and later ones still read `secretName`.
  return [...bySecret].map(([secretName, keyToEnv]) => ({ secretName, keyToEnv }));
}

/** The KFP run id, from the label KFP's backend puts on every pod of a run (the Pushgateway groups a step's metrics by it). */
export const KFP_RUN_ID_ENV = { name: 'PIPEWRIGHT_RUN_ID', fieldPath: "metadata.labels['pipeline/runid']" };

/** The executor's Kubernetes config, or undefined when it needs none; `secrets` is secretAsEnv of the settings. */
export function kubernetesExecutorConfig(p: PlannedNode, secrets: YamlMap[] | undefined, runIdEnv = false, checkpointPvc?: string): YamlMap | undefined {
  const config: YamlMap = {};
  const { gpuProduct, tolerations } = p.resolved.resources;
  if (gpuProduct) config.nodeSelector = { labels: { [GPU_PRODUCT_LABEL]: literalField(gpuProduct, p.id, 'resources.gpuProduct') } };
  if (tolerations && tolerations.length > 0) config.tolerations = tolerations.map((t, i) => toleration(t, p.id, i));
  if (secrets) config.secretAsEnv = secrets;
  if (runIdEnv || checkpointPvc) config.fieldPathAsEnv = [{ ...KFP_RUN_ID_ENV }];
  if (checkpointPvc) {
    const name = literalField(checkpointPvc, undefined, 'settings.checkpointPvc');
    // `constant` for backends before 2.4, `pvcNameParameter` for later ones, as kfp-kubernetes' mount_pvc writes both.
    config.pvcMount = [{ constant: name, pvcNameParameter: { runtimeValue: { constant: name } }, mountPath: CHECKPOINT_MOUNT }];
  }
  return Object.keys(config).length > 0 ? config : undefined;
}

export function platformDocument(executors: YamlMap): YamlMap {
  return { platforms: { kubernetes: { deploymentSpec: { executors } } } };
}
