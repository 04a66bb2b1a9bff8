/** The desktop entry point: hands Electron's modules to the shell (electron/desktop/shell.ts). */
import electron from 'electron';
import { startDesktop } from './desktop/shell.ts';
import { defaultDataDir } from './services/dataDir.ts';
import { createRunsService } from './services/runsService.ts';

const dataDir = defaultDataDir();
const runs = createRunsService({ dataDir });
startDesktop({ electron, dataDir, distDir: __dirname, runs: runs.manager });
void runs.ready.then(() => runs.manager.reattachRuns());
electron.app.on('will-quit', () => void runs.manager.close());
