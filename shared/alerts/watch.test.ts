import { describe, expect, it } from 'vitest';
import { templateDocument } from '../../node-catalog/templates/index.ts';
import { LogStreamParser } from '../runs/parseStream.ts';
import type { PipelineDocument } from '../pipeline/types.ts';
import type { RunEvent } from '../runs/types.ts';
import type { AlertSettings, RunAlert } from './types.ts';
import { RunAlertWatcher } from './watch.ts';

const T0 = Date.parse('2026-12-04T10:00:00Z');

function doc(alerts?: AlertSettings, nodeAlerts?: AlertSettings): PipelineDocument {
  const d = templateDocument('korean-llm-smoke')!;
  d.settings = { ...d.settings, ...(alerts ? { alerts } : {}) };
  if (nodeAlerts) d.nodes.find((n) => n.id === 'cpt')!.alerts = nodeAlerts;
  return d;
}

/** The events a step's log lines make (the one parser every target uses), with the node running first. */
function stream(lines: string[], nodeId = 'cpt'): RunEvent[] {
  const parser = new LogStreamParser({ runId: 'r', nodeId, now: () => new Date(T0).toISOString() });
  return [{ kind: 'node-phase', runId: 'r', nodeId, phase: 'running', at: new Date(T0).toISOString() }, ...parser.push(lines.join('\n') + '\n'), ...parser.end()];
}

/** Feeds each event a second apart; returns every alert with the time it fired. */
function feed(watcher: RunAlertWatcher, events: RunEvent[]): RunAlert[] {
  return events.flatMap((e, i) => watcher.observe(e, T0 + i * 1000));
}

const metric = (step: number, loss: number | string) => `PIPEWRIGHT_METRIC ${JSON.stringify({ step, loss, learning_rate: 1e-5 })}`;
const losses = (values: (number | string)[]) => values.map((v, i) => metric(i + 1, v));

describe('RunAlertWatcher', () => {
  it.each<[string, string[], Partial<RunAlert>]>([
    ['a NaN loss (the step library prints "NaN")', losses([2.1, 2.0, 1.9, 'NaN', 'NaN', 1.8]), { rule: 'nonFiniteLoss', step: 4 }],
    ['an infinite loss', losses([2.1, 2.0, 'Infinity']), { rule: 'nonFiniteLoss', step: 3, value: Infinity }],
    ["Hugging Face's {'loss': nan}", ["{'loss': 2.3, 'learning_rate': 2e-05, 'epoch': 0.1}", "{'loss': 2.2, 'learning_rate': 2e-05, 'epoch': 0.2}", "{'loss': nan, 'grad_norm': nan, 'learning_rate': 2e-05, 'epoch': 0.3}"], { rule: 'nonFiniteLoss', step: 3 }],
    ['a loss over 3 times its recent median', losses([2.0, 1.9, 1.85, 1.8, 1.78, 1.75, 6.2, 1.7, 7.0]), { rule: 'lossSpike', step: 7, value: 6.2, median: expect.closeTo(1.825, 9) as number }],
  ])('fires once, at the right step, on %s', (_name, lines, expected) => {
    const alerts = feed(new RunAlertWatcher('r', doc()), stream(lines));
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ id: `cpt:${expected.rule}`, nodeId: 'cpt', action: 'notify', ...expected });
    if (expected.rule === 'nonFiniteLoss' && expected.value === undefined) expect(alerts[0].value).toBeNaN();
    expect(alerts[0].message).toMatch(/^The loss of cpt /);
  });

  it('stays quiet on a healthy, noisy curve (the tiny engine\'s smoke run)', () => {
    const curve = [5.61, 5.2, 4.72, 4.1, 3.66, 3.41, 3.59, 3.3, 3.1, 3.25, 2.9, 2.95, 2.7, 2.8, 2.62];
    expect(feed(new RunAlertWatcher('r', doc()), stream(losses(curve)))).toEqual([]);
  });

  it('needs 5 earlier losses before it calls anything a spike', () => {
    expect(feed(new RunAlertWatcher('r', doc()), stream(losses([1.0, 1.0, 1.0, 1.0, 9.0])))).toEqual([]);
  });

  it('follows the factor and action set for the node over the pipeline', () => {
    const watcher = new RunAlertWatcher('r', doc({ action: 'notify', lossSpike: { factor: 5 } }, { action: 'cancel', lossSpike: { factor: 1.5 } }));
    const [alert] = feed(watcher, stream(losses([2, 2, 2, 2, 2, 3.5])));
    expect(alert).toMatchObject({ rule: 'lossSpike', step: 6, action: 'cancel', threshold: 3 });
  });

  it('a switched-off rule never fires', () => {
    expect(feed(new RunAlertWatcher('r', doc({ nonFiniteLoss: { enabled: false } })), stream(losses([2, 'NaN'])))).toEqual([]);
  });

  it('a stall fires once the step has been silent for its minutes, naming the last step', () => {
    const watcher = new RunAlertWatcher('r', doc({ stall: { minutes: 10, action: 'cancel' } }));
    feed(watcher, stream(losses([2.0, 1.9, 1.8])));
    const last = T0 + 2000; // the metrics event: third of the stream
    expect(watcher.tick(last + 9 * 60_000)).toEqual([]);
    const [alert] = watcher.tick(last + 10 * 60_000 + 1000);
    expect(alert).toMatchObject({ rule: 'stall', step: 3, action: 'cancel', threshold: 10 });
    expect(alert.minutes).toBeCloseTo(10 + 1 / 60, 3);
    expect(watcher.tick(last + 30 * 60_000)).toEqual([]);
  });

  it('progress keeps a step from stalling; a finished step never stalls', () => {
    const watcher = new RunAlertWatcher('r', doc({ stall: { minutes: 1 } }));
    watcher.observe({ kind: 'node-phase', runId: 'r', nodeId: 'cpt', phase: 'running', at: '' }, T0);
    watcher.observe({ kind: 'progress', runId: 'r', nodeId: 'cpt', progress: { current: 1, total: 9 } }, T0 + 50_000);
    expect(watcher.tick(T0 + 100_000)).toEqual([]);
    watcher.observe({ kind: 'node-phase', runId: 'r', nodeId: 'cpt', phase: 'succeeded', at: '' }, T0 + 100_000);
    expect(watcher.tick(T0 + 600_000)).toEqual([]);
  });

  it('GPUs under the threshold for its minutes fire; a short dip and a busy GPU do not', () => {
    const watcher = new RunAlertWatcher('r', doc({ gpuIdle: { utilization: 50, minutes: 2 } }));
    expect(watcher.gpuCandidates()).toEqual([]);
    feed(watcher, [...stream(losses([2.0])), { kind: 'node-info', runId: 'r', nodeId: 'cpt', podName: 'wf-cpt-1' }]);
    expect(watcher.gpuCandidates()).toEqual([{ nodeId: 'cpt', podName: 'wf-cpt-1' }]);
    const at = (min: number) => T0 + min * 60_000;
    expect(watcher.gpuSample('cpt', 20, at(1))).toEqual([]);
    expect(watcher.gpuSample('cpt', 90, at(2))).toEqual([]);
    expect(watcher.gpuSample('cpt', 10, at(3))).toEqual([]);
    expect(watcher.gpuSample('cpt', undefined, at(4))).toEqual([]);
    expect(watcher.gpuSample('cpt', 10, at(5))).toEqual([]);
    expect(watcher.gpuSample('cpt', 15, at(6))).toEqual([]);
    const [alert] = watcher.gpuSample('cpt', 12, at(7));
    expect(alert).toMatchObject({ rule: 'gpuIdle', step: 1, value: 12, threshold: 50, minutes: 2 });
    expect(watcher.gpuCandidates()).toEqual([]);
  });

  it('a watcher picking up a run again does not repeat what the record holds', () => {
    const first = feed(new RunAlertWatcher('r', doc()), stream(losses([2, 'NaN'])));
    const again = new RunAlertWatcher('r', doc(), first);
    expect(feed(again, stream(losses([2, 'NaN'])))).toEqual([]);
  });
});
