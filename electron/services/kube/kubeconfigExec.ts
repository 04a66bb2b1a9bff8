/**
 * The programs a kubeconfig file makes Pipewright run, as @kubernetes/client-node runs them: each user's
 * `exec` credential plugin (client.authentication.k8s.io, with its `env`), an `auth-provider` whose config
 * holds an `exec`, and a legacy `auth-provider` `cmd-path` with its `cmd-args` (gcp, azure; run by a shell).
 * Read from the file's text (YAML), without the Kubernetes client: before a file is added to Settings ›
 * Clusters (the desktop app asks in a native dialog, browser mode refuses: electron/desktop/reach.ts,
 * backend.ts), and again whenever it is loaded for use (kubeconfigTrust.ts).
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { KubeconfigFilePrograms, KubeconfigUncheckable } from '../../../shared/api/clusters.ts';

/** Larger than any real kubeconfig; a bigger file is not read (and counts as one that may run anything). */
export const MAX_KUBECONFIG_BYTES = 1024 * 1024;

export type KubeconfigPrograms = KubeconfigFilePrograms;

function quote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

interface ExecConfig {
  command?: unknown;
  args?: unknown;
  env?: unknown;
}

/** A kubeconfig user as the YAML has it, or as @kubernetes/client-node holds it after loading (exec, authProvider). */
export interface KubeUserPrograms {
  name?: unknown;
  exec?: unknown;
  authProvider?: unknown;
}

/** `NAME=value command args`: the environment is part of what runs (PATH, LD_PRELOAD, a profile). */
function execLine(exec: ExecConfig): string | null {
  if (typeof exec.command !== 'string' || !exec.command) return null;
  const env = Array.isArray(exec.env) ? (exec.env as { name?: unknown; value?: unknown }[]).filter((e) => typeof e?.name === 'string').map((e) => `${e.name as string}=${quote(String(e.value ?? ''))}`) : [];
  const args = Array.isArray(exec.args) ? exec.args.map(String) : [];
  return [...env, ...[exec.command, ...args].map(quote)].join(' ');
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** The command lines these users run, one per plugin, with the user they are for. */
export function userCommands(users: readonly KubeUserPrograms[]): string[] {
  const out: string[] = [];
  for (const u of users) {
    const who = typeof u?.name === 'string' ? ` (user ${u.name})` : '';
    const provider = isObject(u?.authProvider) ? u.authProvider : undefined;
    const config = isObject(provider?.config) ? provider.config : undefined;
    // The client runs the user's exec when there is one, else the auth-provider's config.exec.
    const exec = isObject(u?.exec) ? u.exec : isObject(config?.exec) ? config.exec : undefined;
    const line = exec ? execLine(exec) : null;
    if (line) out.push(`${line}${who}`);
    const cmd = config?.['cmd-path'];
    if (typeof cmd === 'string' && cmd) {
      const args = typeof config?.['cmd-args'] === 'string' ? ` ${config['cmd-args']}` : '';
      out.push(`${quote(cmd)}${args}${who}`);
    }
  }
  return out;
}

/** The command lines a kubeconfig's text would run (throws on text that is not YAML). */
export function kubeconfigCommands(text: string): string[] {
  const doc = parse(text) as { users?: unknown } | null;
  const users = Array.isArray(doc?.users) ? (doc.users as { name?: unknown; user?: Record<string, unknown> }[]) : [];
  return userCommands(users.map((u) => ({ name: u?.name, exec: u?.user?.exec, authProvider: u?.user?.['auth-provider'] })));
}

/** What the file runs now, read synchronously (the loader checks the very text it then loads: see kubeconfig.ts). */
export function kubeconfigProgramsSync(file: string): KubeconfigPrograms {
  const resolved = path.resolve(file);
  let text: string;
  try {
    const stat = statSync(resolved);
    if (!stat.isFile()) return { file: resolved, commands: [], unreadable: 'not-a-file' };
    if (stat.size > MAX_KUBECONFIG_BYTES) return { file: resolved, commands: [], unreadable: 'too-large' };
    text = readFileSync(resolved, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? { file: resolved, commands: [], unreadable: 'missing' } : { file: resolved, commands: [], unreadable: 'cannot-read', detail: code ?? (error as Error).message };
  }
  return programsInText(resolved, text);
}

/** What a file's text runs. */
export function programsInText(file: string, text: string): KubeconfigPrograms {
  try {
    return { file, commands: kubeconfigCommands(text) };
  } catch (error) {
    return { file, commands: [], unreadable: 'not-yaml', detail: (error as Error).message.split('\n')[0]! };
  }
}

export async function kubeconfigPrograms(file: string): Promise<KubeconfigPrograms> {
  return kubeconfigProgramsSync(file);
}

/** The files of `next` that `current` does not hold (compared as resolved paths). */
export function addedKubeconfigFiles(next: readonly string[], current: readonly string[]): string[] {
  const had = new Set(current.map((f) => path.resolve(f)));
  return [...new Set(next.map((f) => path.resolve(f)))].filter((f) => !had.has(f));
}

/** Those of the files that run a program or cannot be checked now: what a person must confirm before they are used. */
export async function programsToConfirm(files: readonly string[]): Promise<KubeconfigPrograms[]> {
  const all = await Promise.all(files.map((f) => kubeconfigPrograms(f)));
  return all.filter((p) => p.commands.length > 0 || p.unreadable !== undefined);
}

const UNREADABLE: Record<KubeconfigUncheckable, (detail?: string) => string> = {
  missing: () => 'it does not exist (yet)',
  'not-a-file': () => 'it is not a file',
  'too-large': () => `it is larger than ${MAX_KUBECONFIG_BYTES / 1024 / 1024} MiB`,
  'cannot-read': (detail) => `it cannot be read (${detail ?? 'unknown error'})`,
  'not-yaml': (detail) => `it is not YAML (${detail ?? 'parse error'})`,
};

/** Why a file cannot be checked, in English. */
export function unreadableText(p: Pick<KubeconfigPrograms, 'unreadable' | 'detail'>): string {
  return p.unreadable ? UNREADABLE[p.unreadable](p.detail) : '';
}

/** One line per file: the path, then what it runs or why it could not be read. */
export function describePrograms(list: readonly KubeconfigPrograms[]): string {
  return list.map((p) => (p.unreadable ? `${p.file}: cannot be checked, ${unreadableText(p)}` : `${p.file} runs: ${p.commands.join('; ')}`)).join('\n');
}
