import { beforeEach, describe, expect, it } from 'vitest';
import { appStore, resetAppStore } from '../store/index.ts';
import { LAYOUT_STORAGE_KEY, readStoredLayout, storedLayoutOf } from './layoutSlice.ts';

const storage = (value: string | null) => ({ getItem: (key: string) => (key === LAYOUT_STORAGE_KEY ? value : null) });

describe('stored layout', () => {
  it.each([
    [null, true, true],
    ['{"palette":false,"inspector":true}', false, true],
    ['{"palette":true,"inspector":false}', true, false],
    ['junk{', true, true],
    ['[1,2]', true, true],
    ['{"palette":"no"}', true, true],
  ])('%s → palette %s, inspector %s', (raw, palette, inspector) => {
    expect(readStoredLayout(storage(raw))).toEqual({ paletteOpen: palette, inspectorOpen: inspector });
  });

  it('remembers the panels as they were before focus mode, not focus mode itself', () => {
    expect(storedLayoutOf({ paletteOpen: false, inspectorOpen: false, focusSaved: { palette: true, inspector: false, bottom: true } })).toBe('{"palette":true,"inspector":false}');
  });
});

describe('focus mode', () => {
  beforeEach(resetAppStore);

  it('hides both panels and folds the bottom panel, then puts back what was open', () => {
    appStore.getState().setInspectorOpen(false);
    appStore.getState().toggleFocusMode();
    let s = appStore.getState();
    expect([s.paletteOpen, s.inspectorOpen, s.bottomOpen, s.focusSaved !== null]).toEqual([false, false, false, true]);
    appStore.getState().toggleFocusMode();
    s = appStore.getState();
    expect([s.paletteOpen, s.inspectorOpen, s.bottomOpen, s.focusSaved]).toEqual([true, false, true, null]);
    expect(appStore.getState().exitFocusMode()).toBe(false);
  });

  it('showing a panel by hand ends focus mode without putting the others back', () => {
    appStore.getState().toggleFocusMode();
    appStore.getState().togglePalette();
    const s = appStore.getState();
    expect([s.paletteOpen, s.inspectorOpen, s.bottomOpen, s.focusSaved]).toEqual([true, false, false, null]);
  });
});
