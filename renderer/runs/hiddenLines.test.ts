import { describe, expect, it } from 'vitest';
import { isProtocolLine } from '../../shared/runs/protocol.ts';
import type { LogLine } from '../../shared/runs/types.ts';
import { HiddenLines } from './hiddenLines.ts';
import type { FetchLogPage } from './logWindow.ts';

/** Every third line is a protocol line: seq 3, 6, 9, ... */
const text = (seq: number) => (seq % 3 === 0 ? `PIPEWRIGHT_METRIC {"step": ${seq}}` : `line ${seq}`);
const line = (seq: number): LogLine => ({ seq, ts: '', text: text(seq) });
const fetchOf = (total: number, dropped: (seq: number) => boolean = () => false): FetchLogPage => async (after, limit) => {
  const lines: LogLine[] = [];
  for (let seq = after + 1; seq <= Math.min(total, after + limit); seq++) if (!dropped(seq)) lines.push(line(seq));
  return { lines, lastSeq: total };
};

describe('protocol lines', () => {
  it.each([
    ['PIPEWRIGHT_METRIC {"step": 1}', true],
    ['PIPEWRIGHT_APPLIED {"file": "a"}', true],
    ['PIPEWRIGHT_GPUS is 2', false],
    ['pipewright_metric {}', false],
    ['step 1 loss 2.3', false],
    [' PIPEWRIGHT_METRIC {}', false],
  ])('%s → %s', (t, hidden) => expect(isProtocolLine(t)).toBe(hidden));
});

describe('HiddenLines', () => {
  it('maps rows to the seqs of visible lines and back, over many blocks', async () => {
    const index = new HiddenLines(isProtocolLine);
    await index.scan(fetchOf(10_000), 10_000, () => false, 777);
    expect(index.known).toBe(10_000);
    expect(index.hidden).toBe(3333);
    expect(index.rows(10_000)).toBe(6667);
    const visible = Array.from({ length: 10_000 }, (_, i) => i + 1).filter((s) => s % 3 !== 0);
    for (const row of [0, 1, 2, 681, 682, 683, 5000, 6666]) {
      expect(index.seqAt(row)).toBe(visible[row]);
      expect(index.rowOf(visible[row]!)).toBe(row);
    }
    // A hidden seq maps to the row of the next visible line.
    expect(index.rowOf(3)).toBe(2);
  });

  it('counts lines not read yet as visible, and takes live lines once caught up', async () => {
    const index = new HiddenLines(isProtocolLine);
    expect(index.rows(10)).toBe(10);
    expect(index.seqAt(4)).toBe(5);
    await index.scan(fetchOf(6), 6, () => false);
    expect(index.rows(9)).toBe(4 + 3);
    expect(index.seqAt(4)).toBe(7);
    expect(index.add([line(8)])).toBe(false);
    expect(index.add([line(7), line(8), line(9)])).toBe(true);
    expect(index.rows(9)).toBe(6);
  });

  it('keeps lines the history dropped as visible gaps', async () => {
    const index = new HiddenLines(isProtocolLine);
    await index.scan(fetchOf(12, (s) => s >= 4 && s <= 7), 12, () => false);
    expect(index.known).toBe(12);
    // 3, 9, 12 hidden; 6 was dropped so it stays as a row.
    expect(index.hidden).toBe(3);
    expect(index.rows(12)).toBe(9);
  });

  it('stops when aborted', async () => {
    const index = new HiddenLines(isProtocolLine);
    let calls = 0;
    await index.scan(async (a, l) => (++calls, fetchOf(100)(a, l)), 100, () => calls >= 2, 10);
    expect(index.known).toBe(10);
  });
});
