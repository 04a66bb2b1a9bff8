/**
 * When a schedule on a cluster fires next, read as its controller reads it: an Argo CronWorkflow's
 * five-field crons in its time zone, a KFP recurring run's six-field cron (seconds first) in UTC.
 * Undefined where it cannot be known here: no time zone (the controller's own), a form this parser
 * does not read (`@every`, a seconds list), or no firing within five years.
 */
import { nextFireTime, parseCron } from './cron.ts';

function next(cron: string, timeZone: string, afterMs: number): number | undefined {
  try {
    return nextFireTime(parseCron(cron), timeZone, afterMs);
  } catch {
    return undefined;
  }
}

/** The earliest next firing of a CronWorkflow's schedules (`spec.schedules`, or the older `spec.schedule`), as an ISO time. */
export function nextArgoRun(schedules: readonly string[], timeZone: string | undefined, nowMs: number): string | undefined {
  if (!timeZone) return undefined;
  const times = schedules.map((s) => next(s, timeZone, nowMs)).filter((t): t is number => t !== undefined);
  return times.length > 0 ? new Date(Math.min(...times)).toISOString() : undefined;
}

/** A KFP cron's next firing (UTC) as an ISO time: six fields whose seconds field is one number or `*`/`?` (its first second), or five fields. */
export function nextKfpRun(cron: string, nowMs: number): string | undefined {
  const parts = cron.trim().split(/\s+/);
  if (parts.length === 5 || cron.trim().startsWith('@')) {
    const at = next(cron, 'UTC', nowMs);
    return at === undefined ? undefined : new Date(at).toISOString();
  }
  if (parts.length !== 6) return undefined;
  const second = /^\d+$/.test(parts[0]) ? Number(parts[0]) : parts[0] === '*' || parts[0] === '?' ? 0 : undefined;
  if (second === undefined || second > 59) return undefined;
  // The minute it fires in starts `second` seconds before the firing: look from that far back.
  const minuteStart = next(parts.slice(1).join(' '), 'UTC', nowMs - second * 1000);
  return minuteStart === undefined ? undefined : new Date(minuteStart + second * 1000).toISOString();
}
