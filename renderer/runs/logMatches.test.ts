import { describe, expect, it } from 'vitest';
import { isProtocolLine } from '../../shared/runs/protocol.ts';
import type { LogLine } from '../../shared/runs/types.ts';
import { LogMatches } from './logMatches.ts';
import type { FetchLogPage } from './logWindow.ts';

const text = (seq: number) => (seq % 10 === 0 ? `PIPEWRIGHT_METRIC {"step": ${seq}, "loss": 1}` : seq % 4 === 0 ? `step ${seq} Loss 2.5` : `line ${seq}`);
const line = (seq: number): LogLine => ({ seq, ts: '', text: text(seq) });
const fetchOf = (total: number): FetchLogPage => async (after, limit) => ({
  lines: Array.from({ length: Math.max(0, Math.min(total, after + limit) - after) }, (_, i) => line(after + 1 + i)),
  lastSeq: total,
});

describe('LogMatches', () => {
  it('counts every match of the whole log (case-insensitive), hidden lines left out, and steps through them with wrap-around', async () => {
    const matches = new LogMatches('loss', isProtocolLine);
    await matches.scan(fetchOf(100), 100, () => false, 7);
    // 4, 8, ..., 100 contain "Loss" (25 lines); 20, 40, 60, 80, 100 are protocol lines: 20 left.
    expect(matches.count).toBe(20);
    expect(matches.skipped).toBe(10);
    expect(matches.seqAt(0)).toBe(4);
    expect(matches.next(0, 1)).toBe(4);
    expect(matches.next(4, 1)).toBe(8);
    expect(matches.next(96, 1)).toBe(4);
    expect(matches.next(4, -1)).toBe(96);
    expect(matches.next(8, -1)).toBe(4);
    expect(matches.next(10, -1)).toBe(8);
    expect(matches.indexOf(8)).toBe(1);
    expect(matches.indexOf(20)).toBe(-1);
    const all = new LogMatches('loss', () => false);
    await all.scan(fetchOf(100), 100, () => false);
    expect(all.count).toBe(30);
  });

  it('takes live lines after the scan, and stops at the cap', async () => {
    const matches = new LogMatches('step', () => false, 3);
    await matches.scan(fetchOf(8), 8, () => false);
    expect(matches.count).toBe(2);
    // Not right after what was read: left for the scan.
    expect(matches.add([line(12)])).toBe(false);
    expect(matches.add(Array.from({ length: 8 }, (_, i) => line(9 + i)))).toBe(true);
    expect(matches.count).toBe(3);
    expect(matches.capped).toBe(true);
  });
});
