/** tqdm progress bars: `desc:  45%|████▌     | 90/200 [00:12<00:15,  7.10it/s, loss=2.3]`. */
import type { Progress } from './types.ts';

const SI: Record<string, number> = { k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18, Z: 1e21, Y: 1e24 };
const COUNTS = /^\s*(\d+(?:\.\d+)?)([kMGTPEZY]?)\w*\/(\d+(?:\.\d+)?)([kMGTPEZY]?)\w*\s*(?:\[([^\]]*)\])?/;
const INVERSE_RATE = /^(\d+(?:\.\d+)?)s\//;
const RATE = /^(\d+(?:\.\d+)?)\s*([kMGTPEZY]?)/;

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** `01:02`, `1:02:03` to seconds; undefined for `?` or anything else. */
export function parseClock(text: string): number | undefined {
  const parts = text.trim().split(':');
  if (parts.length < 2 || parts.length > 3) return undefined;
  let seconds = 0;
  for (const part of parts) {
    if (part.length === 0 || !isDigit(part.charCodeAt(0))) return undefined;
    seconds = seconds * 60 + Number(part);
  }
  return Number.isFinite(seconds) ? seconds : undefined;
}

/** `7.10it/s` -> 7.1; `4.50s/it` -> 0.222; `1.2kit/s` -> 1200; `?it/s` -> undefined. */
export function parseRate(text: string): number | undefined {
  const token = text.trim();
  const inverse = INVERSE_RATE.exec(token);
  if (inverse) {
    const secondsPerItem = Number(inverse[1]);
    return secondsPerItem > 0 ? 1 / secondsPerItem : undefined;
  }
  if (!token.endsWith('/s')) return undefined;
  const m = RATE.exec(token);
  if (!m) return undefined;
  // A scale letter counts only when a unit follows it (`1.2kit/s`), not when it is the unit itself.
  const scale = m[2] && token.length > m[0].length && token[m[0].length] !== '/' ? SI[m[2]] : 1;
  return Number(m[1]) * scale;
}

function scaled(value: string, suffix: string): number {
  return Number(value) * (suffix ? SI[suffix] : 1);
}

/** The progress a tqdm bar shows, or undefined when `text` is not a bar with a known total. */
export function parseTqdm(text: string): Progress | undefined {
  const bar = text.indexOf('%|');
  if (bar < 1) return undefined;
  let p = bar;
  while (p > 0 && isDigit(text.charCodeAt(p - 1))) p--;
  if (p === bar) return undefined;
  const close = text.indexOf('|', bar + 2);
  if (close < 0) return undefined;
  const m = COUNTS.exec(text.slice(close + 1));
  if (!m) return undefined;
  const progress: Progress = { current: scaled(m[1], m[2]), total: scaled(m[3], m[4]) };
  let label = text.slice(0, p).trim();
  if (label.endsWith(':')) label = label.slice(0, -1).trimEnd();
  if (label) progress.label = label;
  if (m[5] !== undefined) {
    const [times, rate] = m[5].split(',');
    const lt = times.indexOf('<');
    const eta = lt >= 0 ? parseClock(times.slice(lt + 1)) : undefined;
    if (eta !== undefined) progress.etaSeconds = eta;
    const perSecond = rate === undefined ? undefined : parseRate(rate);
    if (perSecond !== undefined) progress.rate = perSecond;
  }
  return progress;
}
