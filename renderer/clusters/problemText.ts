/** The back end's kubeconfig problems that have a translation, in the UI's language; others as the back end says them. */
import type { TFunction } from 'i18next';

export function problemText(t: TFunction, problem: string | undefined, where: 'settings' | 'run' = 'settings'): string | undefined {
  if (!problem) return undefined;
  if (problem.startsWith('No kubeconfig found (KUBECONFIG, ~/.kube/config)')) return t(where === 'run' ? 'clusters.noKubeconfigRun' : 'clusters.noKubeconfig');
  if (problem.startsWith('The local emulator is not running')) return t('clusters.emulatorDown');
  return problem;
}
