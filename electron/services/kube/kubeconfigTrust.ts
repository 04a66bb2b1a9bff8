/**
 * What the user confirmed that each kubeconfig file in Settings › Clusters may run, and the check made each
 * time the kubeconfig is loaded for use: a listed file edited since (a new or changed exec plugin, env or
 * cmd-path) is not used until the user confirms again (desktop: native dialog; browser mode: refused).
 *
 * Kept in settings.json under `kubeconfigConfirmed`: per file, the SHA-256 of each confirmed command line
 * (the line holds the plugin's env, which may hold secrets, so only digests are written). A token refresh
 * that rewrites the file (an auth-provider's access-token, a cached id-token) changes no command line, so it
 * asks nothing. Files KUBECONFIG names (or ~/.kube/config when it is unset) are the user's own choice in
 * the terminal, as kubectl would use them: never asked about.
 */
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import type { KubeconfigProgramsReason } from '../../../shared/api/clusters.ts';
import { ApiError } from '../../../shared/api/errors.ts';
import { ClusterError } from './errors.ts';
import { describePrograms, kubeconfigProgramsSync } from './kubeconfigExec.ts';
import type { KubeconfigPrograms } from './kubeconfigExec.ts';

/** The settings.json key (not part of the page's Settings: only the back end writes it). */
export const CONFIRMED_KEY = 'kubeconfigConfirmed';

/** Resolved file path -> digests of the command lines the user confirmed for it. */
export type ConfirmedPrograms = Readonly<Record<string, readonly string[]>>;

type Env = Readonly<Record<string, string | undefined>>;

const DIGEST = /^[0-9a-f]{64}$/;
const MAX_FILES = 64;
const MAX_DIGESTS = 256;

export function commandDigest(line: string): string {
  return createHash('sha256').update(line, 'utf8').digest('hex');
}

/** The stored record, or nothing confirmed where it is damaged (the safe reading: ask again). */
export function parseConfirmed(raw: unknown): Record<string, string[]> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return {};
  const out: Record<string, string[]> = {};
  for (const [file, digests] of Object.entries(raw).slice(0, MAX_FILES)) {
    if (!path.isAbsolute(file) || !Array.isArray(digests)) continue;
    out[file] = digests.filter((d): d is string => typeof d === 'string' && DIGEST.test(d)).slice(0, MAX_DIGESTS);
  }
  return out;
}

/** The files the environment names (KUBECONFIG, else ~/.kube/config), resolved: trusted as kubectl trusts them. */
export function environmentKubeconfigFiles(env: Env = process.env, home = os.homedir()): string[] {
  const list = (env.KUBECONFIG ?? '').split(path.delimiter).filter(Boolean);
  return (list.length > 0 ? list : [path.join(home, '.kube', 'config')]).map((f) => path.resolve(f));
}

/** What of a file's programs was not confirmed: the new command lines, or the whole file when it cannot be checked; null when nothing. */
export function notConfirmed(p: KubeconfigPrograms, confirmed: ConfirmedPrograms): KubeconfigPrograms | null {
  // A missing file is skipped by the loader: it runs nothing.
  if (p.unreadable === 'missing') return null;
  if (p.unreadable) return p;
  const known = new Set(confirmed[p.file] ?? []);
  const fresh = p.commands.filter((c) => !known.has(commandDigest(c)));
  return fresh.length > 0 ? { file: p.file, commands: fresh } : null;
}

export interface TrustScope {
  confirmed: ConfirmedPrograms;
  /** Resolved paths never checked (the environment's own files). */
  trusted: readonly string[];
}

/** The listed files that run programs not confirmed (read from disk now). */
export function unconfirmedPrograms(files: readonly string[], scope: TrustScope, read: (file: string) => KubeconfigPrograms = kubeconfigProgramsSync): KubeconfigPrograms[] {
  const trusted = new Set(scope.trusted);
  const resolved = [...new Set(files.map((f) => path.resolve(f)))].filter((f) => !trusted.has(f));
  return resolved.map((f) => notConfirmed(read(f), scope.confirmed)).filter((p): p is KubeconfigPrograms => p !== null);
}

/** The record with what the user was just shown added to it. */
export function withConfirmed(confirmed: ConfirmedPrograms, shown: readonly KubeconfigPrograms[]): Record<string, string[]> {
  const next: Record<string, string[]> = Object.fromEntries(Object.entries(confirmed).map(([f, d]) => [f, [...d]]));
  for (const p of shown) {
    const file = path.resolve(p.file);
    const digests = new Set([...(next[file] ?? []), ...p.commands.map(commandDigest)]);
    next[file] = [...digests].slice(-MAX_DIGESTS);
  }
  return next;
}

/** The record for the files still listed (a file taken out of the list is asked about again when it comes back). */
export function keepListed(confirmed: ConfirmedPrograms, files: readonly string[]): Record<string, string[]> {
  const listed = new Set(files.map((f) => path.resolve(f)));
  return Object.fromEntries(Object.entries(confirmed).filter(([f]) => listed.has(f)).map(([f, d]) => [f, [...d]]));
}

const them = (n: number, one: string, many: string) => (n === 1 ? one : many);

/** English for the CLI and logs; the UI words it from the reason. */
export function kubeconfigProgramsMessage(reason: KubeconfigProgramsReason): string {
  const { files, situation, declined } = reason;
  const n = files.length;
  const list = describePrograms(files);
  const names = files.map((p) => p.file).join(', ');
  if (declined && situation === 'add') return `Refused by the desktop app: the kubeconfig files were not changed: adding ${names} was not confirmed.\n${list}`;
  if (declined) return `Refused by the desktop app: ${them(n, 'the kubeconfig', 'the kubeconfigs')} ${names} ${them(n, 'was', 'were')} not used: ${them(n, 'it was', 'they were')} changed since ${them(n, 'it was', 'they were')} added, and what ${them(n, 'it runs', 'they run')} now was not confirmed.\n${list}`;
  const terminal = `start Pipewright with KUBECONFIG=${files.map((p) => p.file).join(path.delimiter)} in the terminal`;
  if (situation === 'add')
    return `Not added: ${them(n, 'this kubeconfig', 'these kubeconfigs')} would make Pipewright run a program (an exec credential plugin) or cannot be checked now, and browser mode cannot ask you to confirm that outside the page.\n${list}\nTo use ${them(n, 'it', 'them')}, ${terminal} (then leave the list in Settings › Clusters empty), or add ${them(n, 'it', 'them')} in the desktop app, which asks in a native dialog.`;
  return `Not used: ${them(n, 'this kubeconfig was', 'these kubeconfigs were')} changed after ${them(n, 'it was', 'they were')} added and now ${them(n, 'runs a program', 'run programs')} nobody confirmed (or cannot be checked now).\n${list}\nTo use ${them(n, 'it', 'them')}: confirm in the desktop app (it asks when the file is next used), ${terminal}, or remove ${them(n, 'it', 'them')} from Settings › Clusters.`;
}

export function kubeconfigProgramsReason(situation: KubeconfigProgramsReason['situation'], files: readonly KubeconfigPrograms[], declined = false): KubeconfigProgramsReason {
  return { kind: 'kubeconfig-programs', situation, declined, files: files.map((p) => ({ ...p, commands: [...p.commands] })) };
}

/** The refusal as it crosses to the page: English message, and the reason for the UI to word. */
export function kubeconfigProgramsRefusal(situation: KubeconfigProgramsReason['situation'], files: readonly KubeconfigPrograms[], declined = false): ApiError {
  const reason = kubeconfigProgramsReason(situation, files, declined);
  return new ApiError('failed', kubeconfigProgramsMessage(reason), [], reason);
}

/** Thrown by the loader when a listed file runs programs not confirmed: nothing of it is used. */
export class KubeconfigNotConfirmedError extends ClusterError {
  constructor(readonly programs: KubeconfigPrograms[]) {
    super('unconfirmed-programs', kubeconfigProgramsMessage(kubeconfigProgramsReason('changed', programs)), false);
    this.name = 'KubeconfigNotConfirmedError';
  }

  toApiError(): ApiError {
    return kubeconfigProgramsRefusal('changed', this.programs);
  }
}

/** Methods about one run (its id first) that reach the cluster when the run is a cluster run. */
export const RUN_ID_METHODS: readonly string[] = ['cancelRun', 'retryRun'];

/**
 * Calls that load the kubeconfig to reach a cluster (checked before they run; describeKubeconfig reports
 * instead). `runTarget`: for RUN_ID_METHODS, the target of the run named.
 */
export function loadsKubeconfig(method: string, args: readonly unknown[], runTarget?: string | null): boolean {
  const target = (args[0] as { target?: unknown } | null | undefined)?.target;
  switch (method) {
    case 'cancelRun':
    case 'retryRun':
      return typeof runTarget === 'string' && runTarget !== 'local';
    case 'listContexts':
    case 'testConnection':
    case 'listKfpExperiments':
    case 'listClusterSchedules':
    case 'addClusterSchedule':
    case 'setClusterSchedulePaused':
    case 'deleteClusterSchedule':
    case 'syncScheduledRuns':
      return true;
    case 'startRun':
    case 'runPreflight':
      return target !== 'local';
    default:
      return false;
  }
}
