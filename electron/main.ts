/** The desktop entry point: hands Electron's modules to the shell (electron/desktop/shell.ts). */
import electron from 'electron';
import { startDesktop } from './desktop/shell.ts';
import { defaultDataDir } from './services/dataDir.ts';

startDesktop({ electron, dataDir: defaultDataDir(), distDir: __dirname });
