/** The alert rules that apply to one node (node settings over pipeline settings over defaults), and their validation. */
import { problem, show } from '../pipeline/validateCodes.ts';
import type { Problem, ProblemLocation } from '../pipeline/types.ts';
import { ALERT_ACTIONS, ALERT_RULES } from './types.ts';
import type { AlertAction, AlertRuleId, AlertSettings } from './types.ts';

export interface ResolvedAlertRules {
  nonFiniteLoss: { enabled: boolean; action: AlertAction };
  lossSpike: { enabled: boolean; action: AlertAction; factor: number; window: number };
  stall: { enabled: boolean; action: AlertAction; minutes: number };
  gpuIdle: { enabled: boolean; action: AlertAction; utilization: number; minutes: number };
}

export const ALERT_DEFAULTS: ResolvedAlertRules = {
  nonFiniteLoss: { enabled: true, action: 'notify' },
  lossSpike: { enabled: true, action: 'notify', factor: 3, window: 20 },
  stall: { enabled: true, action: 'notify', minutes: 30 },
  gpuIdle: { enabled: true, action: 'notify', utilization: 50, minutes: 10 },
};

/** A loss spike needs this many earlier losses: a median of fewer says little. */
export const LOSS_SPIKE_MIN_HISTORY = 5;

/** Each rule's numeric fields: [min, max, integer, what]; min is exclusive when `above` is set. */
const NUMBERS: Record<AlertRuleId, Record<string, { min: number; max: number; above?: boolean; integer?: boolean; what: string }>> = {
  nonFiniteLoss: {},
  lossSpike: {
    factor: { min: 1, max: 1000, above: true, what: 'a multiple of the recent median loss, above 1' },
    window: { min: LOSS_SPIKE_MIN_HISTORY, max: 10000, integer: true, what: `a whole number of earlier losses, ${LOSS_SPIKE_MIN_HISTORY} or more` },
  },
  stall: { minutes: { min: 0, max: 10080, above: true, what: 'minutes above 0, at most a week (10080)' } },
  gpuIdle: {
    utilization: { min: 0, max: 100, above: true, what: 'a percentage above 0, at most 100' },
    minutes: { min: 0, max: 1440, above: true, what: 'minutes above 0, at most a day (1440)' },
  },
};

type Level = AlertSettings | undefined;

function pick<T>(values: (T | undefined)[], fallback: T): T {
  for (const v of values) if (v !== undefined) return v;
  return fallback;
}

/** Node settings win over pipeline settings; a rule's own `action` wins over its level's `action`. */
export function resolveAlertRules(pipeline: Level, node: Level): ResolvedAlertRules {
  const rule = <K extends AlertRuleId>(id: K): ResolvedAlertRules[K] => {
    const defaults = ALERT_DEFAULTS[id];
    const n = (node?.[id] ?? {}) as Record<string, unknown>;
    const p = (pipeline?.[id] ?? {}) as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(defaults)) {
      const fallback = (defaults as Record<string, unknown>)[key];
      out[key] = key === 'action' ? pick([n.action, node?.action, p.action, pipeline?.action], fallback) : pick([n[key], p[key]], fallback);
    }
    return out as ResolvedAlertRules[K];
  };
  return { nonFiniteLoss: rule('nonFiniteLoss'), lossSpike: rule('lossSpike'), stall: rule('stall'), gpuIdle: rule('gpuIdle') };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Problems of a `settings.alerts` or `nodes[].alerts` value; `field` is its dotted path (`settings.alerts`). */
export function checkAlertSettings(value: unknown, field: string, location: ProblemLocation = {}): Problem[] {
  const problems: Problem[] = [];
  const bad = (at: string, detail: string) => problems.push(problem('alerts-invalid', `${at} ${detail}.`, { ...location, field: at }));
  if (!isObject(value)) {
    bad(field, `is ${show(value)}; it must be an object such as {"action": "notify", "lossSpike": {"factor": 3}}`);
    return problems;
  }
  const checkAction = (at: string, action: unknown) => {
    if (action !== undefined && !ALERT_ACTIONS.includes(action as AlertAction)) bad(at, `is ${show(action)}; it must be "notify" or "cancel"`);
  };
  for (const key of Object.keys(value)) {
    if (key !== 'action' && !ALERT_RULES.includes(key as AlertRuleId)) {
      problems.push(problem('field-unknown', `${field} has an unknown field "${key}" (known: action, ${ALERT_RULES.join(', ')}); it is ignored.`, { ...location, field: `${field}.${key}` }));
    }
  }
  checkAction(`${field}.action`, value.action);
  for (const id of ALERT_RULES) {
    const rule = value[id];
    const at = `${field}.${id}`;
    if (rule === undefined) continue;
    if (!isObject(rule)) {
      bad(at, `is ${show(rule)}; it must be an object such as {"enabled": true, "action": "cancel"}`);
      continue;
    }
    if (rule.enabled !== undefined && typeof rule.enabled !== 'boolean') bad(`${at}.enabled`, `is ${show(rule.enabled)}; it must be true or false`);
    checkAction(`${at}.action`, rule.action);
    const numbers = NUMBERS[id];
    for (const key of Object.keys(rule)) {
      if (key === 'enabled' || key === 'action') continue;
      const spec = numbers[key];
      if (!spec) {
        const known = ['enabled', 'action', ...Object.keys(numbers)].join(', ');
        problems.push(problem('field-unknown', `${at} has an unknown field "${key}" (known: ${known}); it is ignored.`, { ...location, field: `${at}.${key}` }));
        continue;
      }
      const n = rule[key];
      const ok = typeof n === 'number' && Number.isFinite(n) && (spec.above ? n > spec.min : n >= spec.min) && n <= spec.max && (!spec.integer || Number.isInteger(n));
      if (!ok) bad(`${at}.${key}`, `is ${show(n)}; it must be ${spec.what}`);
    }
  }
  return problems;
}
