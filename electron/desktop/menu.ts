/**
 * The native menus. Items send commands to the renderer, which performs them as it does its own
 * shortcuts. The renderer owns every keyboard shortcut (it must in browser mode too), so accelerators
 * are shown but not registered: one key press is one action. Text editing keeps native roles.
 */
import type { MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../../shared/api/events.ts';

export interface MenuOptions {
  platform: string;
  appName: string;
  recentFiles: { path: string; name: string }[];
  /** Developer tools only in an unpackaged build. */
  showDevTools: boolean;
  send(command: MenuCommand, arg?: string): void;
  clearRecentFiles(): void;
}

export function buildMenuTemplate(options: MenuOptions): MenuItemConstructorOptions[] {
  const { send } = options;
  const isMac = options.platform === 'darwin';
  const item = (label: string, command: MenuCommand, accelerator?: string): MenuItemConstructorOptions => ({
    label,
    click: () => send(command),
    ...(accelerator ? { accelerator, registerAccelerator: false } : {}),
  });

  const recent: MenuItemConstructorOptions[] = options.recentFiles.length
    ? [
        ...options.recentFiles.map((file) => ({ label: file.name, sublabel: file.path, click: () => send('file.openRecent', file.path) })),
        { type: 'separator' },
        { label: 'Clear Recent', click: () => options.clearRecentFiles() },
      ]
    : [{ label: 'No Recent Files', enabled: false }];

  const file: MenuItemConstructorOptions = {
    label: 'File',
    submenu: [
      item('New', 'file.new', 'CmdOrCtrl+N'),
      item('Open…', 'file.open', 'CmdOrCtrl+O'),
      { label: 'Open Recent', submenu: recent },
      { type: 'separator' },
      item('Save', 'file.save', 'CmdOrCtrl+S'),
      item('Save As…', 'file.saveAs', 'CmdOrCtrl+Shift+S'),
      item('Export…', 'file.export', 'CmdOrCtrl+E'),
      item('Export Monitoring…', 'file.exportMonitoring'),
      { type: 'separator' },
      isMac ? { role: 'close' } : { role: 'quit' },
    ],
  };
  const edit: MenuItemConstructorOptions = {
    label: 'Edit',
    submenu: [
      item('Undo', 'edit.undo', 'CmdOrCtrl+Z'),
      item('Redo', 'edit.redo', isMac ? 'Shift+Cmd+Z' : 'Ctrl+Y'),
      { type: 'separator' },
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      item('Duplicate', 'edit.duplicate', 'CmdOrCtrl+D'),
      item('Delete', 'edit.delete', 'Delete'),
      { role: 'selectAll' },
    ],
  };
  const view: MenuItemConstructorOptions = {
    label: 'View',
    submenu: [
      item('Fit View', 'view.fitView', 'Shift+1'),
      item('Arrange Automatically', 'view.autoLayout', 'CmdOrCtrl+Shift+L'),
      { type: 'separator' },
      item('Output', 'view.toggleOutput', 'CmdOrCtrl+Shift+O'),
      item('Problems', 'view.toggleProblems', 'CmdOrCtrl+Shift+M'),
      item('Runs', 'view.toggleRuns', 'CmdOrCtrl+Shift+R'),
      { type: 'separator' },
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { role: 'togglefullscreen' },
      ...(options.showDevTools ? [{ type: 'separator' } as const, { role: 'toggleDevTools' } as const] : []),
      ...(isMac ? [] : [{ type: 'separator' } as const, item('Settings…', 'view.settings', 'CmdOrCtrl+,')]),
    ],
  };
  const run: MenuItemConstructorOptions = {
    label: 'Run',
    submenu: [item('Run Pipeline…', 'run.start', 'CmdOrCtrl+Enter'), item('Cancel Run', 'run.cancel', undefined)],
  };
  const help: MenuItemConstructorOptions = {
    role: 'help',
    submenu: [item('Keyboard Shortcuts', 'help.shortcuts', 'CmdOrCtrl+/'), ...(isMac ? [] : [item(`About ${options.appName}`, 'help.about')])],
  };
  const appMenu: MenuItemConstructorOptions[] = isMac
    ? [
        {
          label: options.appName,
          submenu: [
            item(`About ${options.appName}`, 'help.about'),
            { type: 'separator' },
            item('Settings…', 'view.settings', 'Cmd+,'),
            { type: 'separator' },
            { role: 'hide' },
            { role: 'hideOthers' },
            { role: 'unhide' },
            { type: 'separator' },
            { role: 'quit' },
          ],
        },
      ]
    : [];
  return [...appMenu, file, edit, view, run, help];
}
