/**
 * Where the cluster integration tests run: the Kubernetes API emulator (default, part of `npm test`),
 * or the real cluster in KUBECONFIG when PIPEWRIGHT_TEST_CLUSTER=real (`npm run test:cluster`).
 * On a real cluster, PIPEWRIGHT_TEST_CONTEXT / PIPEWRIGHT_TEST_NAMESPACE / PIPEWRIGHT_TEST_KFP_NAMESPACE
 * choose where (default: the current context, its namespace or `default`, and `kubeflow`).
 */
import { it } from 'vitest';
import { KubeConfig } from '@kubernetes/client-node';
import { startKubeEmulator } from '../kube-emulator/index.ts';
import type { KubeEmulator, KubeEmulatorOptions } from '../kube-emulator/index.ts';
import { emulatorKubeConfig } from './emulatorSuite.ts';

export const REAL_CLUSTER = process.env.PIPEWRIGHT_TEST_CLUSTER === 'real';

export interface ClusterEnv {
  real: boolean;
  /** The kubeconfig file the app and the CLI read (KUBECONFIG). */
  kubeconfigPath: string;
  context: string;
  /** Where Argo runs go. */
  namespace: string;
  /** Where KFP's API service and (single-user) its Workflows live. */
  kfpNamespace: string;
  /** The emulator, when not on a real cluster. */
  emulator?: KubeEmulator;
  /** The kubeconfig, switched to `context`. */
  kubeConfig(): KubeConfig;
  /** How long one whole test run may take here (ms). */
  runTimeoutMs: number;
  close(): Promise<void>;
}

/** The emulator (with `options`), or the real cluster when asked for. */
export async function openClusterEnv(options: KubeEmulatorOptions = {}): Promise<ClusterEnv> {
  if (REAL_CLUSTER) return realCluster();
  const emulator = await startKubeEmulator({ timeScale: 0.02, bookmarkIntervalMs: 200, ...options });
  const load = () => emulatorKubeConfig(emulator);
  return {
    real: false,
    kubeconfigPath: emulator.kubeconfigPath,
    context: emulator.context,
    namespace: 'default',
    kfpNamespace: 'kubeflow',
    emulator,
    kubeConfig: load,
    runTimeoutMs: 20_000,
    close: () => emulator.close(),
  };
}

function realCluster(): ClusterEnv {
  const kubeconfigPath = process.env.KUBECONFIG;
  if (!kubeconfigPath) throw new Error('PIPEWRIGHT_TEST_CLUSTER=real needs KUBECONFIG pointing at the cluster to test');
  const base = new KubeConfig();
  base.loadFromDefault();
  const context = process.env.PIPEWRIGHT_TEST_CONTEXT ?? base.getCurrentContext();
  base.setCurrentContext(context);
  return {
    real: true,
    kubeconfigPath,
    context,
    namespace: process.env.PIPEWRIGHT_TEST_NAMESPACE ?? base.getContextObject(context)?.namespace ?? 'default',
    kfpNamespace: process.env.PIPEWRIGHT_TEST_KFP_NAMESPACE ?? 'kubeflow',
    kubeConfig: () => {
      const kc = new KubeConfig();
      kc.loadFromDefault();
      kc.setCurrentContext(context);
      return kc;
    },
    runTimeoutMs: 15 * 60_000,
    close: async () => {},
  };
}

const told = new Set<string>();

/**
 * A test that needs the emulator (controller scripting, fault injection, exact log lines): on a real
 * cluster it is skipped, and the reason printed once.
 */
export function emulatorIt(name: string, reason: string, fn: () => Promise<void>, timeoutMs?: number): void {
  if (REAL_CLUSTER && !told.has(reason)) {
    told.add(reason);
    console.log(`skipped on a real cluster: "${name}": ${reason}`);
  }
  it.skipIf(REAL_CLUSTER)(name, fn, timeoutMs);
}

/** Emulated milliseconds that last `realMs` on this emulator (for step timings in scripted behaviour). */
export function emulatedMs(env: ClusterEnv, realMs: number): number {
  return realMs / (env.emulator?.controller.timeScale ?? 1);
}

/** The emulator of an environment that has one (use inside emulatorIt). */
export function emulatorOf(env: ClusterEnv): KubeEmulator {
  if (!env.emulator) throw new Error('this test needs the Kubernetes API emulator');
  return env.emulator;
}
