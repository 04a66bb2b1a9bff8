/** The desktop entry point: hands Electron's modules to the shell (electron/desktop/shell.ts). */
import electron from 'electron';
import { startDesktop } from './desktop/shell.ts';
import { defaultDataDir } from './services/dataDir.ts';
import { createRunsService } from './services/runsService.ts';

const dataDir = defaultDataDir();
const runs = createRunsService({ dataDir });
startDesktop({ electron, dataDir, distDir: __dirname, runs: runs.manager });
void runs.ready.then(() => runs.manager.reattachRuns());
// Local stages must be stopped and the history flushed before the process goes.
let closed = false;
electron.app.on('will-quit', (event) => {
  if (closed) return;
  event.preventDefault();
  void runs.manager.close().finally(() => {
    closed = true;
    electron.app.quit();
  });
});
