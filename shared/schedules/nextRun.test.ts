import { describe, expect, it } from 'vitest';
import { nextArgoRun, nextKfpRun } from './nextRun.ts';

const at = (iso: string) => Date.parse(iso);

describe('next run of a cluster schedule', () => {
  it('Argo: in the CronWorkflow’s zone, earliest of its schedules, strictly after now', () => {
    // 03:00 in Seoul = 18:00 UTC the day before.
    expect(nextArgoRun(['0 3 * * *'], 'Asia/Seoul', at('2026-03-01T12:00:00Z'))).toBe('2026-03-01T18:00:00.000Z');
    expect(nextArgoRun(['0 3 * * *'], 'Asia/Seoul', at('2026-03-01T18:00:00Z'))).toBe('2026-03-02T18:00:00.000Z');
    expect(nextArgoRun(['0 2 * * 0', '30 1 * * *'], 'UTC', at('2026-03-01T01:00:00Z'))).toBe('2026-03-01T01:30:00.000Z');
    // New York's daylight saving starts 2026-03-08: 02:30 does not happen that day.
    expect(nextArgoRun(['30 2 * * *'], 'America/New_York', at('2026-03-08T05:00:00Z'))).toBe('2026-03-09T06:30:00.000Z');
  });

  it('Argo: unknown without a zone (the controller’s own) or with a cron it cannot read', () => {
    expect(nextArgoRun(['0 3 * * *'], undefined, at('2026-03-01T12:00:00Z'))).toBeUndefined();
    expect(nextArgoRun(['not a cron'], 'UTC', at('2026-03-01T12:00:00Z'))).toBeUndefined();
    expect(nextArgoRun([], 'UTC', at('2026-03-01T12:00:00Z'))).toBeUndefined();
  });

  it('KFP: six fields, seconds first, in UTC', () => {
    expect(nextKfpRun('0 0 17 * * 6', at('2026-03-01T12:00:00Z'))).toBe('2026-03-07T17:00:00.000Z');
    expect(nextKfpRun('30 15 * * * *', at('2026-03-01T12:15:29Z'))).toBe('2026-03-01T12:15:30.000Z');
    expect(nextKfpRun('30 15 * * * *', at('2026-03-01T12:15:30Z'))).toBe('2026-03-01T13:15:30.000Z');
    expect(nextKfpRun('0 30 4 * * *', at('2026-03-01T04:30:00Z'))).toBe('2026-03-02T04:30:00.000Z');
    expect(nextKfpRun('0 0 * * *', at('2026-03-01T04:30:00Z'))).toBe('2026-03-02T00:00:00.000Z');
    expect(nextKfpRun('0,30 0 * * * *', at('2026-03-01T04:30:00Z'))).toBeUndefined();
    expect(nextKfpRun('@every 1h', at('2026-03-01T04:30:00Z'))).toBeUndefined();
  });
});
