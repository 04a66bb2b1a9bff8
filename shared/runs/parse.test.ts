import { describe, expect, it } from 'vitest';
import { parseLogLine, splitTimestamp, stripAnsi } from './parse.ts';
import { pyNumber, parsePyDict } from './parsePyDict.ts';
import { parseClock, parseRate, parseTqdm } from './parseTqdm.ts';

describe('parseLogLine', () => {
  it.each([
    ['plain text', 'Unsloth: Fast downloading is enabled', { text: 'Unsloth: Fast downloading is enabled' }],
    [
      'protocol metric',
      'PIPEWRIGHT_METRIC {"step": 10, "loss": 2.31, "learning_rate": 1e-5, "epoch": 0.2}',
      { metric: { step: 10, values: { loss: 2.31, learning_rate: 1e-5, epoch: 0.2 }, source: 'pipewright' } },
    ],
    [
      "protocol metric with Python's bare NaN",
      'PIPEWRIGHT_METRIC {"step": 3, "loss": NaN, "grad_norm": Infinity}',
      { metric: { step: 3, values: { loss: NaN, grad_norm: Infinity }, source: 'pipewright' } },
    ],
    [
      'protocol metric with non-finite values as strings (what the step library prints)',
      'PIPEWRIGHT_METRIC {"step": 7, "loss": "NaN", "grad_norm": "Infinity", "delta": "-Infinity", "lr": 1e-5}',
      { metric: { step: 7, values: { loss: NaN, grad_norm: Infinity, delta: -Infinity, lr: 1e-5 }, source: 'pipewright' } },
    ],
    [
      "Trainer dict with a nan loss as Hugging Face prints it",
      "{'loss': nan, 'grad_norm': nan, 'learning_rate': 1.8e-05, 'epoch': 0.35}",
      { metric: { values: { loss: NaN, grad_norm: NaN, learning_rate: 1.8e-5, epoch: 0.35 }, source: 'trainer' } },
    ],
    ['protocol metric without step', 'PIPEWRIGHT_METRIC {"accuracy": 0.5}', { metric: { values: { accuracy: 0.5 }, source: 'pipewright' } }],
    ['protocol metric that is not JSON', 'PIPEWRIGHT_METRIC {loss: 1', { text: 'PIPEWRIGHT_METRIC {loss: 1' }],
    [
      'protocol progress',
      'PIPEWRIGHT_PROGRESS {"current": 10, "total": 200, "label": "train"}',
      { progress: { current: 10, total: 200, label: 'train' } },
    ],
    ['protocol info', 'PIPEWRIGHT_INFO {"engine": "tiny", "device": "cpu"}', { info: { engine: 'tiny', device: 'cpu' } }],
    [
      'Trainer dict',
      "{'loss': 2.31, 'grad_norm': 1.2, 'learning_rate': 1e-05, 'epoch': 0.12}",
      { metric: { values: { loss: 2.31, grad_norm: 1.2, learning_rate: 1e-5, epoch: 0.12 }, source: 'trainer' } },
    ],
    [
      'Trainer dict with nan and an explicit step',
      "{'loss': nan, 'grad_norm': inf, 'step': 40}",
      { metric: { step: 40, values: { loss: NaN, grad_norm: Infinity }, source: 'trainer' } },
    ],
    [
      'Trainer summary dict',
      "{'train_runtime': 86.58, 'train_samples_per_second': 36.96, 'train_loss': 1.41, 'epoch': 2.0}",
      {
        metric: {
          values: { train_runtime: 86.58, train_samples_per_second: 36.96, train_loss: 1.41, epoch: 2 },
          source: 'trainer',
          summary: true,
        },
      },
    ],
    ['eval dict', "{'eval_loss': 1.81, 'epoch': 1.0}", { metric: { values: { eval_loss: 1.81, epoch: 1 }, source: 'trainer', summary: true } }],
    ['a dict of words only', "{'status': 'ok'}", { text: "{'status': 'ok'}" }],
    ['JSON structured logging is not a metric', '{"level": "info", "ms": 12}', { text: '{"level": "info", "ms": 12}' }],
    [
      'tqdm bar',
      ' 45%|████▌     | 90/200 [00:12<00:15,  7.10it/s]',
      { progress: { current: 90, total: 200, etaSeconds: 15, rate: 7.1 } },
    ],
    [
      'tqdm bar with description and s/it',
      'Loading checkpoint shards:  50%|█████     | 1/2 [00:01<00:01,  2.00s/it]',
      { progress: { current: 1, total: 2, label: 'Loading checkpoint shards', etaSeconds: 1, rate: 0.5 } },
    ],
  ])('%s', (_name, line, expected) => {
    const parsed = parseLogLine(line);
    expect(parsed).toMatchObject({ text: line, ...expected });
    for (const key of ['metric', 'progress', 'info'] as const) if (!(key in expected)) expect(parsed[key]).toBeUndefined();
  });

  it('takes the timestamp off Kubernetes lines and keeps it as written', () => {
    const parsed = parseLogLine('2026-11-28T10:00:00.123456789Z PIPEWRIGHT_METRIC {"step": 1, "loss": 3}');
    expect(parsed.ts).toBe('2026-11-28T10:00:00.123456789Z');
    expect(parsed.text).toBe('PIPEWRIGHT_METRIC {"step": 1, "loss": 3}');
    expect(parsed.metric?.values).toEqual({ loss: 3 });
  });

  it('shows the last redraw of a \\r line and takes progress from the last bar', () => {
    const line = "\r 10%|█         | 20/200 [00:04<00:36,  5.00it/s]\r" + ' '.repeat(40) + "\r{'loss': 2.1, 'epoch': 0.1}\r";
    const parsed = parseLogLine(line);
    expect(parsed.text).toBe("{'loss': 2.1, 'epoch': 0.1}");
    expect(parsed.metric?.values.loss).toBe(2.1);
    expect(parsed.progress).toMatchObject({ current: 20, total: 200 });
  });

  it('strips colour codes', () => {
    expect(parseLogLine('\x1b[33mWARNING\x1b[0m: low memory').text).toBe('WARNING: low memory');
    expect(stripAnsi('plain')).toBe('plain');
  });

  it('leaves lines that only look like timestamps alone', () => {
    expect(splitTimestamp('2026-11-28 10:00:00 started')).toEqual({ rest: '2026-11-28 10:00:00 started' });
    expect(splitTimestamp('2026-11-28T10:00:00+09:00 x')).toEqual({ ts: '2026-11-28T10:00:00+09:00', rest: 'x' });
  });
});

describe('tqdm pieces', () => {
  it.each([
    ['7.10it/s', 7.1],
    ['4.00s/it', 0.25],
    ['3412.55 examples/s', 3412.55],
    ['1.20kit/s', 1200],
    ['?it/s', undefined],
  ])('rate %s', (text, rate) => expect(parseRate(text)).toBe(rate));

  it.each([
    ['00:15', 15],
    ['1:25:12', 5112],
    ['?', undefined],
  ])('clock %s', (text, seconds) => expect(parseClock(text)).toBe(seconds));

  it('reads scaled counts and refuses bars without a total', () => {
    expect(parseTqdm('model.safetensors:  50%|█████     | 1.23G/2.46G [00:10<00:10, 123MB/s]')).toMatchObject({ current: 1.23e9, total: 2.46e9 });
    expect(parseTqdm('90it [00:12,  7.10it/s]')).toBeUndefined();
    expect(parseTqdm('100%| not a bar')).toBeUndefined();
  });
});

describe('parsePyDict', () => {
  it.each([
    ["{'loss': tensor(1.25, device='cuda:0'), 'epoch': 1}", { loss: 1.25, epoch: 1 }],
    ["{'loss': '2.031', 'learning_rate': '1.98e-05'}", { loss: 2.031, learning_rate: 1.98e-5 }],
    ["{'flag': True, 'x': None, 'l': [1, 2], 'y': -3}", { y: -3 }],
    ["{'a': 1, 'b': 2} trailing", undefined],
    ["{'a': 1", undefined],
    ['{}', undefined],
  ])('%s', (text, values) => expect(parsePyDict(text)).toEqual(values));

  it('reads Python number spellings', () => {
    expect(pyNumber('-inf')).toBe(-Infinity);
    expect(pyNumber('1e-05')).toBe(1e-5);
    expect(pyNumber('False')).toBeUndefined();
  });
});
