/** User settings kept by the back end under the data dir. */
import { DEFAULT_KFP_SERVICE } from '../runs/kfpConnection.ts';
import type { KfpServiceSettings } from '../runs/kfpConnection.ts';
import type { RunTarget } from '../runs/types.ts';

export type LanguageSetting = 'system' | 'en' | 'ko';
export type ThemeSetting = 'system' | 'light' | 'dark';

export interface RunContextChoice {
  target: RunTarget;
  context?: string;
  namespace?: string;
  /** ISO time it was last used. */
  usedAt: string;
}

export interface Settings {
  language: LanguageSetting;
  theme: ThemeSetting;
  /** Interpreter for local runs; null: find python3 on PATH. */
  pythonPath: string | null;
  /** How many local steps may run at once; 0: as many as this machine has CPU cores. */
  localConcurrency: number;
  /** Local runs through real `dvc repro` when `dvc` is on PATH (otherwise Pipewright's own runner). */
  localUseDvc: boolean;
  /** The last run target/context/namespace chosen, per pipeline name. */
  recentContexts: Record<string, RunContextChoice>;
  /** Prometheus (with the DCGM exporter's metrics) as this computer reaches it, for the GPU idle alert; null: that alert is off. */
  prometheusUrl: string | null;
  /** GPU product (`nvidia.com/gpu.product` label) the estimate judges nodes against when they name none; null: none. */
  defaultGpuProduct: string | null;
  /** USD per GPU-hour by product label, where the user changed the estimate's default price. */
  gpuPrices: Record<string, number>;
  /** Kubeconfig files merged in this order, as kubectl merges a KUBECONFIG list; empty: KUBECONFIG, else ~/.kube/config. */
  kubeconfigFiles: string[];
  /** The context to use instead of the files' current-context; null: theirs. */
  kubeContext: string | null;
  /** Kubeflow Pipelines' API service as the service proxy reaches it (namespace, name, port, scheme). */
  kfpService: KfpServiceSettings;
}

export const DEFAULT_SETTINGS: Settings = {
  language: 'system',
  theme: 'system',
  pythonPath: null,
  localConcurrency: 0,
  localUseDvc: false,
  recentContexts: {},
  prometheusUrl: null,
  defaultGpuProduct: 'NVIDIA-A100-SXM4-80GB',
  gpuPrices: {},
  kubeconfigFiles: [],
  kubeContext: null,
  kfpService: DEFAULT_KFP_SERVICE,
};

export type SettingsPatch = Partial<Omit<Settings, 'recentContexts'>>;

export interface SettingsApi {
  getSettings(): Promise<Settings>;
  /** Merges the patch, saves, emits `settings-changed`, returns the result. */
  updateSettings(patch: SettingsPatch): Promise<Settings>;
  rememberRunContext(pipelineName: string, choice: Omit<RunContextChoice, 'usedAt'>): Promise<Settings>;
}
