/** Edits of an AlertSettings value that drop what becomes empty, so the document keeps only what the user set. */
import type { AlertAction, AlertRuleId, AlertSettings } from '../../shared/alerts/types.ts';

export function withRule(alerts: AlertSettings, rule: AlertRuleId, key: string, value: number | boolean | AlertAction | undefined): AlertSettings {
  const current = { ...((alerts[rule] as Record<string, unknown> | undefined) ?? {}) };
  if (value === undefined) delete current[key];
  else current[key] = value;
  const next: AlertSettings = { ...alerts };
  if (Object.keys(current).length === 0) delete next[rule];
  else (next as Record<string, unknown>)[rule] = current;
  return next;
}

export function withAction(alerts: AlertSettings | undefined, action: AlertAction | undefined): AlertSettings | undefined {
  const next: AlertSettings = { ...alerts };
  if (action === undefined) delete next.action;
  else next.action = action;
  return Object.keys(next).length > 0 ? next : undefined;
}
