/**
 * THE place that decides where Pipewright keeps its data (settings, recovery drafts, run history,
 * the local step cache), shared by the app, browser mode and the CLI so they see the same runs.
 * `PIPEWRIGHT_DATA_DIR` overrides it; otherwise the per-OS application-data folder.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

export const DATA_DIR_ENV = 'PIPEWRIGHT_DATA_DIR';

export function defaultDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  const override = env[DATA_DIR_ENV];
  if (override) return override;
  if (platform === 'win32') return join(env.APPDATA || join(home, 'AppData', 'Roaming'), 'Pipewright');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Pipewright');
  return join(env.XDG_DATA_HOME || join(home, '.local', 'share'), 'pipewright');
}

/** Run history: one folder per run. */
export function runsDir(dataDir: string): string {
  return join(dataDir, 'runs');
}

/** The local target's content-addressed cache of stage outputs. */
export function localCacheDir(dataDir: string): string {
  return join(dataDir, 'cache', 'local');
}
