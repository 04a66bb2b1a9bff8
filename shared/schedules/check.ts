/** Checks a schedule against its pipeline: name, cron, time zone, concurrency and parameter values, each error naming the field. */
import type { NodeCatalog } from '../pipeline/catalog.ts';
import { runParameterValues } from '../pipeline/parameters.ts';
import type { SampleTarget } from '../pipeline/runSamples.ts';
import type { PipelineDocument, PipelineParameterValue } from '../pipeline/types.ts';
import { CronError, checkTimeZone, parseCron, type CronSchedule } from './cron.ts';
import { ScheduleError, type ScheduleSpec } from './types.ts';

const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export interface CheckedSchedule {
  spec: ScheduleSpec;
  cron: CronSchedule;
  /** Every parameter's value for each run: the schedule's, else the default. */
  values: Record<string, PipelineParameterValue>;
}

/** The default name of a pipeline's schedule. */
export function defaultScheduleName(pipeline: string): string {
  return `${pipeline.slice(0, 43).replace(/-+$/, '')}-schedule`;
}

/** Throws ScheduleError (with `field`) for the first thing wrong with `spec`. */
export function checkSchedule(doc: PipelineDocument, catalog: NodeCatalog, spec: ScheduleSpec, target?: SampleTarget): CheckedSchedule {
  if (!NAME.test(spec.name) || spec.name.length > 52) {
    throw new ScheduleError(`schedule name ${JSON.stringify(spec.name)} must be lowercase letters, digits and '-', at most 52 characters`, 'name');
  }
  let cron: CronSchedule;
  try {
    cron = parseCron(spec.cron);
    checkTimeZone(spec.timezone);
  } catch (err) {
    if (err instanceof CronError) throw new ScheduleError(err.message, err.message.startsWith('time zone') ? 'timezone' : 'cron');
    throw err;
  }
  if (!Number.isInteger(spec.maxConcurrency) || spec.maxConcurrency < 1 || spec.maxConcurrency > 10) {
    throw new ScheduleError(`max concurrency ${spec.maxConcurrency} must be a whole number from 1 to 10`, 'maxConcurrency');
  }
  const run = runParameterValues(doc, catalog, spec.parameters, target);
  if (run.problems.length > 0) throw new ScheduleError(run.problems.map((p) => p.message).join(' '), `parameters.${run.problems[0].parameter}`);
  return { spec, cron, values: run.values };
}
