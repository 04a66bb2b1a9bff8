import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LogStreamParser } from './parseStream.ts';
import type { LogLine, MetricRecord, Progress, RunEvent } from './types.ts';

const fixture = (name: string) => readFileSync(new URL(`../../test/fixtures/${name}`, import.meta.url), 'utf8');
const NOW = '2026-01-01T00:00:00.000Z';

interface Collected {
  lines: LogLine[];
  records: MetricRecord[];
  progress: Progress[];
  engines: string[];
}

function collect(events: RunEvent[], into: Collected = { lines: [], records: [], progress: [], engines: [] }): Collected {
  for (const e of events) {
    if (e.kind === 'log') into.lines.push(...e.lines);
    else if (e.kind === 'metrics') into.records.push(...e.records);
    else if (e.kind === 'progress') into.progress.push(e.progress);
    else if (e.kind === 'node-info' && e.engine) into.engines.push(e.engine);
  }
  return into;
}

function feed(text: string, chunkSize: number): Collected {
  const parser = new LogStreamParser({ runId: 'r1', nodeId: 'sft', now: () => NOW });
  const out = collect([]);
  for (let i = 0; i < text.length; i += chunkSize) collect(parser.push(text.slice(i, i + chunkSize)), out);
  return collect(parser.end(), out);
}

describe('LogStreamParser on an Unsloth/TRL training log', () => {
  const log = fixture('run-unsloth-sft.log');
  const whole = feed(log, log.length);

  it('emits one line per newline with dense seq, the last redraw as its text', () => {
    expect(whole.lines.length).toBe(log.split('\n').length - 1);
    expect(whole.lines.map((l) => l.seq)).toEqual(whole.lines.map((_, i) => i + 1));
    expect(whole.lines.some((l) => l.text.includes('\r'))).toBe(false);
    expect(whole.lines.find((l) => l.text.startsWith('Loading checkpoint shards'))?.text).toContain('2/2');
    expect(whole.lines.find((l) => l.text.includes('FutureWarning'))?.stream).toBe('stdout');
  });

  it('counts Trainer steps, keeps nan, and adds eval and summary dicts at the current step', () => {
    const train = whole.records.filter((r) => 'loss' in r.values);
    expect(train.map((r) => r.step)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(train[11].values.loss).toBeNaN();
    const evalRecord = whole.records.find((r) => 'eval_loss' in r.values);
    expect(evalRecord).toMatchObject({ step: 10, values: { eval_loss: 1.8123 } });
    expect(whole.records.at(-1)).toMatchObject({ step: 20, values: { train_loss: 1.4125, train_runtime: 86.58 } });
  });

  it('reports the latest progress per chunk, from every bar, ending at 200/200', () => {
    expect(whole.progress).toEqual([expect.objectContaining({ current: 200, total: 200 })]);
    const chunked = feed(log, 256);
    expect(chunked.progress.find((p) => p.label === 'Map (num_proc=4)')).toMatchObject({ total: 5000 });
    const training = chunked.progress.filter((p) => p.total === 200).map((p) => p.current);
    expect(training.length).toBeGreaterThan(40);
    expect(training).toEqual([...training].sort((a, b) => a - b));
  });

  it.each([1, 7, 100, 4096])('gives the same lines and records in chunks of %i characters', (size) => {
    const chunked = feed(log, size);
    expect(chunked.lines).toEqual(whole.lines);
    expect(chunked.records).toEqual(whole.records);
    expect(chunked.progress.at(-1)).toEqual(whole.progress.at(-1));
  });
});

describe('LogStreamParser on the tiny engine', () => {
  it('reads metrics, progress and the engine from protocol lines', () => {
    const out = feed(fixture('run-tiny-cpt.log'), 64);
    expect(out.engines).toEqual(['tiny']);
    expect(out.records.map((r) => r.step)).toEqual([1, 5, 10, 20, 30, 40]);
    expect(out.records[4].values.loss).toBeNaN();
    expect(out.progress.at(-1)).toEqual({ current: 40, total: 40, label: 'train' });
    expect(out.lines.every((l) => l.ts === NOW)).toBe(true);
  });

  it('keeps each Kubernetes line timestamp on its line and record', () => {
    const out = feed(fixture('run-tiny-cpt.k8s.log'), 333);
    expect(out.lines[0]).toMatchObject({ seq: 1, ts: '2026-11-28T10:00:00.123456789Z', text: 'PIPEWRIGHT_INFO {"engine": "tiny"}' });
    expect(out.lines[4].text).toContain('3/3');
    expect(out.progress).toContainEqual(expect.objectContaining({ current: 3, total: 3 }));
    expect(out.records[0].ts).toBe(out.lines.find((l) => l.text.includes('"step": 1,'))?.ts);
  });
});

describe('LogStreamParser streaming behaviour', () => {
  it('reports live tqdm redraws before the line ends, without a log line per redraw', () => {
    const parser = new LogStreamParser({ runId: 'r', nodeId: 'n', now: () => NOW });
    const first = collect(parser.push('\r  0%|          | 0/4 [00:00<?, ?it/s]\r 50%|█████     | 2/4 [00:01<00:01,  2.00it/s]\r'));
    expect(first.lines).toEqual([]);
    expect(first.progress).toEqual([expect.objectContaining({ current: 2, total: 4 })]);
    const same = collect(parser.push(' 50%|█████     | 2/4 [00:01<00:01,  2.00it/s]\r'));
    expect(same.progress).toEqual([]);
    const done = collect(parser.push('100%|██████████| 4/4 [00:02<00:00,  2.00it/s]\n'));
    expect(done.lines.map((l) => l.text)).toEqual(['100%|██████████| 4/4 [00:02<00:00,  2.00it/s]']);
  });

  it('keeps stdout and stderr partial lines apart and numbers lines across both', () => {
    const parser = new LogStreamParser({ runId: 'r', nodeId: 'n', lastSeq: 41, now: () => NOW });
    const out = collect(parser.push('out-a', 'stdout'));
    collect(parser.push('err-line\n', 'stderr'), out);
    collect(parser.push('\n', 'stdout'), out);
    collect(parser.push('tail without newline', 'stderr'), out);
    collect(parser.end(), out);
    expect(out.lines).toEqual([
      { seq: 42, ts: NOW, text: 'err-line', stream: 'stderr' },
      { seq: 43, ts: NOW, text: 'out-a', stream: 'stdout' },
      { seq: 44, ts: NOW, text: 'tail without newline', stream: 'stderr' },
    ]);
    expect(parser.lastSeq).toBe(44);
  });

  it('cuts very long lines and flushes a partial line that grows past the limit', () => {
    const parser = new LogStreamParser({ runId: 'r', nodeId: 'n', now: () => NOW, maxLineLength: 10 });
    const out = collect(parser.push('x'.repeat(25)));
    expect(out.lines).toEqual([{ seq: 1, ts: NOW, text: `${'x'.repeat(10)}… [15 more characters]`, stream: 'stdout' }]);
  });
});
