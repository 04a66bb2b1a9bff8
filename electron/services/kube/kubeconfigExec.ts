/**
 * The programs a kubeconfig file makes Pipewright run: each user's `exec` credential plugin
 * (client.authentication.k8s.io) and a legacy `auth-provider` with `cmd-path` (gcp). Read from the
 * file's text (YAML), without the Kubernetes client, before the file is added to Settings › Clusters:
 * the desktop app asks in a native dialog, browser mode refuses (electron/desktop/reach.ts, backend.ts).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

/** Larger than any real kubeconfig; a bigger file is not read (and counts as one that may run anything). */
const MAX_BYTES = 1024 * 1024;

export interface KubeconfigPrograms {
  file: string;
  /** Command lines, one per plugin, with the user they are for: `aws eks get-token --cluster-name prod (user eks-admin)`. */
  commands: string[];
  /** Set when the file could not be read or parsed now: what it will run when it can is unknown. */
  unreadable?: string;
}

function quote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

interface UserEntry {
  name?: unknown;
  user?: { exec?: { command?: unknown; args?: unknown }; 'auth-provider'?: { name?: unknown; config?: Record<string, unknown> } };
}

/** The command lines a kubeconfig's text would run (throws on text that is not YAML). */
export function kubeconfigCommands(text: string): string[] {
  const doc = parse(text) as { users?: unknown } | null;
  const users = Array.isArray(doc?.users) ? (doc.users as UserEntry[]) : [];
  const out: string[] = [];
  for (const u of users) {
    const who = typeof u?.name === 'string' ? ` (user ${u.name})` : '';
    const exec = u?.user?.exec;
    if (exec && typeof exec.command === 'string') {
      const args = Array.isArray(exec.args) ? exec.args.map(String) : [];
      out.push(`${[exec.command, ...args].map(quote).join(' ')}${who}`);
    }
    const provider = u?.user?.['auth-provider'];
    const cmd = provider?.config?.['cmd-path'];
    if (typeof cmd === 'string' && cmd) {
      const args = typeof provider?.config?.['cmd-args'] === 'string' ? ` ${provider.config['cmd-args']}` : '';
      out.push(`${quote(cmd)}${args}${who}`);
    }
  }
  return out;
}

export async function kubeconfigPrograms(file: string): Promise<KubeconfigPrograms> {
  const resolved = path.resolve(file);
  let text: string;
  try {
    const stat = await fs.stat(resolved);
    if (!stat.isFile()) return { file: resolved, commands: [], unreadable: 'it is not a file' };
    if (stat.size > MAX_BYTES) return { file: resolved, commands: [], unreadable: `it is larger than ${MAX_BYTES / 1024 / 1024} MiB` };
    text = await fs.readFile(resolved, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { file: resolved, commands: [], unreadable: code === 'ENOENT' ? 'it does not exist (yet)' : `it cannot be read (${code ?? (error as Error).message})` };
  }
  try {
    return { file: resolved, commands: kubeconfigCommands(text) };
  } catch (error) {
    return { file: resolved, commands: [], unreadable: `it is not YAML (${(error as Error).message.split('\n')[0]})` };
  }
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

/** One line per file: the path, then what it runs or why it could not be read. */
export function describePrograms(list: readonly KubeconfigPrograms[]): string {
  return list.map((p) => (p.unreadable ? `${p.file}: cannot be checked, ${p.unreadable}` : `${p.file} runs: ${p.commands.join('; ')}`)).join('\n');
}

/**
 * Browser mode has no native dialog to ask in, so a kubeconfig that runs a program (or cannot be checked)
 * is not added from the page: the terminal that starts Pipewright is where it can be named.
 */
export async function refuseKubeconfigProgramsInBrowser(next: readonly string[], current: readonly string[]): Promise<string | null> {
  const list = await programsToConfirm(addedKubeconfigFiles(next, current));
  if (list.length === 0) return null;
  return `Not added: ${list.length === 1 ? 'this kubeconfig' : 'these kubeconfigs'} would make Pipewright run a program (an exec credential plugin) or cannot be checked now, and browser mode cannot ask you to confirm that outside the page.\n${describePrograms(list)}\nTo use ${list.length === 1 ? 'it' : 'them'}, start Pipewright with KUBECONFIG=${list.map((p) => p.file).join(path.delimiter)} in the terminal (then leave the list in Settings › Clusters empty), or add ${list.length === 1 ? 'it' : 'them'} in the desktop app, which asks in a native dialog.`;
}
