#!/usr/bin/env node
// The `pipewright` command line: loads the TypeScript CLI (electron/cli/main.ts) through tsx.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../electron/cli/main.ts');

const controller = new AbortController();
process.once('SIGINT', () => {
  // First Ctrl-C asks the command to stop; a second one (or a command that does not stop) ends it.
  controller.abort();
  process.once('SIGINT', () => process.exit(130));
  setTimeout(() => process.exit(130), 2000).unref();
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
