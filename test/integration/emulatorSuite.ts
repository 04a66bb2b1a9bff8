/** The Kubernetes emulator for the tests of a describe block, and the kubeconfig (client-node) that reaches it. */
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { startKubeEmulator } from '../kube-emulator/index.ts';
import type { KubeEmulator, KubeEmulatorOptions } from '../kube-emulator/index.ts';

/** A fresh KubeConfig read from the emulator's kubeconfig file, as the app loads one. */
export function emulatorKubeConfig(emulator: KubeEmulator): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(emulator.kubeconfigPath);
  return kc;
}

/**
 * Starts an emulator with `options` before the block's tests and closes it after: one for the whole block,
 * or with `perTest` a fresh one for each test (nothing one test sets up reaches the next).
 */
export function useKubeEmulator(options: KubeEmulatorOptions = {}, { perTest = false } = {}): { emu(): KubeEmulator; load(): KubeConfig } {
  let emulator: KubeEmulator | undefined;
  const [before, after] = perTest ? [beforeEach, afterEach] : [beforeAll, afterAll];
  before(async () => {
    emulator = await startKubeEmulator(options);
  });
  after(async () => {
    await emulator?.close();
    emulator = undefined;
  });
  const emu = () => {
    if (!emulator) throw new Error('the emulator runs only inside the tests of the block that asked for it');
    return emulator;
  };
  return { emu, load: () => emulatorKubeConfig(emu()) };
}
