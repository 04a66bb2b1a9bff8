/**
 * Assembles the services into one PipewrightApi. Desktop and browser mode both serve this object;
 * only dialogs differ (native in the desktop shell, app-rendered in the browser).
 */
import os from 'node:os';
import path from 'node:path';
import type { AppInfo, DocumentState } from '../../shared/api/app.ts';
import type { PipewrightApi } from '../../shared/api/contract.ts';
import type { ApiEvent } from '../../shared/api/events.ts';
import { notAvailable } from '../../shared/api/errors.ts';
import type { RunEventSource, RunsApi } from '../../shared/api/runs.ts';
import type { RpcServer } from '../../shared/api/rpc.ts';
import { createApiServer } from '../../shared/api/server.ts';
import packageJson from '../../package.json' with { type: 'json' };
import { createEventHub } from './events.ts';
import type { EventHub } from './events.ts';
import { createFilesService } from './files/filesService.ts';
import { createRecentFilesStore } from './files/recentFiles.ts';
import { noticesFor } from './notices.ts';
import { createRecoveryStore } from './recovery.ts';
import { readEstimateInputs } from './estimate/inputs.ts';
import { catalog } from '../../node-catalog/index.ts';
import { runPreflight } from './preflight/index.ts';
import { createSchedulesService } from './schedules/service.ts';
import type { RunImporter } from './schedules/cluster.ts';
import { createClusterSchedulesService } from './schedules/clusterService.ts';
import { createSettingsStore } from './settings.ts';
import { createEmulatorProcess } from './kube/emulatorProcess.ts';
import type { EmulatorProcess } from './kube/emulatorProcess.ts';
import { readKubeconfigChoice } from './kube/kubeconfigChoice.ts';
import { createKubeconfigGate } from './kube/kubeconfigGate.ts';
import type { KubeconfigPrograms } from './kube/kubeconfigExec.ts';
import { kubeconfigProgramsRefusal } from './kube/kubeconfigTrust.ts';

/** Native dialogs, supplied by the desktop shell. null: the user cancelled. */
export interface NativeDialogs {
  showOpenDialog(): Promise<string | null>;
  showSaveDialog(suggestedName: string): Promise<string | null>;
  showFolderDialog(): Promise<string | null>;
}

/** A runs service: the RunsApi methods, plus (optionally) a source of live run events. */
export type RunsService = RunsApi & Partial<RunEventSource> & Partial<Pick<RunImporter, 'importRun'>>;

export interface BackendOptions {
  dataDir: string;
  mode: 'desktop' | 'browser';
  runs?: RunsService;
  dialogs?: NativeDialogs;
  /** OS locale; defaults to the process's Intl locale. */
  locale?: string;
  /** Told whenever the renderer reports its document state (title, dirty marker, close prompt). */
  onDocumentState?: (state: DocumentState) => void;
  /** The local Kubernetes emulator of Settings › Clusters (default: test/kube-emulator as a child process). */
  emulator?: EmulatorProcess;
}

export interface Backend {
  api: PipewrightApi;
  /** The validating dispatcher every transport hands requests to. */
  server: RpcServer;
  events: EventHub;
  dataDir: string;
  /** What the renderer last reported. */
  documentState(): DocumentState;
  /**
   * A window or tab (its random session id) is connected: its autosaved drafts are live until the
   * returned function is called, then offered to the others at once.
   */
  connectSession(session: string): () => void;
  /** Stops forwarding events; drafts still open are left for the next start to offer. */
  close(): Promise<void>;
  /** Kubeconfig files in Settings that run programs: what is not confirmed now, and recording what the user confirmed (the desktop's native dialog). */
  kubeconfigPrograms: {
    unconfirmed(): KubeconfigPrograms[];
    recordConfirmed(shown: readonly KubeconfigPrograms[]): Promise<void>;
  };
}

const RUNS_METHODS = [
  'listContexts',
  'testConnection',
  'listKfpExperiments',
  'startRun',
  'cancelRun',
  'retryRun',
  'listRuns',
  'getRun',
  'readLog',
  'readMetrics',
  'readArtifacts',
  'readLineage',
  'deleteRun',
] as const satisfies readonly (keyof RunsApi)[];

/** Until a runs service is plugged in, every runs method rejects with code `not-available`. */
export function createUnavailableRuns(): RunsApi {
  const reject = (name: string) => () => Promise.reject(notAvailable(`Running pipelines (${name})`));
  return Object.fromEntries(RUNS_METHODS.map((name) => [name, reject(name)])) as unknown as RunsApi;
}

function pickRuns(runs: RunsApi): RunsApi {
  return Object.fromEntries(RUNS_METHODS.map((name) => [name, runs[name].bind(runs)])) as unknown as RunsApi;
}

export function createBackend(options: BackendOptions): Backend {
  const dataDir = path.resolve(options.dataDir);
  const events = createEventHub();
  const notices = noticesFor(dataDir);
  const recent = createRecentFilesStore(dataDir, undefined, notices);
  const files = createFilesService(recent);
  const recovery = createRecoveryStore({ dataDir, notices });
  const settings = createSettingsStore(dataDir, { notices });
  settings.onChange((next) => events.emit({ type: 'settings-changed', settings: next }));
  const sendNotices = (send: (event: ApiEvent) => void) => void notices.listNotices().then((list) => send({ type: 'notices', notices: list }));
  events.onSubscribe((send) => {
    // The settings as they are when the window starts listening: a change made between its first read and
    // its subscription (another tab, the CLI, a test) is not missed.
    void settings.getSettings().then((current) => send({ type: 'settings-changed', settings: current }));
    void recovery.listRecovery().then((entries) => {
      if (entries.length > 0) send({ type: 'recovery-available', entries });
    });
    void notices.listNotices().then((list) => {
      if (list.length > 0) send({ type: 'notices', notices: list });
    });
  });
  const stopNotices = notices.onNotice(() => sendNotices((event) => events.emit(event)));
  // Drafts on offer changed (a tab went away, one was taken or discarded): every window hears it at once.
  const stopRecovery = recovery.onChange(() => {
    void recovery.listRecovery().then((entries) => events.emit({ type: 'recovery-available', entries }));
  });
  const unsubscribeRuns = options.runs?.subscribe?.((event) => events.emit({ type: 'run', event }));
  const dialogs = options.dialogs;
  let documentState: DocumentState = { dirty: false, title: '', path: null };
  // Local schedules fire while this back end is up (the app or browser mode), through its runs.
  const schedules = createSchedulesService({ dataDir, runs: options.runs });
  const emulator = options.emulator ?? createEmulatorProcess({ dataDir });
  // Kubeconfig files edited after they were confirmed are not used until confirmed again (kubeconfigGate.ts).
  const kubeconfigGate = createKubeconfigGate({ dataDir });
  // The Kubernetes client is slow to import: loaded when Settings › Clusters is first opened.
  const clusters = async () => (await import('./kube/clustersService.ts')).createClustersService({ settings, emulator, confirmed: () => readKubeconfigChoice(dataDir).confirmed ?? {} });
  // Runs the cluster schedules started are imported while this back end is up (and when it lists runs).
  const clusterSchedules = createClusterSchedulesService({ dataDir, runs: options.runs, kfpService: async () => (await settings.getSettings()).kfpService, kubeconfig: () => readKubeconfigChoice(dataDir) });

  const appInfo: AppInfo = {
    version: packageJson.version,
    mode: options.mode,
    platform: process.platform,
    nativeDialogs: dialogs !== undefined,
    homeDir: os.homedir(),
    pathSeparator: path.sep === '\\' ? '\\' : '/',
    locale: options.locale ?? Intl.DateTimeFormat().resolvedOptions().locale,
  };

  const api: PipewrightApi = {
    getAppInfo: async () => appInfo,
    async reportDocumentState(state) {
      documentState = state;
      options.onDocumentState?.(state);
    },
    openFile: (filePath) => files.openFile(filePath),
    saveFile: (request) => files.saveFile(request),
    listDirectory: (dirPath, listOptions) => files.listDirectory(dirPath, listOptions),
    listRecentFiles: () => recent.list(),
    removeRecentFile: (filePath) => recent.remove(filePath),
    clearRecentFiles: () => recent.clear(),
    exportFiles: (request) => files.exportFiles(request),
    showOpenDialog: () => (dialogs ? dialogs.showOpenDialog() : Promise.reject(notAvailable('A native open dialog'))),
    showSaveDialog: (name) => (dialogs ? dialogs.showSaveDialog(name) : Promise.reject(notAvailable('A native save dialog'))),
    showFolderDialog: () => (dialogs ? dialogs.showFolderDialog() : Promise.reject(notAvailable('A native folder dialog'))),
    saveRecovery: (draft) => recovery.saveRecovery(draft),
    discardRecovery: (draftId) => recovery.discardRecovery(draftId),
    listRecovery: () => recovery.listRecovery(),
    restoreRecovery: (draftId, session) => recovery.restoreRecovery(draftId, session),
    listNotices: () => notices.listNotices(),
    async dismissNotice(id) {
      await notices.dismissNotice(id);
      sendNotices((event) => events.emit(event));
    },
    getSettings: () => settings.getSettings(),
    updateSettings: async (patch) => {
      // A kubeconfig's exec plugin is a program run at every cluster call: browser mode cannot ask, so it refuses (the desktop app asks natively).
      if (options.mode === 'browser' && patch.kubeconfigFiles) {
        const list = await kubeconfigGate.toConfirmOnAdd(patch.kubeconfigFiles, (await settings.getSettings()).kubeconfigFiles);
        if (list.length > 0) throw kubeconfigProgramsRefusal('add', list);
      }
      return settings.updateSettings(patch);
    },
    rememberRunContext: (name, choice) => settings.rememberRunContext(name, choice),
    readEstimateInputs: (request) => readEstimateInputs(request),
    runPreflight: async (request) => {
      const { loadKubeConfig } = await import('./kube/kubeconfig.ts');
      const load = () => loadKubeConfig(process.env, readKubeconfigChoice(dataDir));
      const { document, target, context, namespace, ...kfpRequest } = request;
      // KFP is checked where the run will reach it: the same connection, the app's KFP service setting.
      const kfp = target === 'kfp' ? { request: kfpRequest, service: (await settings.getSettings()).kfpService } : undefined;
      return runPreflight(document, catalog, { target, context, load, ...(namespace ? { namespace } : {}), ...(kfp ? { kfp } : {}) });
    },
    describeKubeconfig: async () => (await clusters()).describeKubeconfig(),
    checkKubeconfigFile: async (file) => (await clusters()).checkKubeconfigFile(file),
    startKubeEmulator: async () => (await clusters()).startKubeEmulator(),
    stopKubeEmulator: async () => (await clusters()).stopKubeEmulator(),
    ...schedules.api,
    ...clusterSchedules.api,
    ...(options.runs ? pickRuns(options.runs) : createUnavailableRuns()),
  };
  if (options.runs) {
    const listRuns = api.listRuns;
    api.listRuns = () => {
      clusterSchedules.discoverSoon();
      return listRuns();
    };
  }
  const served = kubeconfigGate.guard(api);

  return {
    api: served,
    server: createApiServer(served),
    events,
    dataDir,
    documentState: () => documentState,
    connectSession: (session) => recovery.connectSession(session),
    kubeconfigPrograms: { unconfirmed: () => kubeconfigGate.unconfirmed(), recordConfirmed: (shown) => settings.recordKubeconfigConfirmed(shown) },
    async close() {
      unsubscribeRuns?.();
      // A schedule tick in progress may still be writing schedules.json: let it finish, but never hold the
      // close for long (a data-changed check may be listing a bucket).
      const stopping = Promise.race([schedules.stop(), new Promise<void>((resolve) => setTimeout(resolve, 5000).unref())]);
      clusterSchedules.stop();
      stopNotices();
      stopRecovery();
      await Promise.all([stopping, recovery.close(), emulator.stop()]);
    },
  };
}
