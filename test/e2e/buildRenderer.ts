/**
 * Builds the renderer (vite build) when dist/renderer is missing or older than its sources. Several test
 * runs may share this checkout: builds take a lock, go to a fresh folder that replaces dist/renderer in
 * one rename, and keep the previous build's hashed assets so pages already open still load lazy chunks.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';

export const root = path.resolve(import.meta.dirname, '../..');
export const staticDir = path.join(root, 'dist/renderer');
const lockFile = path.join(root, 'dist/.renderer-build.lock');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(full));
    else if (!entry.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

function isFresh(): boolean {
  let built = 0;
  try {
    built = statSync(path.join(staticDir, 'index.html')).mtimeMs;
  } catch {
    return false;
  }
  const sources = Math.max(...['renderer', 'shared', 'node-catalog'].map((d) => newestMtime(path.join(root, d))));
  return built > sources;
}

/** Runs inside the lock (see buildIfNeeded): build to a new folder, then swap it in. */
export function buildLocked(): void {
  if (isFresh()) return;
  process.stdout.write('Building the renderer (vite build)...\n');
  const fresh = `${staticDir}.building`;
  rmSync(fresh, { recursive: true, force: true });
  execFileSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn', '--outDir', fresh], { cwd: root, stdio: 'inherit' });
  const oldAssets = path.join(staticDir, 'assets');
  if (existsSync(oldAssets)) cpSync(oldAssets, path.join(fresh, 'assets'), { recursive: true, force: false, errorOnExist: false });
  const previous = `${staticDir}.previous`;
  rmSync(previous, { recursive: true, force: true });
  if (existsSync(staticDir)) renameSync(staticDir, previous);
  renameSync(fresh, staticDir);
  rmSync(previous, { recursive: true, force: true });
}

export function buildIfNeeded(): void {
  if (isFresh()) return;
  execFileSync('mkdir', ['-p', path.dirname(lockFile)]);
  execFileSync('flock', [lockFile, process.execPath, path.join(root, 'node_modules/tsx/dist/cli.mjs'), '-e', `import('${path.join(root, 'test/e2e/buildRenderer.ts')}').then((m) => m.buildLocked())`], {
    cwd: root,
    stdio: 'inherit',
  });
}
