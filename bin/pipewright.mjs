#!/usr/bin/env node
// The `pipewright` command line. Runs the prebuilt CLI (dist/cli, made by scripts/build-cli.mjs at
// `npm install`) while it is newer than every source file; otherwise the TypeScript sources through
// tsx, which is slower, and says so on a terminal.
import { existsSync } from 'node:fs';
import { buildCli, prebuiltCliIsFresh } from '../scripts/build-cli.mjs';

const prebuilt = new URL('../dist/cli/main.mjs', import.meta.url);
const fromSources = process.env.PIPEWRIGHT_CLI_FROM_SOURCES === '1';

// The repository's .npmrc turns install scripts off (Electron's download), so `npm install` never runs
// `prepare`: the first command after an install or a source change builds the bundle (about a second).
async function freshBundle() {
  if (prebuiltCliIsFresh()) return true;
  try {
    await buildCli();
    return prebuiltCliIsFresh();
  } catch (err) {
    if (process.stderr.isTTY) process.stderr.write(`note: building the prebuilt CLI failed (${err instanceof Error ? err.message : err}).\n`);
    return false;
  }
}

let runCli;
if (!fromSources && (await freshBundle())) {
  ({ runCli } = await import(prebuilt.href));
} else {
  if (process.stderr.isTTY && !fromSources) {
    const why = existsSync(prebuilt) ? 'is older than the sources' : 'is missing';
    process.stderr.write(`note: the prebuilt CLI (dist/cli) ${why}: running from TypeScript, which starts slower. \`npm run build:cli\` makes it fast again.\n`);
  }
  const { register } = await import('tsx/esm/api');
  register();
  ({ runCli } = await import('../electron/cli/main.ts'));
}

const controller = new AbortController();
process.once('SIGINT', () => {
  // First Ctrl-C asks the command to stop (a run: its stages get SIGTERM, SIGKILL after a grace); a second
  // one, or a command still going after 8 s, ends the process (a run's exit hook kills its stages and records it cancelled).
  controller.abort();
  process.once('SIGINT', () => process.exit(130));
  setTimeout(() => process.exit(130), 8000).unref();
});
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  cwd: process.cwd(),
  env: process.env,
  isTTY: process.stdout.isTTY === true,
  signal: controller.signal,
});
