/**
 * Cron expressions as Argo (robfig/cron, five fields) reads them, with a time zone: parsing with
 * errors that name the field, the next times a schedule fires, and the same schedule as KFP's
 * six-field cron (seconds first), which KFP evaluates in UTC.
 */

export class CronError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CronError';
  }
}

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
}

const FIELDS: readonly FieldSpec[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] },
  { name: 'day of week', min: 0, max: 7, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
];

const MACROS: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

/** The tutorial's weekly retraining: Sunday 02:00. */
export const WEEKLY_SUNDAY_0200 = '0 2 * * 0';

export interface CronSchedule {
  /** The expression as given. */
  text: string;
  minutes: ReadonlySet<number>;
  hours: ReadonlySet<number>;
  daysOfMonth: ReadonlySet<number>;
  months: ReadonlySet<number>;
  /** 0 = Sunday (7 is folded into 0). */
  daysOfWeek: ReadonlySet<number>;
  /** Day of month / day of week given as `*` or `?` (robfig's rule: both restricted means either may match). */
  domStar: boolean;
  dowStar: boolean;
}

function parseNumber(token: string, field: FieldSpec, expr: string): number {
  const upper = token.toUpperCase();
  const named = field.names?.indexOf(upper) ?? -1;
  if (named >= 0) return named + (field.name === 'month' ? 1 : 0);
  if (!/^\d+$/.test(token)) {
    const words = field.names ? ` or a name (${field.names.join(', ')})` : '';
    throw new CronError(`cron "${expr}": ${field.name} "${token}" is not a number${words}`);
  }
  const value = Number(token);
  if (value < field.min || value > field.max) throw new CronError(`cron "${expr}": ${field.name} ${value} is out of range ${field.min}-${field.max}`);
  return value;
}

function parseField(text: string, field: FieldSpec, expr: string): Set<number> {
  const out = new Set<number>();
  for (const item of text.split(',')) {
    if (item === '') throw new CronError(`cron "${expr}": ${field.name} "${text}" has an empty item`);
    const [range, stepText, extra] = item.split('/');
    if (extra !== undefined) throw new CronError(`cron "${expr}": ${field.name} "${item}" has more than one '/'`);
    let step = 1;
    if (stepText !== undefined) {
      if (!/^\d+$/.test(stepText) || Number(stepText) === 0) throw new CronError(`cron "${expr}": ${field.name} step "${stepText}" must be a whole number of 1 or more`);
      step = Number(stepText);
    }
    let lo: number;
    let hi: number;
    if (range === '*' || range === '?') {
      if (range === '?' && field.name !== 'day of month' && field.name !== 'day of week') throw new CronError(`cron "${expr}": '?' is only allowed for day of month or day of week, not ${field.name}`);
      lo = field.min;
      hi = field.max;
    } else if (range.includes('-')) {
      const [a, b, more] = range.split('-');
      if (more !== undefined || a === '' || b === '') throw new CronError(`cron "${expr}": ${field.name} range "${range}" must be FROM-TO`);
      lo = parseNumber(a, field, expr);
      hi = parseNumber(b, field, expr);
      if (lo > hi) throw new CronError(`cron "${expr}": ${field.name} range ${range} runs backwards (${lo} > ${hi})`);
    } else {
      lo = parseNumber(range, field, expr);
      hi = stepText === undefined ? lo : field.max;
    }
    for (let v = lo; v <= hi; v += step) out.add(field.name === 'day of week' && v === 7 ? 0 : v);
  }
  return out;
}

/** Parses a five-field cron expression (minute hour day-of-month month day-of-week) or a macro such as `@weekly`. */
export function parseCron(text: string): CronSchedule {
  const trimmed = text.trim();
  if (trimmed === '') throw new CronError('cron expression is empty: give five fields, minute hour day-of-month month day-of-week (for example "0 2 * * 0")');
  if (trimmed.startsWith('@')) {
    const macro = MACROS[trimmed.toLowerCase()];
    if (!macro) throw new CronError(`cron "${trimmed}": unknown macro; use one of ${Object.keys(MACROS).join(', ')}`);
    return { ...parseCron(macro), text: trimmed };
  }
  const parts = trimmed.split(/\s+/);
  if (parts.length !== 5) {
    const hint = parts.length === 6 ? ' (a seconds field is not used: Pipewright writes KFP\'s six-field form itself)' : '';
    throw new CronError(`cron "${trimmed}" has ${parts.length} fields; give five: minute hour day-of-month month day-of-week${hint}`);
  }
  const sets = parts.map((p, i) => parseField(p, FIELDS[i], trimmed));
  const starLike = (p: string) => p.startsWith('*') || p.startsWith('?');
  return {
    text: trimmed,
    minutes: sets[0],
    hours: sets[1],
    daysOfMonth: sets[2],
    months: sets[3],
    daysOfWeek: sets[4],
    domStar: starLike(parts[2]),
    dowStar: starLike(parts[4]),
  };
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(timeZone, f);
  }
  return f;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const keep = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = keep;
    }
  }
  return row[b.length];
}

/** Throws CronError unless `timeZone` is an IANA time zone name this runtime knows (`UTC`, `Asia/Seoul`). */
export function checkTimeZone(timeZone: string): string {
  if (typeof timeZone !== 'string' || timeZone.trim() === '') throw new CronError('time zone is empty: give an IANA name such as Asia/Seoul or UTC');
  try {
    formatter(timeZone);
    return timeZone;
  } catch {
    const known = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
    let best: string | undefined;
    let bestDistance = Infinity;
    for (const k of known) {
      const d = editDistance(k.toLowerCase(), timeZone.toLowerCase());
      if (d < bestDistance) [best, bestDistance] = [k, d];
    }
    const hint = best && bestDistance <= 3 ? `; did you mean "${best}"?` : ' (for example Asia/Seoul, UTC, America/New_York)';
    throw new CronError(`time zone "${timeZone}" is not an IANA time zone name${hint}`);
  }
}

interface Wall {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

function wallClock(ms: number, timeZone: string): Wall & { second: number } {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(ms))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return { year: parts.year, month: parts.month, day: parts.day, hour: parts.hour, minute: parts.minute, second: parts.second };
}

/** Minutes the zone is ahead of UTC at instant `ms`. */
export function zoneOffsetMinutes(ms: number, timeZone: string): number {
  const w = wallClock(ms, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60000);
}

/** The instant a wall-clock minute in `timeZone` happens, or undefined when the clock skips it (daylight saving). */
function wallToInstant(w: Wall, timeZone: string): number | undefined {
  const naive = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute);
  let guess = naive - zoneOffsetMinutes(naive, timeZone) * 60000;
  guess = naive - zoneOffsetMinutes(guess, timeZone) * 60000;
  const back = wallClock(guess, timeZone);
  if (back.year !== w.year || back.month !== w.month || back.day !== w.day || back.hour !== w.hour || back.minute !== w.minute) return undefined;
  return guess;
}

function dayMatches(s: CronSchedule, year: number, month: number, day: number): boolean {
  if (!s.months.has(month)) return false;
  const dow = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  const dom = s.daysOfMonth.has(day);
  const dw = s.daysOfWeek.has(dow);
  return s.domStar || s.dowStar ? dom && dw : dom || dw;
}

const sorted = (set: ReadonlySet<number>) => [...set].sort((a, b) => a - b);

/** The first time after `afterMs` (strictly) that the schedule fires in `timeZone`, or undefined if none within five years. */
export function nextFireTime(s: CronSchedule, timeZone: string, afterMs: number): number | undefined {
  const start = wallClock(afterMs, timeZone);
  const hours = sorted(s.hours);
  const minutes = sorted(s.minutes);
  const day0 = Date.UTC(start.year, start.month - 1, start.day);
  for (let i = 0; i < 366 * 5 + 2; i++) {
    const d = new Date(day0 + i * 86400000);
    const [year, month, day] = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
    if (!dayMatches(s, year, month, day)) continue;
    for (const hour of hours) {
      if (i === 0 && hour < start.hour) continue;
      for (const minute of minutes) {
        const at = wallToInstant({ year, month, day, hour, minute }, timeZone);
        if (at !== undefined && at > afterMs) return at;
      }
    }
  }
  return undefined;
}

/** Every time the schedule fired in (fromMs, toMs], oldest first, at most `limit`. */
export function fireTimesBetween(s: CronSchedule, timeZone: string, fromMs: number, toMs: number, limit = 1000): number[] {
  const out: number[] = [];
  let t = fromMs;
  while (out.length < limit) {
    const next = nextFireTime(s, timeZone, t);
    if (next === undefined || next > toMs) break;
    out.push(next);
    t = next;
  }
  return out;
}

function fieldText(values: readonly number[], min: number, max: number): string {
  if (values.length === max - min + 1) return '*';
  return values.join(',');
}

/**
 * The schedule as KFP's six-field cron (seconds minute hour day-of-month month day-of-week), which
 * KFP's scheduled-workflow controller evaluates in UTC. A zone with a fixed offset is shifted into
 * UTC; a zone that changes its clock (daylight saving) cannot be written and is refused.
 */
export function kfpCron(s: CronSchedule, timeZone: string, nowMs: number): string {
  const parts = s.text.startsWith('@') ? (MACROS[s.text.toLowerCase()] ?? s.text).split(/\s+/) : s.text.split(/\s+/);
  const offsets = new Set<number>();
  for (let day = 0; day <= 366; day += 7) offsets.add(zoneOffsetMinutes(nowMs + day * 86400000, timeZone));
  if (offsets.size > 1) {
    throw new CronError(`KFP evaluates cron schedules in UTC, and ${timeZone} changes its clock during the year (daylight saving), so "${s.text}" cannot be kept at the same local time on KFP; give the schedule in UTC or a zone without daylight saving`);
  }
  const offset = [...offsets][0];
  if (offset === 0) return ['0', ...parts.map((p) => p.replace(/\?/g, '*'))].join(' ');
  // Each local (hour, minute) becomes a UTC one and a day shift.
  const shifted = new Map<number, { hour: number; minute: number }[]>();
  for (const hour of s.hours) {
    for (const minute of s.minutes) {
      const utc = hour * 60 + minute - offset;
      const shift = Math.floor(utc / 1440);
      const m = ((utc % 1440) + 1440) % 1440;
      const list = shifted.get(shift) ?? [];
      list.push({ hour: Math.floor(m / 60), minute: m % 60 });
      shifted.set(shift, list);
    }
  }
  const dayRestricted = !(s.domStar && s.dowStar) || s.months.size < 12;
  if (dayRestricted && shifted.size > 1) {
    throw new CronError(`cron "${s.text}" in ${timeZone} falls on different UTC days depending on the hour, which KFP's UTC cron cannot express; give the schedule in UTC`);
  }
  const all = [...shifted.values()].flat();
  const hours = [...new Set(all.map((x) => x.hour))].sort((a, b) => a - b);
  const minutes = [...new Set(all.map((x) => x.minute))].sort((a, b) => a - b);
  if (hours.length * minutes.length !== new Set(all.map((x) => x.hour * 60 + x.minute)).size || hours.length * minutes.length !== all.length) {
    throw new CronError(`cron "${s.text}" in ${timeZone} does not map onto one UTC minute and hour list for KFP; give the schedule in UTC`);
  }
  const shift = [...shifted.keys()][0];
  let dom = parts[2].replace(/\?/g, '*');
  let dow = parts[4].replace(/\?/g, '*');
  const month = parts[3];
  if (dayRestricted && shift !== 0) {
    if (!s.domStar || s.months.size < 12) {
      throw new CronError(`cron "${s.text}" in ${timeZone} moves to another day in UTC, and a day of month or month cannot be moved for KFP; give the schedule in UTC`);
    }
    dom = '*';
    dow = sorted(new Set([...s.daysOfWeek].map((d) => (((d + shift) % 7) + 7) % 7))).join(',');
  }
  return ['0', fieldText(minutes, 0, 59), fieldText(hours, 0, 23), dom, month, dow].join(' ');
}
