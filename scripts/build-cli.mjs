#!/usr/bin/env node
// Builds the `pipewright` command line into dist/cli/ (esbuild, ES modules, one file per command plus
// shared chunks; packages stay in node_modules), so a command starts without compiling TypeScript.
// bin/pipewright.mjs uses it while it is newer than every source file (see cliSourcesNewest).
// `node scripts/build-cli.mjs` (run by `npm install` through `prepare`, and by `npm run build`).
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const distCli = path.join(root, 'dist', 'cli');
/** What the CLI is built from: a change in any of these makes dist/cli stale. */
export const CLI_SOURCES = ['electron', 'shared', 'node-catalog', 'package.json'];

/** The newest mtime (ms) of the CLI's source files: .ts files outside tests, and package.json. */
export function cliSourcesNewest(base = root) {
  let newest = 0;
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(full).mtimeMs);
    }
  };
  for (const source of CLI_SOURCES) {
    const full = path.join(base, source);
    if (!existsSync(full)) continue;
    if (statSync(full).isDirectory()) walk(full);
    else newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

/** Whether `base`/dist/cli holds a build at least as new as every source file. */
export function prebuiltCliIsFresh(base = root) {
  try {
    const stamp = JSON.parse(readFileSync(path.join(base, 'dist', 'cli', 'stamp.json'), 'utf8'));
    return existsSync(path.join(base, 'dist', 'cli', 'main.mjs')) && typeof stamp.sourcesAt === 'number' && stamp.sourcesAt >= cliSourcesNewest(base);
  } catch {
    return false;
  }
}

export async function buildCli() {
  const esbuild = await import('esbuild');
  const sourcesAt = cliSourcesNewest();
  const commandsDir = path.join(root, 'electron', 'cli', 'commands');
  const commands = readdirSync(commandsDir).filter((f) => /^[a-z][a-z0-9-]*\.ts$/.test(f) && !f.endsWith('.test.ts'));
  const entryPoints = { main: path.join(root, 'electron', 'cli', 'main.ts') };
  for (const file of commands) entryPoints[`commands/${file.slice(0, -3)}`] = path.join(commandsDir, file);
  // Built beside, then swapped in, so a CLI starting meanwhile never sees half a build.
  const temp = `${distCli}.${process.pid}.tmp`;
  rmSync(temp, { recursive: true, force: true });
  await esbuild.build({
    entryPoints,
    outdir: temp,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    logLevel: 'warning',
    legalComments: 'none',
  });
  // Names and summaries for the program's help, so `pipewright --help` loads no command.
  const summaries = [];
  for (const file of commands) {
    const { command } = await import(pathToFileURL(path.join(temp, 'commands', `${file.slice(0, -3)}.mjs`)).href);
    summaries.push({ name: command.name, summary: command.summary });
  }
  writeFileSync(path.join(temp, 'commands.json'), `${JSON.stringify(summaries.sort((a, b) => (a.name < b.name ? -1 : 1)), null, 1)}\n`);
  // main.mjs finds package.json two folders up, as electron/cli/main.ts does.
  writeFileSync(path.join(temp, 'stamp.json'), `${JSON.stringify({ sourcesAt, builtAt: Date.now() })}\n`);
  mkdirSync(path.dirname(distCli), { recursive: true });
  const old = `${distCli}.${process.pid}.old`;
  if (existsSync(distCli)) renameSync(distCli, old);
  renameSync(temp, distCli);
  rmSync(old, { recursive: true, force: true });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    await buildCli();
  } catch (error) {
    process.stderr.write(`Building the CLI failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
