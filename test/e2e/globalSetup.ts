/**
 * Builds the renderer when it is missing or older than its sources, then starts browser mode with a
 * temporary data dir and a temporary work folder for files. Tests read PIPEWRIGHT_E2E_* from the env.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';

const root = path.resolve(import.meta.dirname, '../..');
const staticDir = path.join(root, 'dist/renderer');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(full));
    else if (!entry.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

function buildIfNeeded(): void {
  const index = path.join(staticDir, 'index.html');
  let built = 0;
  try {
    built = statSync(index).mtimeMs;
  } catch {
    built = 0;
  }
  const sources = Math.max(...['renderer', 'shared', 'node-catalog'].map((d) => newestMtime(path.join(root, d))));
  if (built > sources) return;
  process.stdout.write('Building the renderer (vite build)...\n');
  execFileSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
}

/** Starts browser mode on a free port; resolves with its URL (with token) and a stop function. */
export async function startBrowserMode(dataDir: string, homeDir: string): Promise<{ url: string; stop(): void }> {
  const child = spawn(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), path.join(root, 'test/e2e/serve.ts'), dataDir, staticDir], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, HOME: homeDir },
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
  return { url, stop: () => child.kill('SIGTERM') };
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
