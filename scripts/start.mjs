#!/usr/bin/env node
// `npm start`: build what is needed, then run the desktop app where Electron's binary exists (and a
// display does), otherwise browser mode. `npm run web` (--web) forces browser mode.
// Flags: --web, --no-browser, --port N. stdout gets one line in browser mode; progress goes to stderr.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildElectron, buildRenderer, distElectron, distRenderer, root } from './build.mjs';

const INSTALL_TIMEOUT_MS = 60_000;
const electronDir = path.join(root, 'node_modules', 'electron');
const failureMarker = path.join(root, 'node_modules', '.cache', 'pipewright', 'electron-install-failed.json');

const log = (line) => process.stderr.write(`${line}\n`);

function parseArgs(argv) {
  const portIndex = argv.indexOf('--port');
  return {
    web: argv.includes('--web'),
    openBrowser: !argv.includes('--no-browser') && !process.env.CI,
    port: portIndex >= 0 ? Number(argv[portIndex + 1]) : undefined,
  };
}

/** The Electron executable, or null when the binary is not there. */
function electronBinary() {
  const pathFile = path.join(electronDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = path.join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

/** Tries Electron's own download once; a failure is remembered so later starts go straight on. */
function tryInstallElectron() {
  if (!existsSync(path.join(electronDir, 'install.js')) || existsSync(failureMarker)) return null;
  log('Electron binary missing; trying to download it once...');
  const result = spawnSync(process.execPath, [path.join(electronDir, 'install.js')], { cwd: electronDir, stdio: 'ignore', timeout: INSTALL_TIMEOUT_MS });
  const binary = electronBinary();
  if (binary) return binary;
  mkdirSync(path.dirname(failureMarker), { recursive: true });
  const reason = result.error ? result.error.message : `install.js exited with ${result.status ?? result.signal}`;
  writeFileSync(failureMarker, `${JSON.stringify({ at: new Date().toISOString(), reason }, null, 2)}\n`);
  log(`Electron could not be downloaded (${reason}); not retrying (delete ${path.relative(root, failureMarker)} to retry).`);
  return null;
}

function hasDisplay() {
  if (process.platform !== 'linux') return true;
  return Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
}

function runDesktop(binary) {
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  const child = spawn(binary, [root], { stdio: 'inherit', env });
  child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 0)));
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
}

async function runBrowser(options) {
  const server = await import(pathToFileURL(path.join(distElectron, 'server.mjs')).href);
  await server.runBrowserMode({ port: options.port, staticDir: distRenderer, openBrowser: options.openBrowser });
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  buildRenderer({ log });
  await buildElectron();
  if (!options.web) {
    const binary = electronBinary() ?? tryInstallElectron();
    if (binary && hasDisplay()) return runDesktop(binary);
    log(binary ? 'No display found: starting browser mode.' : 'Electron is not installed: starting browser mode.');
  }
  await runBrowser(options);
}

main().catch((error) => {
  log(`Pipewright could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
