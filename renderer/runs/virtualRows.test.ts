import { describe, expect, it } from 'vitest';
import { scrollTopFor, visibleRows } from './virtualRows.ts';

describe('visibleRows', () => {
  const small = { total: 1000, rowPx: 18, viewportPx: 360 };

  it('draws the rows on screen plus the overscan', () => {
    const r = visibleRows(small, 180, 5);
    expect(r).toEqual({ first: 5, last: 35, heightPx: 18_000, firstTopPx: 90 });
  });

  it('clamps at both ends', () => {
    expect(visibleRows(small, -50, 5).first).toBe(0);
    const end = visibleRows(small, 1e9, 5);
    expect(end.last).toBe(999);
    expect(end.firstTopPx + (end.last - end.first + 1) * 18).toBe(18_000);
  });

  it('nothing for an empty log', () => {
    expect(visibleRows({ ...small, total: 0 }, 0)).toMatchObject({ first: 0, last: -1, heightPx: 0 });
  });

  it('compresses ten million lines into the height cap and still reaches the last line', () => {
    const huge = { total: 10_000_000, rowPx: 18, viewportPx: 400, maxPx: 8_000_000 };
    const r = visibleRows(huge, 8_000_000, 0);
    expect(r.heightPx).toBe(8_000_000);
    expect(r.last).toBe(9_999_999);
    const mid = visibleRows(huge, 4_000_000, 0);
    expect(mid.first).toBeGreaterThan(4_900_000);
    expect(mid.first).toBeLessThan(5_100_000);
    // The drawn rows cover the view exactly: the first row starts at or above the view's top.
    expect(mid.firstTopPx).toBeLessThanOrEqual(4_000_000);
    expect(mid.firstTopPx).toBeGreaterThan(4_000_000 - 18);
  });

  it('keeps the drawn row count bounded by the view, not the log', () => {
    for (const total of [100, 1_000_000, 50_000_000]) {
      const r = visibleRows({ total, rowPx: 18, viewportPx: 500 }, 123_456, 10);
      expect(r.last - r.first + 1).toBeLessThanOrEqual(Math.ceil(500 / 18) + 22);
    }
  });
});

describe('scrollTopFor', () => {
  const g = { total: 1000, rowPx: 20, viewportPx: 200 };
  it.each([
    ['start', 50, 1000],
    ['end', 50, 820],
    ['center', 50, 910],
    ['end of the last row', 999, 19_800],
  ] as const)('%s', (align, index, top) => {
    expect(scrollTopFor(g, index, align === 'end of the last row' ? 'end' : align)).toBe(top);
  });

  it('round-trips through visibleRows on a compressed log', () => {
    const huge = { total: 5_000_000, rowPx: 18, viewportPx: 400 };
    const top = scrollTopFor(huge, 3_210_000, 'start');
    expect(visibleRows(huge, top, 0).first).toBe(3_210_000);
  });
});
