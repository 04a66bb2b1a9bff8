import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_WINDOW_STATE, fitToDisplays, loadWindowState, saveWindowState } from './windowState.ts';

const laptop = { x: 0, y: 0, width: 1920, height: 1080 };
const external = { x: 1920, y: 0, width: 2560, height: 1440 };

describe('window state', () => {
  it.each([
    ['keeps a visible window', { x: 100, y: 50, width: 1200, height: 800, maximized: false }, [laptop], { x: 100, y: 50, width: 1200, height: 800, maximized: false }],
    ['forgets a position on an unplugged display', { x: 2500, y: 100, width: 1200, height: 800, maximized: true }, [laptop], { width: 1200, height: 800, maximized: true }],
    ['keeps a position on a second display', { x: 2500, y: 100, width: 2000, height: 1200, maximized: false }, [laptop, external], { x: 2500, y: 100, width: 2000, height: 1200, maximized: false }],
    ['shrinks a window larger than every display', { width: 5000, height: 3000, maximized: false }, [laptop], { width: 1920, height: 1080, maximized: false }],
    ['grows a window below the minimum', { x: 0, y: 0, width: 10, height: 10, maximized: false }, [laptop], { x: 0, y: 0, width: 800, height: 560, maximized: false }],
  ])('%s', (_name, state, areas, expected) => {
    expect(fitToDisplays(state, areas)).toEqual(expected);
  });

  it('round-trips through the data dir and falls back to the default on a damaged file', async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'pipewright-window-'));
    try {
      expect(await loadWindowState(dataDir)).toEqual(DEFAULT_WINDOW_STATE);
      await saveWindowState(dataDir, { x: 10, y: 20, width: 1000, height: 700, maximized: true });
      expect(await loadWindowState(dataDir)).toEqual({ x: 10, y: 20, width: 1000, height: 700, maximized: true });
      await fs.writeFile(path.join(dataDir, 'window-state.json'), '{"width": "wide"}');
      expect(await loadWindowState(dataDir)).toEqual(DEFAULT_WINDOW_STATE);
    } finally {
      await fs.rm(dataDir, { recursive: true, force: true });
    }
  });
});
