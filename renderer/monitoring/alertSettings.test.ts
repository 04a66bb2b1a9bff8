import { describe, expect, it } from 'vitest';
import { withAction, withRule } from './alertSettings.ts';

describe('alert settings edits', () => {
  it.each([
    ['sets a threshold', {}, ['lossSpike', 'factor', 4] as const, { lossSpike: { factor: 4 } }],
    ['keeps the other fields of the rule', { lossSpike: { factor: 4, window: 10 } }, ['lossSpike', 'factor', undefined] as const, { lossSpike: { window: 10 } }],
    ['drops a rule left empty', { action: 'cancel' as const, stall: { minutes: 5 } }, ['stall', 'minutes', undefined] as const, { action: 'cancel' }],
    ['switches a rule off', {}, ['gpuIdle', 'enabled', false] as const, { gpuIdle: { enabled: false } }],
  ])('%s', (_name, before, [rule, key, value], after) => {
    expect(withRule(before, rule, key, value)).toEqual(after);
  });

  it('sets and clears a level action; nothing left is undefined', () => {
    expect(withAction(undefined, 'cancel')).toEqual({ action: 'cancel' });
    expect(withAction({ action: 'cancel' }, undefined)).toBeUndefined();
    expect(withAction({ action: 'cancel', stall: { minutes: 3 } }, undefined)).toEqual({ stall: { minutes: 3 } });
  });
});
