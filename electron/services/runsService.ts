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
import type { KubeConnections } from './runs/manager.ts';
import { createSettingsStore } from './settings.ts';

export interface RunsServiceOptions {
  dataDir: string;
  /** Cluster targets to load (the Kubernetes client is slow to import; the CLI loads only what it runs). Default: both. */
  clusterTargets?: readonly RunTarget[];
  /** SIGTERM-to-SIGKILL grace for local stages (ms). */
  graceMs?: number;
}

export interface RunsService {
  manager: RunManager;
  /** Resolves once the cluster drivers are registered (they load in the background). */
  ready: Promise<void>;
}

const kubeModules = () => Promise.all([import('./kube/argoDriver.ts'), import('./kube/kfpDriver.ts'), import('./kube/kubeconfig.ts'), import('./kube/connections.ts')]);

/** Contexts and connection checks, loading the Kubernetes client on first use. */
const lazyKube: KubeConnections = {
  listContexts: async () => (await kubeModules())[3].createKubeConnections().listContexts(),
  testConnection: async (context, namespace) => (await kubeModules())[3].createKubeConnections().testConnection(context, namespace),
};

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
  const manager = new RunManager({ runsDir: runsDir(options.dataDir), drivers: [local], kube: lazyKube, gpuUtilization });
  const targets = options.clusterTargets ?? ['argo', 'kfp'];
  const ready = targets.some((t) => t === 'argo' || t === 'kfp')
    ? kubeModules().then(([{ ArgoDriver }, { KfpDriver }, kube]) => {
        const kubeConfigFor = (context?: string) => kube.kubeConfigFor(kube.loadKubeConfig(), context);
        if (targets.includes('argo')) manager.registerTarget(new ArgoDriver({ catalog, kubeConfigFor }));
        if (targets.includes('kfp')) manager.registerTarget(new KfpDriver({ catalog, kubeConfigFor }));
      })
    : Promise.resolve();
  return { manager, ready };
}
