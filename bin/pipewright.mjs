#!/usr/bin/env node
// The `pipewright` command line: loads the TypeScript CLI (electron/cli/main.ts) through tsx.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../electron/cli/main.ts');

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
