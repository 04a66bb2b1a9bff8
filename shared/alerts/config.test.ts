import { describe, expect, it } from 'vitest';
import { catalog } from '../../node-catalog/index.ts';
import { templateDocument } from '../../node-catalog/templates/index.ts';
import { validatePipeline } from '../pipeline/validate.ts';
import type { PipelineDocument } from '../pipeline/types.ts';
import { ALERT_DEFAULTS, checkAlertSettings, resolveAlertRules } from './config.ts';
import type { AlertSettings } from './types.ts';

describe('resolveAlertRules', () => {
  it('gives the defaults without any setting: every rule on, notify only', () => {
    expect(resolveAlertRules(undefined, undefined)).toEqual(ALERT_DEFAULTS);
    expect(ALERT_DEFAULTS.lossSpike).toEqual({ enabled: true, action: 'notify', factor: 3, window: 20 });
  });

  it.each<[string, AlertSettings | undefined, AlertSettings | undefined, string, unknown]>([
    ['pipeline action applies to every rule', { action: 'cancel' }, undefined, 'stall.action', 'cancel'],
    ["a rule's own action beats its level's", { action: 'cancel', stall: { action: 'notify' } }, undefined, 'stall.action', 'notify'],
    ['node action beats the pipeline rule action', { stall: { action: 'notify' } }, { action: 'cancel' }, 'stall.action', 'cancel'],
    ['node rule action beats node action', undefined, { action: 'cancel', lossSpike: { action: 'notify' } }, 'lossSpike.action', 'notify'],
    ['pipeline threshold', { lossSpike: { factor: 2 } }, undefined, 'lossSpike.factor', 2],
    ['node threshold beats the pipeline one', { lossSpike: { factor: 2 } }, { lossSpike: { factor: 5 } }, 'lossSpike.factor', 5],
    ['a node keeps the pipeline window when it sets only the factor', { lossSpike: { window: 8 } }, { lossSpike: { factor: 5 } }, 'lossSpike.window', 8],
    ['a node can switch a rule off', undefined, { nonFiniteLoss: { enabled: false } }, 'nonFiniteLoss.enabled', false],
    ['a node can switch back on what the pipeline switched off', { gpuIdle: { enabled: false } }, { gpuIdle: { enabled: true } }, 'gpuIdle.enabled', true],
  ])('%s', (_name, pipeline, node, path, expected) => {
    const [rule, field] = path.split('.');
    expect((resolveAlertRules(pipeline, node) as unknown as Record<string, Record<string, unknown>>)[rule][field]).toEqual(expected);
  });
});

describe('checkAlertSettings', () => {
  it('accepts a full, valid setting', () => {
    const ok: AlertSettings = { action: 'cancel', nonFiniteLoss: { enabled: true }, lossSpike: { factor: 2.5, window: 10, action: 'notify' }, stall: { minutes: 15 }, gpuIdle: { utilization: 40, minutes: 5 } };
    expect(checkAlertSettings(ok, 'settings.alerts')).toEqual([]);
  });

  it.each<[string, unknown, string, RegExp]>([
    ['not an object', 'cancel', 'settings.alerts', /must be an object/],
    ['an unknown action', { action: 'stop' }, 'settings.alerts.action', /"stop"; it must be "notify" or "cancel"/],
    ['enabled not a boolean', { stall: { enabled: 'yes' } }, 'settings.alerts.stall.enabled', /true or false/],
    ['a factor of 1 (every loss would spike)', { lossSpike: { factor: 1 } }, 'settings.alerts.lossSpike.factor', /above 1/],
    ['a fractional window', { lossSpike: { window: 7.5 } }, 'settings.alerts.lossSpike.window', /whole number/],
    ['a window under 5', { lossSpike: { window: 2 } }, 'settings.alerts.lossSpike.window', /5 or more/],
    ['zero stall minutes', { stall: { minutes: 0 } }, 'settings.alerts.stall.minutes', /above 0/],
    ['a utilization over 100', { gpuIdle: { utilization: 120 } }, 'settings.alerts.gpuIdle.utilization', /at most 100/],
    ['a rule that is not an object', { gpuIdle: true }, 'settings.alerts.gpuIdle', /must be an object/],
  ])('refuses %s, naming the field', (_name, value, field, message) => {
    const problems = checkAlertSettings(value, 'settings.alerts');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ severity: 'error', code: 'alerts-invalid', location: { field } });
    expect(problems[0].message).toMatch(message);
  });

  it('warns about unknown fields without refusing', () => {
    const problems = checkAlertSettings({ lossSpke: {}, stall: { minute: 3 } }, 'alerts', { nodeId: 'cpt' });
    expect(problems.map((p) => [p.severity, p.code, p.location.field, p.location.nodeId])).toEqual([
      ['warning', 'field-unknown', 'alerts.lossSpke', 'cpt'],
      ['warning', 'field-unknown', 'alerts.stall.minute', 'cpt'],
    ]);
  });
});

describe('validatePipeline: pushgatewayUrl and alerts', () => {
  const smoke = () => templateDocument('korean-llm-smoke')!;
  const codes = (doc: PipelineDocument) => validatePipeline(doc, catalog).map((p) => [p.code, p.location.nodeId, p.location.field].filter(Boolean).join(' '));

  it('accepts both at pipeline level and alerts at node level', () => {
    const doc = smoke();
    doc.settings = { pushgatewayUrl: 'http://pushgateway.monitoring:9091', alerts: { action: 'cancel', stall: { minutes: 20 } } };
    doc.nodes.find((n) => n.id === 'cpt')!.alerts = { lossSpike: { factor: 4 } };
    expect(codes(doc)).toEqual([]);
  });

  it.each(['pushgateway:9091', 'ftp://host', 'http://host/$(whoami)', 'http://a b', 'http://{{x}}'])('refuses pushgatewayUrl %j', (url) => {
    const doc = smoke();
    doc.settings = { pushgatewayUrl: url };
    expect(codes(doc)).toEqual(['settings-invalid settings.pushgatewayUrl']);
  });

  it('names the node of a bad node-level alert', () => {
    const doc = smoke();
    doc.nodes.find((n) => n.id === 'sft')!.alerts = { action: 'halt' as never };
    expect(codes(doc)).toEqual(['alerts-invalid sft alerts.action']);
  });
});
