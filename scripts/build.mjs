#!/usr/bin/env node
// Builds what the app runs: the renderer (vite, when missing or stale) and the Electron main process,
// preload and browser-mode server (esbuild) into dist/, and the CLI (build-cli.mjs). `node scripts/build.mjs [--force] [--no-renderer]`.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const distRenderer = path.join(root, 'dist', 'renderer');
export const distElectron = path.join(root, 'dist', 'electron');

const RENDERER_INPUTS = ['renderer', 'shared', 'node-catalog', 'vite.config.ts', 'package.json'];

function newestMtime(target) {
  if (!existsSync(target)) return 0;
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(target)) {
    if (entry === 'node_modules' || entry.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(path.join(target, entry)));
  }
  return newest;
}

export function rendererIsStale() {
  const built = path.join(distRenderer, 'index.html');
  if (!existsSync(built)) return true;
  const builtAt = statSync(built).mtimeMs;
  return RENDERER_INPUTS.some((input) => newestMtime(path.join(root, input)) > builtAt);
}

/** `vite build` (the renderer's vite.config.ts) when dist/renderer is missing or older than its sources. */
export function buildRenderer({ force = false, log = (line) => process.stderr.write(`${line}\n`) } = {}) {
  if (!force && !rendererIsStale()) return;
  if (!existsSync(path.join(root, 'vite.config.ts'))) throw new Error('vite.config.ts is missing: the renderer cannot be built');
  log('Building the renderer (vite build)...');
  const vite = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  const result = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) throw new Error(`the renderer build failed (vite exited with ${result.status ?? result.signal})`);
}

/** Main process and preload as CommonJS for Electron; the browser-mode server as an ES module for Node. */
export async function buildElectron() {
  const esbuild = await import('esbuild');
  mkdirSync(distElectron, { recursive: true });
  const common = { bundle: true, platform: 'node', target: 'node20', logLevel: 'warning', sourcemap: false, legalComments: 'none' };
  await Promise.all([
    esbuild.build({ ...common, entryPoints: [path.join(root, 'electron', 'main.ts')], outfile: path.join(distElectron, 'main.cjs'), format: 'cjs', external: ['electron'] }),
    // Sandboxed preloads cannot load modules: everything in one CommonJS file, Electron aside.
    esbuild.build({ ...common, entryPoints: [path.join(root, 'electron', 'preload.ts')], outfile: path.join(distElectron, 'preload.cjs'), format: 'cjs', external: ['electron'] }),
    esbuild.build({ ...common, entryPoints: [path.join(root, 'electron', 'server', 'main.ts')], outfile: path.join(distElectron, 'server.mjs'), format: 'esm', packages: 'external' }),
  ]);
  const icon = path.join(root, 'build', 'icon.png');
  if (existsSync(icon)) copyFileSync(icon, path.join(distElectron, 'icon.png'));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    // `npm install` (prepare) builds the CLI and the main process, preload and browser-mode server; the renderer's vite build waits for `npm start`/`npm run build`.
    if (!process.argv.includes('--no-renderer')) buildRenderer({ force: process.argv.includes('--force') });
    await buildElectron();
    if (!process.argv.includes('--no-renderer')) await (await import('./build-cli.mjs')).buildCli();
  } catch (error) {
    process.stderr.write(`Build failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
