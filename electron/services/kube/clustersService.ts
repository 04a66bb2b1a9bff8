/** Settings › Clusters on the back end: the kubeconfig as it will be used, and the local emulator switched on and off. */
import os from 'node:os';
import type { ClustersApi, KubeconfigOverview } from '../../../shared/api/clusters.ts';
import type { SettingsApi } from '../../../shared/api/settings.ts';
import type { KubeContextInfo } from '../../../shared/api/runs.ts';
import { EMULATOR_CONTEXT } from './emulatorProcess.ts';
import type { EmulatorProcess } from './emulatorProcess.ts';
import { NO_KUBECONFIG, describeKubeconfigFile, kubeconfigSources, listContexts, loadKubeConfig } from './kubeconfig.ts';
import { KubeconfigNotConfirmedError } from './kubeconfigTrust.ts';
import type { ConfirmedPrograms } from './kubeconfigTrust.ts';

export interface ClustersServiceOptions {
  settings: SettingsApi;
  emulator: EmulatorProcess;
  env?: Readonly<Record<string, string | undefined>>;
  home?: string;
  /** What the user confirmed the listed files may run (kubeconfigTrust.ts); default: nothing. */
  confirmed?: () => ConfirmedPrograms;
}

export function createClustersService(options: ClustersServiceOptions): ClustersApi {
  const { settings, emulator } = options;
  const env = options.env ?? process.env;
  const home = options.home ?? os.homedir();

  const describeKubeconfig = async (): Promise<KubeconfigOverview> => {
    const s = await settings.getSettings();
    const choice = { files: s.kubeconfigFiles, context: s.kubeContext, confirmed: options.confirmed?.() ?? {} };
    const { origin, files } = kubeconfigSources(choice, env, home);
    const launch = emulator.running();
    const overview: KubeconfigOverview = {
      origin,
      files: files.map((file) => ({ ...describeKubeconfigFile(file), ...(file === emulator.kubeconfigPath ? { emulator: true } : {}) })),
      contexts: [],
      currentContext: null,
      emulator: {
        running: launch !== null,
        ...(launch ? { url: launch.url } : {}),
        kubeconfigPath: emulator.kubeconfigPath,
        context: EMULATOR_CONTEXT,
        ...(emulator.unavailable ? { unavailable: emulator.unavailable } : {}),
      },
    };
    if (origin === 'none') return { ...overview, problem: NO_KUBECONFIG };
    let contexts: KubeContextInfo[];
    try {
      contexts = listContexts(loadKubeConfig(env, choice, home));
    } catch (error) {
      // A listed file that now runs programs nobody confirmed: named, with the new commands, for the UI to word.
      if (error instanceof KubeconfigNotConfirmedError) return { ...overview, problem: error.message, unconfirmed: error.programs };
      return { ...overview, problem: (error as Error).message };
    }
    const current = contexts.find((c) => c.current)?.name ?? null;
    overview.contexts = contexts;
    overview.currentContext = current;
    if (contexts.length === 0) overview.problem = 'The kubeconfig defines no context: add a file that has one, or use the local emulator.';
    else if (s.kubeContext && !contexts.some((c) => c.name === s.kubeContext))
      overview.problem = `The chosen context "${s.kubeContext}" is in none of these files any more; ${current ? `"${current}" is used instead` : 'choose another'}.`;
    else if (!current) overview.problem = 'None of the files sets a current context: choose one below.';
    if (overview.files.some((f) => f.emulator) && !launch && current === EMULATOR_CONTEXT)
      overview.problem = 'The local emulator is not running (it stops when Pipewright does): start it again, or choose another context.';
    return overview;
  };

  return {
    describeKubeconfig,
    checkKubeconfigFile: async (file) => describeKubeconfigFile(file),
    async startKubeEmulator() {
      await emulator.start();
      const s = await settings.getSettings();
      const { origin, files } = kubeconfigSources({ files: s.kubeconfigFiles }, env, home);
      // The files in use stay in the list, after the emulator's (their contexts keep their names: first file wins).
      const rest = origin === 'settings' || origin === 'KUBECONFIG' || origin === 'home' ? files.filter((f) => f !== emulator.kubeconfigPath) : [];
      await settings.updateSettings({ kubeconfigFiles: [emulator.kubeconfigPath, ...rest], kubeContext: EMULATOR_CONTEXT });
      return describeKubeconfig();
    },
    async stopKubeEmulator() {
      await emulator.stop();
      const s = await settings.getSettings();
      await settings.updateSettings({
        kubeconfigFiles: s.kubeconfigFiles.filter((f) => f !== emulator.kubeconfigPath),
        kubeContext: s.kubeContext === EMULATOR_CONTEXT ? null : s.kubeContext,
      });
      return describeKubeconfig();
    },
  };
}
