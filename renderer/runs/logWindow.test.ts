import { describe, expect, it } from 'vitest';
import type { LogPage } from '../../shared/api/runs.ts';
import type { LogLine } from '../../shared/runs/types.ts';
import { LogWindow } from './logWindow.ts';

const line = (seq: number): LogLine => ({ seq, ts: '2026-01-01T00:00:00Z', text: `line ${seq}` });

/** A log on "disk" of `count` lines; seqs in `dropped` were removed by the size cap (readLogPage marks them). */
function fakeLog(count: number, dropped?: [number, number]) {
  const calls: [number, number][] = [];
  let length = count;
  const fetch = async (after: number, limit: number): Promise<LogPage> => {
    calls.push([after, limit]);
    const lines: LogLine[] = [];
    let seen = after;
    for (let seq = after + 1; seq <= length && lines.length < limit; seq++) {
      if (dropped && seq >= dropped[0] && seq <= dropped[1]) continue;
      if (seq > seen + 1) lines.push({ seq: seq - 1, ts: '', text: `[truncated: ${seq - 1 - seen} earlier lines]` });
      if (lines.length < limit) lines.push(line(seq));
      seen = seq;
    }
    return { lines: lines.slice(0, limit), lastSeq: length };
  };
  return { fetch, calls, grow: (n: number) => (length += n) };
}

describe('LogWindow', () => {
  it('learns the length from its first read and holds the head page', async () => {
    const log = fakeLog(2500);
    const win = new LogWindow(log.fetch, { pageSize: 1000 });
    await win.probe();
    expect(win.total).toBe(2500);
    expect(win.row(1)?.text).toBe('line 1');
    expect(win.row(1000)?.text).toBe('line 1000');
    expect(win.row(1001)).toBeUndefined();
  });

  it('reads only the pages around what is on screen', async () => {
    const log = fakeLog(1_000_000);
    const win = new LogWindow(log.fetch, { pageSize: 1000, maxPages: 8 });
    await win.probe();
    log.calls.length = 0;
    await win.ensure(500_001, 500_040);
    expect(win.row(500_020)?.text).toBe('line 500020');
    expect(log.calls.map(([after]) => after).sort((a, b) => a - b)).toEqual([499_000, 500_000, 501_000]);
  });

  it('keeps memory bounded while scrolling through a million lines', async () => {
    const log = fakeLog(1_000_000);
    const win = new LogWindow(log.fetch, { pageSize: 1000, maxPages: 10 });
    await win.probe();
    for (let top = 1; top < 1_000_000; top += 37_000) {
      await win.ensure(top, top + 50);
      expect(win.row(top + 10)?.seq).toBe(top + 10);
      expect(win.heldPages().length).toBeLessThanOrEqual(10);
    }
    expect(win.heldLines()).toBeLessThanOrEqual(10 * 1000);
  });

  it('evicts the pages farthest from the focus, never the visible ones', async () => {
    const log = fakeLog(100_000);
    const win = new LogWindow(log.fetch, { pageSize: 100, maxPages: 4 });
    await win.probe();
    await win.ensure(1, 50);
    await win.ensure(5_001, 5_050);
    await win.ensure(9_001, 9_050);
    const held = win.heldPages();
    expect(held.length).toBeLessThanOrEqual(4);
    expect(held).toContain(90);
    expect(held).not.toContain(0);
  });

  it('appends live lines to the tail page and starts the next page as the log grows', async () => {
    const log = fakeLog(998);
    const win = new LogWindow(log.fetch, { pageSize: 1000 });
    await win.probe();
    let changes = 0;
    win.subscribe(() => changes++);
    win.appendLive([line(999), line(1000), line(1001), line(1002)]);
    expect(win.total).toBe(1002);
    expect(win.row(1000)?.text).toBe('line 1000');
    expect(win.row(1002)?.text).toBe('line 1002');
    expect(changes).toBe(1);
  });

  it('does not hold live lines of pages it does not hold', async () => {
    const log = fakeLog(5000);
    const win = new LogWindow(log.fetch, { pageSize: 1000 });
    await win.probe();
    win.appendLive([line(5001)]);
    expect(win.total).toBe(5001);
    expect(win.row(5001)).toBeUndefined();
    expect(win.heldPages()).toEqual([0]);
  });

  it('re-reads a page that is short of the known end, from where it stops', async () => {
    let now = 0;
    const log = fakeLog(10);
    const win = new LogWindow(log.fetch, { pageSize: 1000, refetchMs: 100, now: () => now });
    await win.probe();
    log.grow(20);
    win.setTotal(30);
    log.calls.length = 0;
    await win.ensure(1, 30);
    expect(log.calls).toEqual([]);
    now = 150;
    await win.ensure(1, 30);
    expect(log.calls).toEqual([[10, 990]]);
    expect(win.row(30)?.text).toBe('line 30');
  });

  it('keeps live lines that arrive while their page is being read', async () => {
    let release: (page: LogPage) => void = () => {};
    const win = new LogWindow(() => new Promise<LogPage>((resolve) => (release = resolve)), { pageSize: 100 });
    const reading = win.probe();
    win.appendLive([line(1), line(2), line(3)]);
    release({ lines: [line(1)], lastSeq: 1 });
    await reading;
    expect([1, 2, 3].map((s) => win.row(s)?.text)).toEqual(['line 1', 'line 2', 'line 3']);
  });

  it('marks lines the history dropped under its size cap', async () => {
    const log = fakeLog(3000, [101, 2500]);
    const win = new LogWindow(log.fetch, { pageSize: 1000 });
    await win.probe();
    await win.ensure(1500, 1540);
    expect(win.row(100)?.text).toBe('line 100');
    expect(win.row(1500)).toBeNull();
    await win.ensure(2400, 2600);
    expect(win.row(2500)?.text).toBe('[truncated: 500 earlier lines]');
    expect(win.row(2501)?.text).toBe('line 2501');
  });

  it('reports a failed read and recovers on the next', async () => {
    let fail = true;
    const win = new LogWindow(async (after, limit) => {
      if (fail) throw new Error('back end gone');
      return { lines: Array.from({ length: Math.min(limit, 5 - after) }, (_, i) => line(after + i + 1)), lastSeq: 5 };
    }, { pageSize: 10, refetchMs: 0 });
    await win.probe();
    expect(win.error).toBe('back end gone');
    fail = false;
    win.setTotal(5);
    await win.ensure(1, 5);
    expect(win.error).toBeNull();
    expect(win.row(5)?.text).toBe('line 5');
  });
});
