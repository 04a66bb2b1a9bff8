import { mkdtempSync, promises as fs, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatLogLine, lastLineOf, listSegments, parseLogFileLine, readLogPage, readLogTail } from './logFiles.ts';
import { NodeLogWriter, SYNC_FLUSH_CHARS } from './logWriter.ts';
import { MetricWriter, readMetricsFile } from './metricFiles.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'pw-log-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('log files', () => {
  it.each([
    [{ seq: 7, ts: '2026-11-28T10:00:00.5Z', text: 'a\tb', stream: 'stderr' as const }],
    [{ seq: 1, ts: 't', text: '' }],
  ])('round-trips a line: %j', (line) => {
    expect(parseLogFileLine(formatLogLine(line).slice(0, -1))).toEqual(line);
  });

  it('keeps a line with a newline in it on one line', () => {
    expect(formatLogLine({ seq: 1, ts: 't', text: 'a\nb\rc' })).toBe('1\tt\t-\ta b c\n');
  });

  it('ignores a last line cut short by a crash, and a writer continues after the last whole line', async () => {
    const writer = new NodeLogWriter(dir);
    await writer.append(Array.from({ length: 3 }, (_, i) => ({ seq: i + 1, ts: 't', text: `x${i + 1}` })));
    await writer.flush();
    const [segment] = await listSegments(dir);
    await fs.appendFile(segment.file, '4\tt\to\tcut sho');
    expect((await readLogPage(dir, 0, 10)).lines.map((l) => l.text)).toEqual(['x1', 'x2', 'x3']);
    expect(await readLogTail(dir, 2)).toMatchObject([{ seq: 2 }, { seq: 3 }]);
    expect(await new NodeLogWriter(dir).lastSeq()).toBe(3);
  });

  it('finds the last line of a segment bigger than its read window', async () => {
    const writer = new NodeLogWriter(dir, { headBytes: 1e9, tailBytes: 1e9, segmentBytes: 1e9 });
    await writer.append(Array.from({ length: 4000 }, (_, i) => ({ seq: i + 1, ts: 't', text: 'y'.repeat(i === 3999 ? 100_000 : 40) })));
    await writer.flush();
    const [segment] = await listSegments(dir);
    expect((await lastLineOf(segment))?.seq).toBe(4000);
  });

  it('pages through a log', async () => {
    const writer = new NodeLogWriter(dir, { headBytes: 100, tailBytes: 1e6, segmentBytes: 100 });
    await writer.append(Array.from({ length: 50 }, (_, i) => ({ seq: i + 1, ts: 't', text: `line ${i + 1}` })));
    await writer.flush();
    expect((await listSegments(dir)).length).toBeGreaterThan(3);
    const seqs: number[] = [];
    for (let after = 0; ; ) {
      const page = await readLogPage(dir, after, 7);
      if (page.lines.length === 0) break;
      expect(page.lastSeq).toBe(50);
      seqs.push(...page.lines.map((l) => l.seq));
      after = page.lines.at(-1)!.seq;
    }
    expect(seqs).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
  });

  it('writes small batches (synchronously) and large ones (through the thread pool) alike, in order, across segments', async () => {
    const writer = new NodeLogWriter(path.join(dir, 'node'), { headBytes: 64 * 1024, tailBytes: 1e9, segmentBytes: 64 * 1024 });
    const line = (seq: number) => ({ seq, ts: 't', text: `line ${seq} ${'z'.repeat(100)}` });
    const batches = [3, Math.ceil(SYNC_FLUSH_CHARS / 100) + 10, 2, 1];
    let seq = 0;
    for (const n of batches) {
      await writer.append(Array.from({ length: n }, () => line(++seq)));
      await writer.flush();
    }
    expect((await listSegments(path.join(dir, 'node'))).length).toBeGreaterThan(3);
    const seqs: number[] = [];
    for (let after = 0; ; ) {
      const page = await readLogPage(path.join(dir, 'node'), after, 1000);
      if (page.lines.length === 0) break;
      seqs.push(...page.lines.map((l) => l.seq));
      after = page.lines.at(-1)!.seq;
    }
    expect(seqs).toEqual(Array.from({ length: seq }, (_, i) => i + 1));
  });

  it('appends metric records, small batches and large ones, in order', async () => {
    const file = path.join(dir, 'metrics', 'n.jsonl');
    const writer = new MetricWriter(file);
    let step = 0;
    for (const n of [2, Math.ceil(SYNC_FLUSH_CHARS / 30) + 10, 1]) {
      writer.append(Array.from({ length: n }, () => ({ step: ++step, values: { loss: step === 2 ? NaN : step } })));
      await writer.flush();
    }
    const records = await readMetricsFile(file);
    expect(records.map((r) => r.step)).toEqual(Array.from({ length: step }, (_, i) => i + 1));
    expect(records[1].values.loss).toBeNaN();
  });
});
