/**
 * Browser mode as a program: `node dist/electron/server.mjs [--port N] [--no-browser]`. Prints exactly
 * one line on stdout, `Pipewright is running at http://127.0.0.1:PORT/?token=...`, and opens the
 * system browser unless told not to (or in CI).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { defaultDataDir } from '../services/dataDir.ts';
import { createRunsService } from '../services/runsService.ts';
import { startServer } from './server.ts';
import type { RunningServer, ServerOptions } from './server.ts';

export { startServer };
export type { RunningServer, ServerOptions };

export interface BrowserModeOptions {
  port?: number;
  staticDir: string;
  dataDir?: string;
  openBrowser: boolean;
}

/** The command that opens a URL in the system browser, or null where none is known. */
export function browserCommand(platform: string, url: string): [string, string[]] | null {
  if (platform === 'darwin') return ['open', [url]];
  if (platform === 'win32') return ['cmd', ['/c', 'start', '""', `"${url}"`]];
  if (platform === 'linux' || platform === 'freebsd') return ['xdg-open', [url]];
  return null;
}

function openInBrowser(url: string): void {
  const command = browserCommand(process.platform, url);
  if (!command) return;
  const child = spawn(command[0], command[1], { stdio: 'ignore', detached: true, windowsVerbatimArguments: process.platform === 'win32' });
  child.on('error', () => process.stderr.write(`Could not open a browser; open the address above yourself.\n`));
  child.unref();
}

export async function runBrowserMode(options: BrowserModeOptions): Promise<RunningServer> {
  const dataDir = options.dataDir ?? defaultDataDir();
  const runs = createRunsService({ dataDir });
  const server = await startServer({ port: options.port, staticDir: path.resolve(options.staticDir), dataDir, runs: runs.manager });
  // Runs that were going when Pipewright last stopped: cluster runs are followed again, local ones settled.
  void runs.ready.then(() => runs.manager.reattachRuns()).catch((err: unknown) => process.stderr.write(`Could not pick up earlier runs: ${(err as Error).message}\n`));
  process.stdout.write(`Pipewright is running at ${server.url}\n`);
  if (options.openBrowser) openInBrowser(server.url);
  const stop = () => {
    void Promise.allSettled([runs.manager.close(), server.close()]).then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return server;
}
