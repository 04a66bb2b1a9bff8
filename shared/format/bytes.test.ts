import { describe, expect, it } from 'vitest';
import { formatBytes, formatSizeOverLimit } from './bytes.ts';

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [1023, '1023 B'],
    [1024, '1 KiB'],
    [1536, '1.5 KiB'],
    [1024 * 1024 - 1, '1023.9 KiB'],
    [50 * 1024 * 1024, '50 MiB'],
    [50.96 * 1024 * 1024, '50.9 MiB'],
    [3 * 1024 ** 3, '3 GiB'],
  ])('%d bytes is %s (rounded down, never up to the next unit)', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });

  it('shows exact byte counts when a size over a limit would print the same as the limit', () => {
    expect(formatSizeOverLimit(50 * 1024 * 1024 + 1, 50 * 1024 * 1024)).toEqual({ size: '52,428,801 bytes', limit: '52,428,800 bytes' });
    expect(formatSizeOverLimit(70 * 1024 * 1024, 50 * 1024 * 1024)).toEqual({ size: '70 MiB', limit: '50 MiB' });
  });
});
