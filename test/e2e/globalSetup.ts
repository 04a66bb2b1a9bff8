/**
 * Builds the renderer when it is missing or older than its sources, then starts browser mode with a
 * temporary data dir and a temporary work folder for files. Tests read PIPEWRIGHT_E2E_* from the env.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { buildIfNeeded, root, staticDir } from './buildRenderer.ts';

/**
 * Starts browser mode on a free port (or the given one, with the given token: a restart the open pages
 * can reconnect to); resolves with its URL (with token), a stop function and one that kills it outright.
 * `env` sets variables in the server's environment only (undefined: left out of it), not in this process's.
 */
export async function startBrowserMode(dataDir: string, homeDir: string, fixed: { port?: number; token?: string; env?: Record<string, string | undefined> } = {}): Promise<{ url: string; stop(): void; kill(): Promise<void> }> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...fixed.env, HOME: homeDir, PIPEWRIGHT_E2E_PORT: String(fixed.port ?? 0), PIPEWRIGHT_E2E_TOKEN: fixed.token ?? '' };
  for (const [name, value] of Object.entries(env)) if (value === undefined) delete env[name];
  // One process (tsx as a loader, not its CLI that runs a second node): killing it kills the server.
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'test/e2e/serve.ts'), dataDir, staticDir], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
    env,
  });
  const line = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('browser-mode server did not start within 30 s')), 30_000);
    child.once('exit', (code) => reject(new Error(`browser-mode server exited with ${code}`)));
    createInterface({ input: child.stdout! }).once('line', (l) => {
      clearTimeout(timer);
      resolve(l);
    });
  });
  const { url } = JSON.parse(line) as { url: string };
  return {
    url,
    stop: () => child.kill('SIGTERM'),
    kill: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  };
}

export default async function globalSetup(): Promise<() => Promise<void>> {
  buildIfNeeded();
  const base = mkdtempSync(path.join(tmpdir(), 'pipewright-e2e-'));
  const dataDir = path.join(base, 'data');
  const workDir = path.join(base, 'work');
  mkdirSync(dataDir);
  mkdirSync(workDir);
  const { url, stop } = await startBrowserMode(dataDir, workDir);
  process.env.PIPEWRIGHT_E2E_URL = url;
  process.env.PIPEWRIGHT_E2E_WORKDIR = workDir;
  process.env.PIPEWRIGHT_E2E_DATADIR = dataDir;
  return async () => {
    stop();
    await new Promise((resolve) => setTimeout(resolve, 300));
    rmSync(base, { recursive: true, force: true });
  };
}
