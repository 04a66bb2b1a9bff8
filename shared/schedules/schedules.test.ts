import { describe, expect, it } from 'vitest';
import { catalog } from '../../node-catalog/index.ts';
import { templateDocument } from '../../node-catalog/templates/index.ts';
import { argoCronWorkflowCheck, kfpRecurringRunCheck } from '../../test/fixtures/schemaCheck.ts';
import { argoWorkflow } from '../compile/argo.ts';
import type { PipelineDocument } from '../pipeline/types.ts';
import { argoCronWorkflow } from './argo.ts';
import { checkSchedule } from './check.ts';
import { CronError, checkTimeZone, fireTimesBetween, kfpCron, nextFireTime, parseCron, WEEKLY_SUNDAY_0200 } from './cron.ts';
import { kfpRecurringRun } from './kfp.ts';
import type { ScheduleSpec } from './types.ts';

/** The parts of a CronWorkflow (or Workflow) the tests read. */
interface Cw {
  kind: string;
  spec: {
    schedules: string[];
    timezone: string;
    concurrencyPolicy: string;
    startingDeadlineSeconds: number;
    workflowMetadata: { labels: Record<string, string> };
    entrypoint: string;
    templates: unknown[];
    workflowSpec: { templates: unknown[]; entrypoint: string; arguments: { parameters: { name: string; value: string }[] } };
  };
}

const NOW = Date.parse('2026-12-01T00:00:00Z');

function doc(): PipelineDocument {
  const d = templateDocument('korean-llm-smoke')!;
  d.parameters = [
    { name: 'cpt_learning_rate', type: 'number', default: 0.0002 },
    { name: 'run_note', type: 'string', default: 'weekly' },
  ];
  return d;
}

const weekly: ScheduleSpec = {
  name: 'korean-llm-smoke-weekly',
  cron: WEEKLY_SUNDAY_0200,
  timezone: 'Asia/Seoul',
  maxConcurrency: 1,
  catchUp: true,
  parameters: { cpt_learning_rate: 0.0001 },
  trigger: 'cron',
};

describe('cron parsing', () => {
  it.each([
    ['0 2 * *', /has 4 fields; give five/],
    ['0 0 2 * * 0', /6 fields.*seconds field/],
    ['61 2 * * 0', /minute 61 is out of range 0-59/],
    ['0 24 * * 0', /hour 24 is out of range 0-23/],
    ['0 2 0 * *', /day of month 0 is out of range 1-31/],
    ['0 2 * 13 *', /month 13 is out of range 1-12/],
    ['0 2 * * FUNDAY', /day of week "FUNDAY" is not a number or a name \(SUN, MON/],
    ['0 5-2 * * *', /hour range 5-2 runs backwards/],
    ['*/0 * * * *', /minute step "0" must be a whole number of 1 or more/],
    ['0 ? * * *', /'\?' is only allowed for day of month or day of week, not hour/],
    ['@fortnightly', /unknown macro/],
    ['', /cron expression is empty/],
  ])('%j is refused naming what is wrong', (text, message) => {
    expect(() => parseCron(text)).toThrow(CronError);
    expect(() => parseCron(text)).toThrow(message);
  });

  it('reads lists, ranges, steps, names, 7 as Sunday and macros', () => {
    const s = parseCron('*/15 9-17/4 * JAN,jul MON-FRI');
    expect([...s.minutes]).toEqual([0, 15, 30, 45]);
    expect([...s.hours]).toEqual([9, 13, 17]);
    expect([...s.months]).toEqual([1, 7]);
    expect([...s.daysOfWeek]).toEqual([1, 2, 3, 4, 5]);
    expect([...parseCron('0 0 * * 7').daysOfWeek]).toEqual([0]);
    expect(parseCron('@weekly').daysOfWeek).toEqual(parseCron('0 0 * * 0').daysOfWeek);
  });

  it('names a misspelt time zone with the closest real one', () => {
    expect(() => checkTimeZone('Asia/Seol')).toThrow('time zone "Asia/Seol" is not an IANA time zone name; did you mean "Asia/Seoul"?');
    expect(() => checkTimeZone('Mars/Olympus')).toThrow(/not an IANA time zone name/);
    expect(checkTimeZone('Asia/Seoul')).toBe('Asia/Seoul');
  });
});

describe('next fire times', () => {
  it('Sunday 02:00 in Seoul is Saturday 17:00 UTC', () => {
    const next = nextFireTime(parseCron(WEEKLY_SUNDAY_0200), 'Asia/Seoul', NOW);
    expect(new Date(next!).toISOString()).toBe('2026-12-05T17:00:00.000Z');
    const after = nextFireTime(parseCron(WEEKLY_SUNDAY_0200), 'Asia/Seoul', next!);
    expect(after! - next!).toBe(7 * 86400000);
  });

  it('keeps local time across daylight saving and skips a time the clock jumps over', () => {
    // New York: 2026-03-08 02:00 does not exist; 02:30 daily skips that day only.
    const s = parseCron('30 2 * * *');
    const times = fireTimesBetween(s, 'America/New_York', Date.parse('2026-03-06T12:00:00Z'), Date.parse('2026-03-10T12:00:00Z'));
    expect(times.map((t) => new Date(t).toISOString())).toEqual(['2026-03-07T07:30:00.000Z', '2026-03-09T06:30:00.000Z', '2026-03-10T06:30:00.000Z']);
  });

  it('both day of month and day of week restricted: either matches (as cron does)', () => {
    const s = parseCron('0 0 13 * FRI');
    const times = fireTimesBetween(s, 'UTC', Date.parse('2026-02-01T00:00:00Z'), Date.parse('2026-02-16T00:00:00Z'));
    expect(times.map((t) => new Date(t).toISOString().slice(0, 10))).toEqual(['2026-02-06', '2026-02-13']);
  });
});

describe('KFP cron (six fields, UTC)', () => {
  it('shifts a fixed-offset zone into UTC, moving the day of week', () => {
    expect(kfpCron(parseCron(WEEKLY_SUNDAY_0200), 'Asia/Seoul', NOW)).toBe('0 0 17 * * 6');
    expect(kfpCron(parseCron('0 2 * * 0'), 'UTC', NOW)).toBe('0 0 2 * * 0');
    expect(kfpCron(parseCron('30 10 * * *'), 'Asia/Kolkata', NOW)).toBe('0 0 5 * * *');
  });

  it('refuses a zone with daylight saving, and a shift it cannot express', () => {
    expect(() => kfpCron(parseCron('0 2 * * 0'), 'Europe/Berlin', NOW)).toThrow(/Europe\/Berlin changes its clock during the year/);
    expect(() => kfpCron(parseCron('0 2 1 * *'), 'Asia/Seoul', NOW)).toThrow(/moves to another day in UTC/);
    expect(() => kfpCron(parseCron('0 8,10 * * 1'), 'Asia/Seoul', NOW)).toThrow(/different UTC days/);
    // 10:00, 10:20, 10:40 in India are 04:30, 04:50, 05:10 UTC: no single minute list.
    expect(() => kfpCron(parseCron('*/20 10 * * *'), 'Asia/Kolkata', NOW)).toThrow(/does not map onto one UTC minute and hour list/);
  });
});

describe('schedule checks', () => {
  it.each([
    [{ name: 'Weekly' }, 'name', /schedule name "Weekly" must be lowercase/],
    [{ cron: '0 25 * * *' }, 'cron', /hour 25 is out of range/],
    [{ timezone: 'Asia/Seol' }, 'timezone', /did you mean "Asia\/Seoul"/],
    [{ maxConcurrency: 11 }, 'maxConcurrency', /from 1 to 10/],
    [{ parameters: { cpt_lr: 1 } }, 'parameters.cpt_lr', /no parameter "cpt_lr"/],
    [{ parameters: { cpt_learning_rate: 'fast' } }, 'parameters.cpt_learning_rate', /cpt_learning_rate/],
  ])('%j is refused naming the field', (change, field, message) => {
    let caught: unknown;
    try {
      checkSchedule(doc(), catalog, { ...weekly, ...change } as ScheduleSpec);
    } catch (err) {
      caught = err;
    }
    expect((caught as { field?: string }).field).toBe(field);
    expect((caught as Error).message).toMatch(message);
  });
});

describe('Argo CronWorkflow', () => {
  const check = argoCronWorkflowCheck();

  it('is valid against Argo\'s schema and carries the schedule and the pipeline\'s workflow spec', () => {
    const cw = argoCronWorkflow(doc(), catalog, weekly, NOW) as unknown as Cw;
    expect(check(cw)).toEqual([]);
    expect(cw.kind).toBe('CronWorkflow');
    expect(cw.spec.schedules).toEqual(['0 2 * * 0']);
    expect(cw.spec.timezone).toBe('Asia/Seoul');
    expect(cw.spec.concurrencyPolicy).toBe('Forbid');
    expect(cw.spec.startingDeadlineSeconds).toBe(7 * 86400);
    expect(cw.spec.workflowMetadata.labels['pipewright.dev/schedule']).toBe('korean-llm-smoke-weekly');
    const wf = argoWorkflow(doc(), catalog) as unknown as Cw;
    expect(cw.spec.workflowSpec.templates).toEqual(wf.spec.templates);
    expect(cw.spec.workflowSpec.entrypoint).toBe(wf.spec.entrypoint);
    const params = cw.spec.workflowSpec.arguments.parameters as { name: string; value: string }[];
    expect(params.find((p) => p.name === 'cpt_learning_rate')?.value).toBe('0.0001');
    expect(params.find((p) => p.name === 'run_note')?.value).toBe('weekly');
  });

  it('no catch-up is a zero starting deadline; more than one at a time is Allow', () => {
    const cw = argoCronWorkflow(doc(), catalog, { ...weekly, catchUp: false, maxConcurrency: 3 }, NOW) as unknown as Cw;
    expect(check(cw)).toEqual([]);
    expect(cw.spec.startingDeadlineSeconds).toBe(0);
    expect(cw.spec.concurrencyPolicy).toBe('Allow');
  });

  it('the schema check itself catches a misspelt field', () => {
    const cw = argoCronWorkflow(doc(), catalog, weekly, NOW) as unknown as Cw;
    expect(check({ ...cw, spec: { ...cw.spec, timeZone: 'UTC' } })).toEqual(['/spec/timeZone: not a field of this object']);
  });
});

describe('KFP RecurringRun', () => {
  const check = kfpRecurringRunCheck();

  it('is valid against KFP\'s swagger with the UTC cron, concurrency, catch-up and runtime parameters', () => {
    const body = kfpRecurringRun(doc(), catalog, { ...weekly, maxConcurrency: 2, catchUp: false }, { experimentId: 'exp-1' }, NOW);
    expect(check(body)).toEqual([]);
    expect(body.trigger.cron_schedule.cron).toBe('0 0 17 * * 6');
    expect(body.max_concurrency).toBe('2');
    expect(body.no_catchup).toBe(true);
    expect(body.runtime_config.parameters).toEqual({ cpt_learning_rate: 0.0001, run_note: 'weekly' });
    expect(body.experiment_id).toBe('exp-1');
    expect((body.pipeline_spec as { pipelineInfo: { name: string } }).pipelineInfo.name).toBe('korean-llm-smoke');
  });

  it('refers to an uploaded pipeline version instead of the inline spec when given one', () => {
    const body = kfpRecurringRun(doc(), catalog, weekly, { pipelineId: 'p1', pipelineVersionId: 'v2' }, NOW);
    expect(check(body)).toEqual([]);
    expect(body.pipeline_spec).toBeUndefined();
    expect(body.pipeline_version_reference).toEqual({ pipeline_id: 'p1', pipeline_version_id: 'v2' });
  });

  it('the swagger check refuses output-only fields', () => {
    const body = kfpRecurringRun(doc(), catalog, weekly, {}, NOW);
    expect(check({ ...body, namespace: 'kubeflow' })).toEqual(['/namespace: output only, not for a request']);
  });
});
