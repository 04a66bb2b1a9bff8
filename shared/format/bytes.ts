/** Sizes in words that do not lie: 1 decimal, binary units, and never "50 MiB is larger than 50 MiB". */

const UNITS = ['KiB', 'MiB', 'GiB', 'TiB'];

/** `1536` -> `1.5 KiB`; below 1 KiB in bytes. Rounded to one decimal, trailing `.0` dropped. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 1024) return `${Math.max(0, Math.round(Number.isFinite(bytes) ? bytes : 0))} B`;
  let value = bytes;
  let unit = -1;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  // Round down, so a size just over a limit never prints as more than it is, nor the limit as less.
  const shown = Math.floor(value * 10) / 10;
  return `${Number.isInteger(shown) ? shown.toFixed(0) : shown.toFixed(1)} ${UNITS[unit]}`;
}

/** `size` against a `limit` it exceeds: with exact byte counts when the rounded forms would look equal. */
export function formatSizeOverLimit(size: number, limit: number): { size: string; limit: string } {
  const a = formatBytes(size);
  const b = formatBytes(limit);
  if (a !== b) return { size: a, limit: b };
  const exact = (n: number) => `${n.toLocaleString('en-US')} bytes`;
  return { size: exact(size), limit: exact(limit) };
}
