/** Keyboard shortcut strings ("Mod+Shift+Z") matched against key events. Mod is Ctrl, or Cmd on a Mac. */

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

interface Chord {
  mod: boolean;
  shift: boolean;
  alt: boolean;
  key: string;
}

export function parseChord(kbd: string): Chord {
  const parts = kbd.split('+');
  const key = parts.pop()!;
  return { mod: parts.includes('Mod'), shift: parts.includes('Shift'), alt: parts.includes('Alt'), key: key.toLowerCase() };
}

/** Keys whose character already depends on Shift ("?", "!"): Shift is not compared for them. */
const SHIFTED = new Set(['?', '!', '+', '_']);

export function matchesChord(kbd: string, event: KeyLike): boolean {
  const chord = parseChord(kbd);
  const mod = event.ctrlKey || event.metaKey;
  if (mod !== chord.mod || event.altKey !== chord.alt) return false;
  const key = event.key.toLowerCase();
  if (SHIFTED.has(chord.key)) return key === chord.key;
  // Shift+1 arrives as "!" on US layouts: compare the digit through `code`-independent fallbacks.
  if (chord.shift && /^\d$/.test(chord.key)) return event.shiftKey && (key === chord.key || key === '!');
  return event.shiftKey === chord.shift && key === chord.key;
}

export function isMac(): boolean {
  return typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
}

/** "Mod+Shift+Z" → "Ctrl+Shift+Z" or "⌘⇧Z". */
export function displayChord(kbd: string, mac = isMac()): string {
  const { mod, shift, alt, key } = parseChord(kbd);
  const name = key.length === 1 ? key.toUpperCase() : key[0].toUpperCase() + key.slice(1);
  if (mac) return `${mod ? '⌘' : ''}${alt ? '⌥' : ''}${shift ? '⇧' : ''}${name}`;
  return [mod ? 'Ctrl' : '', alt ? 'Alt' : '', shift ? 'Shift' : '', name].filter(Boolean).join('+');
}
