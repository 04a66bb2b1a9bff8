/** The desktop entry point: hands Electron's modules to the shell (electron/desktop/shell.ts). */
import electron from 'electron';
import { alertLanguage, alertNotifier } from './desktop/alertNotifications.ts';
import { startDesktop } from './desktop/shell.ts';
import { defaultDataDir } from './services/dataDir.ts';
import { createRunsService } from './services/runsService.ts';
import { createSettingsStore } from './services/settings.ts';

const dataDir = defaultDataDir();
const runs = createRunsService({ dataDir });
startDesktop({ electron, dataDir, distDir: __dirname, runs: runs.manager });
void runs.ready.then(() => runs.manager.reattachRuns());
const settings = createSettingsStore(dataDir);
runs.manager.subscribe(
  alertNotifier({
    create: (options) => new electron.Notification(options),
    isSupported: () => electron.Notification.isSupported(),
    language: async () => alertLanguage((await settings.getSettings()).language, electron.app.getLocale()),
    getRun: (runId) => runs.manager.getRun(runId),
    focus: () => electron.BrowserWindow.getAllWindows()[0]?.show(),
  }),
);
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
