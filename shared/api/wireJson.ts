/**
 * JSON for the browser-mode transport that keeps NaN and the infinities (a diverging loss in metric
 * records, last metrics and alerts): they travel as `{"$number": "NaN"}` and come back as numbers.
 * Electron's IPC (structured clone) carries them as they are.
 */
const SPECIAL: Record<string, number> = { NaN, Infinity, '-Infinity': -Infinity };

export function stringifyWire(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? { $number: String(v) } : v));
}

export function parseWire(text: string): unknown {
  return JSON.parse(text, (_key, v: unknown) => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const keys = Object.keys(v);
      const special = (v as { $number?: unknown }).$number;
      if (keys.length === 1 && typeof special === 'string' && special in SPECIAL) return SPECIAL[special];
    }
    return v;
  });
}
