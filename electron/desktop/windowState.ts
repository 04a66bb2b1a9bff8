/** Remembers the window's size and position (in `window-state.json`), kept on a visible display. */
import path from 'node:path';
import type { BrowserWindow, Rectangle } from 'electron';
import { z } from 'zod';
import { readJsonFile, writeJsonFile } from '../services/jsonFile.ts';

export interface WindowState {
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

export const DEFAULT_WINDOW_STATE: WindowState = { width: 1440, height: 900, maximized: false };
const MIN_SIZE = { width: 800, height: 560 };

const stateSchema = z.object({
  x: z.number().int().optional(),
  y: z.number().int().optional(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  maximized: z.boolean(),
});

const fileOf = (dataDir: string) => path.join(dataDir, 'window-state.json');

export function loadWindowState(dataDir: string): Promise<WindowState> {
  return readJsonFile<WindowState>(fileOf(dataDir), stateSchema, DEFAULT_WINDOW_STATE);
}

export function saveWindowState(dataDir: string, state: WindowState): Promise<void> {
  return writeJsonFile(fileOf(dataDir), state);
}

function contains(area: Rectangle, x: number, y: number): boolean {
  return x >= area.x && y >= area.y && x < area.x + area.width && y < area.y + area.height;
}

/** Keeps the size within the largest display, and forgets a position whose title bar is off every display. */
export function fitToDisplays(state: WindowState, workAreas: Rectangle[]): WindowState {
  if (workAreas.length === 0) return state;
  const maxWidth = Math.max(...workAreas.map((area) => area.width));
  const maxHeight = Math.max(...workAreas.map((area) => area.height));
  const width = Math.max(MIN_SIZE.width, Math.min(state.width, maxWidth));
  const height = Math.max(MIN_SIZE.height, Math.min(state.height, maxHeight));
  const { x, y } = state;
  const visible = x !== undefined && y !== undefined && workAreas.some((area) => contains(area, x + Math.min(100, width / 2), y + 10));
  return visible ? { x, y, width, height, maximized: state.maximized } : { width, height, maximized: state.maximized };
}

/** Saves the state shortly after the window moves or resizes, and when it closes. */
export function trackWindowState(window: BrowserWindow, save: (state: WindowState) => void, delayMs = 500): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const capture = () => {
    if (window.isDestroyed() || window.isMinimized() || window.isFullScreen()) return;
    const bounds = window.getNormalBounds();
    save({ ...bounds, maximized: window.isMaximized() });
  };
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(capture, delayMs);
  };
  window.on('resize', schedule);
  window.on('move', schedule);
  window.on('maximize', schedule);
  window.on('unmaximize', schedule);
  window.on('close', () => {
    clearTimeout(timer);
    capture();
  });
}
