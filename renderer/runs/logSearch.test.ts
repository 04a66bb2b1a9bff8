import { describe, expect, it } from 'vitest';
import type { LogPage } from '../../shared/api/runs.ts';
import { findInLog, matchRanges } from './logSearch.ts';

function fakeLog(texts: string[]) {
  const calls: [number, number][] = [];
  const fetch = async (after: number, limit: number): Promise<LogPage> => {
    expect(limit).toBeGreaterThanOrEqual(1);
    calls.push([after, limit]);
    return { lines: texts.slice(after, after + limit).map((text, i) => ({ seq: after + i + 1, ts: '', text })), lastSeq: texts.length };
  };
  return { fetch, calls };
}

const texts = Array.from({ length: 100 }, (_, i) => (i + 1 === 7 || i + 1 === 70 ? `step ${i + 1} Loss spike` : `step ${i + 1} ok`));

describe('findInLog', () => {
  it.each([
    ['forward from the start', 0, 1, 7],
    ['forward past the first match', 7, 1, 70],
    ['forward wraps to the start', 70, 1, 7],
    ['backward from the end (no current match)', 0, -1, 70],
    ['backward from a match', 70, -1, 7],
    ['backward wraps to the end', 7, -1, 70],
  ] as const)('%s', async (_name, from, direction, expected) => {
    const log = fakeLog(texts);
    expect(await findInLog(log.fetch, 'loss SPIKE', from, direction, 100, { pageSize: 8 })).toBe(expected);
  });

  it('reads page by page, never more than a page at once', async () => {
    const log = fakeLog(texts);
    await findInLog(log.fetch, 'spike', 7, 1, 100, { pageSize: 10 });
    expect(log.calls.every(([, limit]) => limit <= 10)).toBe(true);
    expect(log.calls[0]).toEqual([7, 10]);
  });

  it('null when nothing matches, an empty query or an empty log', async () => {
    const log = fakeLog(texts);
    expect(await findInLog(log.fetch, 'nowhere', 0, 1, 100, { pageSize: 30 })).toBeNull();
    expect(await findInLog(log.fetch, '', 0, 1, 100)).toBeNull();
    expect(await findInLog(log.fetch, 'x', 0, 1, 0)).toBeNull();
  });

  it('stops when aborted', async () => {
    const log = fakeLog(texts);
    expect(await findInLog(log.fetch, 'spike', 7, 1, 100, { pageSize: 5, aborted: () => log.calls.length >= 2 })).toBeNull();
    expect(log.calls.length).toBeLessThanOrEqual(3);
  });
});

describe('matchRanges', () => {
  it.each([
    ['loss 2.3 LOSS', 'loss', [[0, 4], [9, 13]]],
    ['aaaa', 'aa', [[0, 2], [2, 4]]],
    ['nothing', 'x', []],
    ['text', '', []],
  ] as const)('%s / %s', (text, query, ranges) => {
    expect(matchRanges(text, query)).toEqual(ranges);
  });
});
