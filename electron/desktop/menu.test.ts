import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { MENU_COMMANDS } from '../../shared/api/events.ts';
import type { MenuCommand } from '../../shared/api/events.ts';
import { buildMenuTemplate } from './menu.ts';

function flatten(items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap((entry) => [entry, ...(Array.isArray(entry.submenu) ? flatten(entry.submenu) : [])]);
}

function build(platform: string, recentFiles: { path: string; name: string }[] = []) {
  const sent: [MenuCommand, string | undefined][] = [];
  let cleared = 0;
  const template = buildMenuTemplate({
    platform,
    appName: 'Pipewright',
    recentFiles,
    showDevTools: false,
    send: (command, arg) => sent.push([command, arg]),
    clearRecentFiles: () => (cleared += 1),
  });
  const click = (label: string) => {
    const entry = flatten(template).find((candidate) => candidate.label === label);
    if (!entry?.click) throw new Error(`no menu item ${label}`);
    (entry.click as () => void)();
  };
  return { template, sent, click, cleared: () => cleared };
}

describe('native menus', () => {
  it.each(['linux', 'win32', 'darwin'])('has File, Edit, View, Run and Help on %s', (platform) => {
    const labels = build(platform).template.map((entry) => entry.label ?? entry.role);
    expect(labels.slice(-5)).toEqual(['File', 'Edit', 'View', 'Run', 'help']);
  });

  it('sends each menu command to the renderer', () => {
    const { click, sent } = build('linux');
    click('Save');
    click('Run Pipeline…');
    expect(sent).toEqual([
      ['file.save', undefined],
      ['run.start', undefined],
    ]);
  });

  it('reaches every menu command from some item', () => {
    const { template } = build('linux', [{ path: '/p/a.pipewright.json', name: 'a.pipewright.json' }]);
    const sent: string[] = [];
    for (const entry of flatten(template)) {
      if (entry.click && entry.label !== 'Clear Recent') sent.push(String(entry.label));
    }
    const { click, sent: commands } = build('linux', [{ path: '/p/a.pipewright.json', name: 'a.pipewright.json' }]);
    sent.forEach((label) => click(label));
    expect(new Set(commands.map(([command]) => command))).toEqual(new Set(MENU_COMMANDS));
  });

  it('lists recent files and opens one by path', () => {
    const { click, sent, cleared } = build('linux', [{ path: '/p/a.pipewright.json', name: 'a.pipewright.json' }]);
    click('a.pipewright.json');
    click('Clear Recent');
    expect(sent).toEqual([['file.openRecent', '/p/a.pipewright.json']]);
    expect(cleared()).toBe(1);
  });

  it('shows shortcuts without registering them (the renderer owns the keyboard)', () => {
    const items = flatten(build('linux').template);
    const save = items.find((entry) => entry.label === 'Save');
    expect(save).toMatchObject({ accelerator: 'CmdOrCtrl+S', registerAccelerator: false });
    expect(items.filter((entry) => entry.accelerator !== undefined).every((entry) => entry.registerAccelerator === false)).toBe(true);
    expect(items.some((entry) => entry.role === 'copy')).toBe(true);
  });
});
