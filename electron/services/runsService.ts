/**
 * The run core with every target's driver, as the app (desktop and browser mode) and the CLI use it:
 * one data dir, one run history, the same settings.
 */
import { catalog } from '../../node-catalog/index.ts';
import type { RunTarget } from '../../shared/runs/types.ts';
import { runsDir } from './dataDir.ts';
import { LocalDriver } from './local/driver.ts';
import { prometheusGpuUtilization } from './prometheus/gpuUtilization.ts';
import { RunManager } from './runs/manager.ts';
import type { KfpServiceSettings } from '../../shared/runs/kfpConnection.ts';
import type { KubeConnections } from './runs/manager.ts';
import { createSettingsStore } from './settings.ts';
import type { KubeconfigChoice } from './kube/kubeconfig.ts';
import { readKubeconfigChoice } from './kube/kubeconfigChoice.ts';

export interface RunsServiceOptions {
  dataDir: string;
  /** Cluster targets to load (the Kubernetes client is slow to import; the CLI loads only what it runs). Default: both. */
  clusterTargets?: readonly RunTarget[];
  /** SIGTERM-to-SIGKILL grace for local stages (ms). */
  graceMs?: number;
  /**
   * Use the kubeconfig files and context chosen in Settings › Clusters (default true: the app). The CLI
   * says false and reads KUBECONFIG / ~/.kube/config as kubectl does.
   */
  kubeconfigFromSettings?: boolean;
}

export interface RunsService {
  manager: RunManager;
  /** Resolves once the cluster drivers are registered (they load in the background). */
  ready: Promise<void>;
}

const kubeModules = () => Promise.all([import('./kube/argoDriver.ts'), import('./kube/kfpDriver.ts'), import('./kube/kubeconfig.ts'), import('./kube/connections.ts')]);

/** Contexts and connection checks, loading the Kubernetes client on first use. */
function lazyKube(choice: () => KubeconfigChoice, kfpService: () => Promise<KfpServiceSettings>): KubeConnections {
  const connections = async () => {
    const [, , kube, conn] = await kubeModules();
    return conn.createKubeConnections({ load: () => kube.loadKubeConfig(process.env, choice()), kfpService: await kfpService() });
  };
  return {
    listContexts: async () => (await connections()).listContexts(),
    testConnection: async (context, namespace, kfp) => (await connections()).testConnection(context, namespace, kfp),
  };
}

export function createRunsService(options: RunsServiceOptions): RunsService {
  const settings = createSettingsStore(options.dataDir);
  const local = new LocalDriver({
    dataDir: options.dataDir,
    catalog,
    graceMs: options.graceMs,
    settings: async () => {
      const s = await settings.getSettings();
      return { pythonPath: s.pythonPath, concurrency: s.localConcurrency || undefined, useDvc: s.localUseDvc };
    },
  });
  // The GPU idle alert asks the Prometheus the settings name (read at each query, so a change applies at once).
  const gpuUtilization = prometheusGpuUtilization({ url: async () => (await settings.getSettings()).prometheusUrl });
  const choice = (): KubeconfigChoice => (options.kubeconfigFromSettings === false ? {} : readKubeconfigChoice(options.dataDir));
  const manager = new RunManager({ runsDir: runsDir(options.dataDir), drivers: [local], kube: lazyKube(choice, async () => (await settings.getSettings()).kfpService), gpuUtilization });
  const targets = options.clusterTargets ?? ['argo', 'kfp'];
  const ready = targets.some((t) => t === 'argo' || t === 'kfp')
    ? kubeModules().then(([{ ArgoDriver }, { KfpDriver }, kube]) => {
        const kubeConfigFor = (context?: string) => kube.kubeConfigFor(kube.loadKubeConfig(process.env, choice()), context);
        if (targets.includes('argo')) manager.registerTarget(new ArgoDriver({ catalog, kubeConfigFor }));
        if (targets.includes('kfp')) manager.registerTarget(new KfpDriver({ catalog, kubeConfigFor, kfpService: async () => (await settings.getSettings()).kfpService }));
      })
    : Promise.resolve();
  return { manager, ready };
}
