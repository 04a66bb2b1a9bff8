/**
 * The bundled Kubernetes API emulator (test/kube-emulator) as a child process, started the way
 * `npm run kube-emulator` starts it. It exits with its parent: it watches its stdin, which closes
 * when this process ends for any reason (kill -9 included).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const EMULATOR_CONTEXT = 'pipewright-emulator';
const CLI = path.join('test', 'kube-emulator', 'cli.ts');
const START_TIMEOUT_MS = 30_000;

export interface EmulatorLaunch {
  url: string;
  kubeconfigPath: string;
}

export interface EmulatorProcess {
  /** The source checkout holding the emulator, or null (then `unavailable` says why). */
  readonly root: string | null;
  readonly unavailable: string | undefined;
  readonly kubeconfigPath: string;
  running(): EmulatorLaunch | null;
  start(): Promise<EmulatorLaunch>;
  stop(): Promise<void>;
}

/** The checkout holding test/kube-emulator: above this module (source or dist/electron bundle), the started script, or the working folder. */
export function findEmulatorRoot(starts: readonly (string | undefined)[]): string | null {
  for (const start of starts) {
    if (!start) continue;
    let dir = path.resolve(start);
    for (let i = 0; i < 6; i += 1) {
      if (existsSync(path.join(dir, CLI)) && existsSync(path.join(dir, 'node_modules', 'tsx'))) return dir;
      const up = path.dirname(dir);
      if (up === dir) break;
      dir = up;
    }
  }
  return null;
}

function moduleDir(): string | undefined {
  try {
    return path.dirname(fileURLToPath(import.meta.url));
  } catch {
    return undefined;
  }
}

export interface EmulatorProcessOptions {
  dataDir: string;
  /** Where to look for the checkout (default: this module's folder, the main script's, the working folder). */
  root?: string | null;
  /** Real ms per emulated ms (default 1: step scripts take seconds, as on a cluster). */
  timeScale?: number;
  /** Running as an installed app (default: isPackagedElectron()): then the emulator is unavailable. */
  packaged?: boolean;
}

/**
 * An installed (packaged) app: its RunAsNode fuse is off (electron-builder.config.ts), so it cannot start
 * itself as Node. `npm start` runs the stock Electron binary with the app folder (process.defaultApp).
 */
export function isPackagedElectron(proc: { versions: NodeJS.ProcessVersions; defaultApp?: boolean } = process): boolean {
  return typeof proc.versions.electron === 'string' && proc.defaultApp !== true;
}

export function createEmulatorProcess(options: EmulatorProcessOptions): EmulatorProcess {
  const packaged = options.packaged ?? isPackagedElectron();
  const root = packaged ? null : options.root !== undefined ? options.root : findEmulatorRoot([moduleDir(), process.argv[1] && path.dirname(process.argv[1]), process.cwd()]);
  const kubeconfigPath = path.join(options.dataDir, 'kube-emulator', 'kubeconfig');
  const unavailable = root ? undefined : `The local emulator comes with Pipewright's source checkout (${CLI.split(path.sep).join('/')}), which this installation does not have${packaged ? ' (an installed app cannot start Node processes)' : ''}. Run Pipewright from a clone (npm install && npm start) to use it.`;
  let child: ChildProcess | null = null;
  let launch: EmulatorLaunch | null = null;
  let starting: Promise<EmulatorLaunch> | null = null;

  const begin = async (): Promise<EmulatorLaunch> => {
    if (!root) throw new Error(unavailable);
    await mkdir(path.dirname(kubeconfigPath), { recursive: true });
    const args = ['--import', 'tsx', path.join(root, CLI), '--kubeconfig', kubeconfigPath, '--time-scale', String(options.timeScale ?? 1), '--exit-with-stdin'];
    // In Electron (npm start, never an installed app), process.execPath is the app: ELECTRON_RUN_AS_NODE makes it plain Node.
    const proc = spawn(process.execPath, args, { cwd: root, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
    child = proc;
    const stderr: string[] = [];
    return new Promise<EmulatorLaunch>((resolve, reject) => {
      const fail = (why: string) => {
        clearTimeout(timer);
        proc.kill('SIGKILL');
        reject(new Error(`The local emulator did not start: ${why}${stderr.length ? ` (${stderr.join(' ').trim().slice(-400)})` : ''}`));
      };
      const timer = setTimeout(() => fail(`no answer within ${START_TIMEOUT_MS / 1000} s`), START_TIMEOUT_MS);
      proc.once('error', (err) => fail(err.message));
      proc.once('exit', (code, signal) => {
        if (child === proc) {
          child = null;
          launch = null;
        }
        fail(`it exited (${signal ?? code})`);
      });
      createInterface({ input: proc.stderr! }).on('line', (line) => {
        if (stderr.length < 20) stderr.push(line);
        const url = /Kubernetes API emulator at (http:\/\/\S+)/.exec(line)?.[1];
        if (!url) return;
        clearTimeout(timer);
        launch = { url, kubeconfigPath };
        resolve(launch);
      });
      proc.stdout!.resume();
    });
  };

  return {
    root,
    unavailable,
    kubeconfigPath,
    running: () => launch,
    start() {
      if (launch) return Promise.resolve(launch);
      starting ??= begin().finally(() => {
        starting = null;
      });
      return starting;
    },
    async stop() {
      const proc = child;
      child = null;
      launch = null;
      if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
      await new Promise<void>((resolve) => {
        const force = setTimeout(() => proc.kill('SIGKILL'), 3000);
        proc.once('exit', () => {
          clearTimeout(force);
          resolve();
        });
        proc.kill('SIGTERM');
      });
    },
  };
}
