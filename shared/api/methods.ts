/** The method table both sides are generated from (zod-free, so the renderer bundle stays small). */
import type { PipewrightApi } from './contract.ts';

/** A table with exactly one entry per method of T. */
export type MethodTable<T> = { readonly [K in keyof T]: true };

export const apiMethods = {
  getAppInfo: true,
  reportDocumentState: true,
  openFile: true,
  saveFile: true,
  listDirectory: true,
  listRecentFiles: true,
  removeRecentFile: true,
  clearRecentFiles: true,
  exportFiles: true,
  showOpenDialog: true,
  showSaveDialog: true,
  showFolderDialog: true,
  saveRecovery: true,
  discardRecovery: true,
  listRecovery: true,
  restoreRecovery: true,
  getSettings: true,
  updateSettings: true,
  rememberRunContext: true,
  listContexts: true,
  testConnection: true,
  listKfpExperiments: true,
  startRun: true,
  cancelRun: true,
  retryRun: true,
  listRuns: true,
  getRun: true,
  readLog: true,
  readMetrics: true,
  readArtifacts: true,
  readLineage: true,
  deleteRun: true,
  listNotices: true,
  dismissNotice: true,
  readEstimateInputs: true,
  runPreflight: true,
  listSchedules: true,
  addSchedule: true,
  setSchedulePaused: true,
  deleteSchedule: true,
  describeKubeconfig: true,
  checkKubeconfigFile: true,
  startKubeEmulator: true,
  stopKubeEmulator: true,
  listClusterSchedules: true,
  addClusterSchedule: true,
  setClusterSchedulePaused: true,
  deleteClusterSchedule: true,
  syncScheduledRuns: true,
} as const satisfies MethodTable<PipewrightApi>;

export function isApiMethod(name: string): name is keyof PipewrightApi {
  return Object.prototype.hasOwnProperty.call(apiMethods, name);
}
