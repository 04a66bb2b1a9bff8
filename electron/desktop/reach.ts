/**
 * The desktop window's reach into the back end. The page is our code, but anything that runs in it
 * (a compromised dependency, an injected script) must not be able to read or write any file or change what
 * runs on this machine just by calling the API. So, in the desktop app:
 *
 * - a pipeline file is opened, saved or scheduled only at a path the user chose in a native dialog this
 *   session, named on the command line, already opened or saved this session, or in the recent files list;
 * - saveFile writes `.json` files only;
 * - exports go only into a folder the user chose in the native folder dialog this session, under names that
 *   stay in it (relative, no part starting with a dot, no `..`, no drive or backslash);
 * - a change of the Python interpreter runs only after the user confirms it in a native dialog;
 * - a kubeconfig file added to the list that runs a program (an exec credential plugin, a gcp cmd-path) or
 *   cannot be checked now is added only after the user confirms it in a native dialog naming the file and
 *   the command lines; a listed file edited since to run a new program is used (by a call that loads the
 *   kubeconfig) only after the user confirms the new command lines the same way (asked once for calls that
 *   come together; once declined, asked again only after a click or key press);
 * - calls that run code (start or retry a run, add a schedule here or on a cluster, change the kubeconfig files, whose exec
 *   plugins are programs) only follow a click or key press in the window (the preload reports it);
 * - listDirectory (browser mode's own file dialog) is not served;
 * - a link opens in the browser only from a click (checked in the preload), http(s) only, at a human rate.
 *
 * The IPC handler asks `check` before every dispatch; a refusal names the rule and the path.
 */
import path from 'node:path';
import type { PipewrightApi } from '../../shared/api/contract.ts';
import { ApiError } from '../../shared/api/errors.ts';
import type { NativeDialogs } from '../services/backend.ts';
import { addedKubeconfigFiles, programsToConfirm } from '../services/kube/kubeconfigExec.ts';
import type { KubeconfigPrograms } from '../services/kube/kubeconfigExec.ts';
import { RUN_ID_METHODS, environmentKubeconfigFiles, kubeconfigProgramsRefusal, loadsKubeconfig } from '../services/kube/kubeconfigTrust.ts';

export interface ReachOptions {
  /** The recent files list as it is now (read on each check: removing a file from it takes effect). */
  recentFiles(): Promise<readonly string[]>;
  /** The interpreter setting now (null: found on PATH). */
  currentPythonPath(): Promise<string | null>;
  /** Asks in a native dialog; true only when the user confirmed `next`. */
  confirmPythonChange(next: string, current: string | null): Promise<boolean>;
  /** The kubeconfig files in Settings now. */
  currentKubeconfigFiles(): Promise<readonly string[]>;
  /** Listed kubeconfig files that now run programs nobody confirmed (the back end's check). */
  unconfirmedKubeconfigPrograms(): Promise<readonly KubeconfigPrograms[]>;
  /** Asks in a native dialog, naming each file and what it runs (`add`) or now runs that is new (`changed`); true only when the user confirmed. */
  confirmKubeconfigPrograms(list: readonly KubeconfigPrograms[], situation: 'add' | 'changed'): Promise<boolean>;
  /** Remembers what the user confirmed (in the settings, out of the page's reach). */
  recordKubeconfigConfirmed(list: readonly KubeconfigPrograms[]): Promise<void>;
  /** The target of a run in the history (null: none such), for cancel and retry, which reach the cluster for cluster runs. */
  runTarget?(runId: string): Promise<string | null>;
  /** The environment's own kubeconfig files (KUBECONFIG, else ~/.kube/config): never asked about. Default: from process.env. */
  environmentKubeconfigFiles?: () => readonly string[];
  /** Case-insensitive file systems compare paths without case (win32, darwin). Default: process.platform. */
  platform?: NodeJS.Platform;
}

/** What the preload saw when the call was made. */
export interface CallContext {
  /** navigator.userActivation.isActive: a click or key press in the window just now. */
  activated: boolean;
}

/** Methods that make this machine or a cluster run code: only right after the user's click or key press. */
export const ACTIVATION_METHODS: Record<string, string> = {
  startRun: 'starting a run',
  retryRun: 'retrying a run',
  addSchedule: 'adding a schedule',
  addClusterSchedule: 'creating a schedule on a cluster',
  setClusterSchedulePaused: 'pausing or resuming a cluster schedule',
  startKubeEmulator: 'starting the local cluster emulator',
};

export interface Reach {
  /** Refuses (throws an ApiError naming the rule) or returns to let the request through. */
  check(method: string, args: readonly unknown[], context?: CallContext): Promise<void>;
  /** A file the user chose or named (dialog, command line, second instance): it may be opened and saved. */
  grantFile(filePath: string): void;
  /** A folder the user chose in the export dialog. */
  grantFolder(dirPath: string): void;
  /** The native dialogs, recording what they return. */
  recordDialogs(dialogs: NativeDialogs): NativeDialogs;
}

/** Methods that read or write a pipeline file at a path the page names (argument 0, or its `path`). */
const FILE_METHODS: Record<string, { verb: string; pathOf: (args: readonly unknown[]) => unknown }> = {
  openFile: { verb: 'open', pathOf: (args) => args[0] },
  saveFile: { verb: 'save to', pathOf: (args) => (args[0] as { path?: unknown } | null)?.path },
  addSchedule: { verb: 'schedule', pathOf: (args) => args[0] },
};

/**
 * How the desktop gate treats every method of the contract. A method added to PipewrightApi does not
 * compile until it is placed here: say what it may reach, and gate it above if it reads or writes a path
 * the page names, or runs code.
 */
export const REACH_REVIEW = {
  getAppInfo: 'read-only, no path',
  reportDocumentState: 'the window title; the path is only shown',
  openFile: 'gated: dialog, command line or recent files',
  saveFile: 'gated: dialog or recent files, .json only',
  listDirectory: 'refused: browser mode only',
  listRecentFiles: 'read-only list kept by the back end',
  removeRecentFile: 'shrinks the list only',
  clearRecentFiles: 'shrinks the list only',
  exportFiles: 'gated: the folder dialog, names inside it',
  showOpenDialog: 'the user chooses; recorded',
  showSaveDialog: 'the user chooses; recorded',
  showFolderDialog: 'the user chooses; recorded',
  saveRecovery: 'writes into the data folder only; its path is a label',
  discardRecovery: 'draft id only',
  listRecovery: 'data folder only',
  restoreRecovery: 'data folder only; saving it again goes through saveFile',
  getSettings: 'read-only',
  updateSettings: 'gated: interpreter confirmed; kubeconfig files after a click, one that runs a program confirmed',
  rememberRunContext: 'settings value, no path',
  listContexts: 'reads the configured kubeconfig',
  testConnection: 'a request to the configured cluster',
  listKfpExperiments: 'a request to the configured KFP',
  startRun: 'gated: after a click',
  cancelRun: 'stops a run',
  retryRun: 'gated: after a click',
  listRuns: 'run history',
  getRun: 'run history (ids checked)',
  readLog: 'run history (ids checked)',
  readMetrics: 'run history (ids checked)',
  readArtifacts: "a node's folder in the run's workspace only",
  readLineage: 'run history (ids checked)',
  deleteRun: 'run history (ids checked)',
  listNotices: 'data folder only',
  dismissNotice: 'data folder only',
  readEstimateInputs: 'model config keys the estimate reads and data sizes only',
  runPreflight: 'requests to the configured cluster',
  listSchedules: 'data folder only',
  addSchedule: 'gated: after a click, a file the user chose',
  setSchedulePaused: 'schedule name only',
  deleteSchedule: 'schedule name only',
  describeKubeconfig: 'the configured kubeconfig: names, no secrets',
  checkKubeconfigFile: 'a typed path: contexts, or an error that does not quote the file',
  startKubeEmulator: 'gated: after a click',
  stopKubeEmulator: 'stops the emulator',
  listClusterSchedules: 'a request to the configured cluster',
  addClusterSchedule: 'gated: after a click',
  setClusterSchedulePaused: 'gated: after a click (resuming starts runs)',
  deleteClusterSchedule: 'a schedule already on the cluster',
  syncScheduledRuns: 'imports run records from the configured cluster',
} as const satisfies Record<keyof PipewrightApi, string>;

function refuse(message: string): never {
  throw new ApiError('failed', `Refused by the desktop app: ${message}`);
}

/** Why an export file name is refused, or null. Names are relative, `/`-separated, inside the folder. */
export function exportNameProblem(name: string): string | null {
  if (name.length === 0) return 'the name is empty';
  if (name.includes('\\')) return 'it contains a backslash (names use "/" between folders)';
  if (name.includes('\0')) return 'it contains a NUL character';
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return 'it is an absolute path (names are relative to the chosen folder)';
  if (name.includes(':')) return 'it contains ":" (a drive or an alternate data stream on Windows)';
  for (const part of name.split('/')) {
    if (part === '') return 'it has an empty part ("//" or a trailing "/")';
    if (part === '..') return 'it leaves the chosen folder ("..")';
    if (part.startsWith('.')) return `"${part}" starts with a dot (hidden files and folders are not exported)`;
  }
  return null;
}

export function createReach(options: ReachOptions): Reach {
  const caseless = (options.platform ?? process.platform) === 'win32' || (options.platform ?? process.platform) === 'darwin';
  const key = (p: string) => {
    const resolved = path.resolve(p);
    return caseless ? resolved.toLowerCase() : resolved;
  };
  const files = new Set<string>();
  const folders = new Set<string>();
  const environmentFiles = options.environmentKubeconfigFiles ?? (() => environmentKubeconfigFiles());
  // Changes to kubeconfig files: one dialog for calls that arrive together; what was declined is not asked again unprompted.
  const asking = new Map<string, Promise<boolean>>();
  const declined = new Set<string>();

  async function fileAllowed(filePath: string): Promise<boolean> {
    if (files.has(key(filePath))) return true;
    const recent = await options.recentFiles();
    return recent.some((entry) => key(entry) === key(filePath));
  }

  async function checkFile(method: string, args: readonly unknown[]): Promise<void> {
    const rule = FILE_METHODS[method]!;
    const filePath = rule.pathOf(args);
    // Not a string: the argument validation refuses it with its own message.
    if (typeof filePath !== 'string' || !path.isAbsolute(filePath)) return;
    if (method === 'saveFile' && !filePath.toLowerCase().endsWith('.json')) {
      refuse(`Pipewright saves pipelines only to .json files, not to ${filePath}.`);
    }
    if (!(await fileAllowed(filePath))) {
      refuse(`cannot ${rule.verb} ${filePath}: it was not chosen in a file dialog in this session and is not in the recent files list. Use File > Open or Save As.`);
    }
    // Allowed once (say, from the recent list): it stays allowed while the app runs, even if the list is cleared.
    files.add(key(filePath));
  }

  function checkExport(args: readonly unknown[]): void {
    const request = args[0] as { dir?: unknown; files?: unknown } | null;
    if (!request || typeof request.dir !== 'string' || typeof request.files !== 'object' || request.files === null) return;
    if (!folders.has(key(request.dir))) {
      refuse(`cannot export to ${request.dir}: it was not chosen in the export folder dialog in this session.`);
    }
    for (const name of Object.keys(request.files)) {
      const problem = exportNameProblem(name);
      if (problem) refuse(`nothing was exported: the file name "${name.slice(0, 200)}" is refused because ${problem}.`);
    }
  }

  function needActivation(what: string, context: CallContext | undefined): void {
    if (!context?.activated) refuse(`${what} runs code, so it must follow a click or key press in the window; none came before this call.`);
  }

  async function checkKubeconfigs(files: unknown): Promise<void> {
    // Not a list of strings: the argument validation refuses it with its own message.
    if (!Array.isArray(files) || !files.every((f): f is string => typeof f === 'string')) return;
    const environment = new Set(environmentFiles());
    const added = addedKubeconfigFiles(files, await options.currentKubeconfigFiles()).filter((f) => !environment.has(f));
    const list = await programsToConfirm(added);
    if (list.length === 0) return;
    if (!(await options.confirmKubeconfigPrograms(list, 'add'))) throw kubeconfigProgramsRefusal('add', list, true);
    await options.recordKubeconfigConfirmed(list);
  }

  /** A call that loads the kubeconfig while listed files run programs nobody confirmed: ask, or refuse. */
  async function checkChangedKubeconfigs(method: string, context: CallContext | undefined): Promise<void> {
    const list = await options.unconfirmedKubeconfigPrograms();
    if (list.length === 0) return;
    const reportOnly = method === 'describeKubeconfig';
    const key = JSON.stringify(list);
    // Settings › Clusters' status asks once, after a click; what was declined it only shows (clicks there are about other things).
    if (reportOnly && (!context?.activated || declined.has(key))) return;
    if (!context?.activated && declined.has(key)) throw kubeconfigProgramsRefusal('changed', list, true);
    let answer = asking.get(key);
    if (!answer) {
      answer = (async () => {
        const confirmed = await options.confirmKubeconfigPrograms(list, 'changed');
        if (confirmed) {
          await options.recordKubeconfigConfirmed(list);
          declined.delete(key);
        } else declined.add(key);
        return confirmed;
      })().finally(() => asking.delete(key));
      asking.set(key, answer);
    }
    if (!(await answer) && !reportOnly) throw kubeconfigProgramsRefusal('changed', list, true);
  }

  async function checkSettings(args: readonly unknown[], context: CallContext | undefined): Promise<void> {
    const patch = args[0] as { pythonPath?: unknown; kubeconfigFiles?: unknown } | null;
    // A kubeconfig's exec plugin is a program Pipewright starts for every cluster call.
    if (patch && patch.kubeconfigFiles !== undefined) {
      needActivation('changing the kubeconfig files', context);
      await checkKubeconfigs(patch.kubeconfigFiles);
    }
    if (!patch || typeof patch.pythonPath !== 'string') return;
    const next = patch.pythonPath;
    const current = await options.currentPythonPath();
    if (next === current) return;
    if (!(await options.confirmPythonChange(next, current))) {
      refuse(`the Python interpreter was not changed: using ${next} for local runs was not confirmed.`);
    }
  }

  return {
    async check(method, args, context) {
      if (method === 'listDirectory') {
        refuse("listDirectory is browser mode's own file dialog; the desktop app uses the system's file dialogs.");
      }
      const what = ACTIVATION_METHODS[method];
      if (what) needActivation(what.charAt(0).toUpperCase() + what.slice(1), context);
      const runTarget = RUN_ID_METHODS.includes(method) && typeof args[0] === 'string' && options.runTarget ? await options.runTarget(args[0]) : null;
      if (method === 'describeKubeconfig' || loadsKubeconfig(method, args, runTarget)) await checkChangedKubeconfigs(method, context);
      if (method in FILE_METHODS) return checkFile(method, args);
      if (method === 'exportFiles') return checkExport(args);
      if (method === 'updateSettings') return checkSettings(args, context);
    },
    grantFile(filePath) {
      files.add(key(filePath));
    },
    grantFolder(dirPath) {
      folders.add(key(dirPath));
    },
    recordDialogs(dialogs) {
      return {
        async showOpenDialog() {
          const chosen = await dialogs.showOpenDialog();
          if (chosen) files.add(key(chosen));
          return chosen;
        },
        async showSaveDialog(suggestedName) {
          const chosen = await dialogs.showSaveDialog(suggestedName);
          if (chosen) files.add(key(chosen));
          return chosen;
        },
        async showFolderDialog() {
          const chosen = await dialogs.showFolderDialog();
          if (chosen) folders.add(key(chosen));
          return chosen;
        },
      };
    },
  };
}

/** Opening links in the system browser: the main process's half of "only after a user's click". */
export interface LinkGateOptions {
  openExternal(url: string): Promise<void> | void;
  now?: () => number;
  /** At least this long between two opens (a click, not a loop). Default 400 ms. */
  minIntervalMs?: number;
  /** At most this many opens per minute. Default 10. */
  perMinute?: number;
}

export const MAX_LINK_LENGTH = 4096;

/** Why a URL may not be opened in the browser, or null. */
export function linkProblem(url: unknown): string | null {
  if (typeof url !== 'string' || url.length === 0) return 'no URL was given';
  if (url.length > MAX_LINK_LENGTH) return `the URL is longer than ${MAX_LINK_LENGTH} characters`;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `${url.slice(0, 200)} is not a URL`;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return `only http and https links open in the browser, not ${parsed.protocol}`;
  if (parsed.username || parsed.password) return 'links with a user name or password in them are not opened';
  return null;
}

export function createLinkGate(options: LinkGateOptions): { open(url: unknown): Promise<{ ok: true } | { ok: false; message: string }> } {
  const now = options.now ?? Date.now;
  const minInterval = options.minIntervalMs ?? 400;
  const perMinute = options.perMinute ?? 10;
  const opened: number[] = [];
  return {
    async open(url) {
      const problem = linkProblem(url);
      if (problem) return { ok: false, message: `Not opened: ${problem}.` };
      const at = now();
      while (opened.length > 0 && at - opened[0]! >= 60_000) opened.shift();
      const last = opened[opened.length - 1];
      if (last !== undefined && at - last < minInterval) return { ok: false, message: `Not opened: another link opened ${at - last} ms ago (one click opens one link).` };
      if (opened.length >= perMinute) return { ok: false, message: `Not opened: ${perMinute} links were opened in the last minute.` };
      opened.push(at);
      await options.openExternal(url as string);
      return { ok: true };
    },
  };
}
