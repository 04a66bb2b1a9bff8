/** A pipeline's schedule: when it runs, how many at once, whether missed runs are made up, with which parameter values. */
import type { PipelineParameterValue } from '../pipeline/types.ts';

export type ScheduleTarget = 'argo' | 'kfp' | 'local';
export const SCHEDULE_TARGETS: readonly ScheduleTarget[] = ['argo', 'kfp', 'local'];

/** `cron`: every time the cron fires; `data-changed`: at those times, only when the dataset inputs changed since the last successful run. */
export type ScheduleTrigger = 'cron' | 'data-changed';

export interface ScheduleSpec {
  /** Lowercase letters, digits and '-', at most 52 characters (Argo's limit for a CronWorkflow). */
  name: string;
  /** Five-field cron (minute hour day-of-month month day-of-week) or a macro such as `@weekly`. */
  cron: string;
  /** IANA time zone the cron is read in. */
  timezone: string;
  /** Runs of this schedule allowed at once, 1-10 (KFP's range). */
  maxConcurrency: number;
  /** Make up runs missed while the scheduler was down (only the latest one, as Argo and KFP do). */
  catchUp: boolean;
  /** Pipeline parameter values each run uses (missing ones take the parameter's default). */
  parameters: Record<string, PipelineParameterValue>;
  trigger: ScheduleTrigger;
}

/** Label every scheduled object and the runs it starts carry. */
export const SCHEDULE_LABEL = 'pipewright.dev/schedule';
export const PIPELINE_LABEL = 'pipewright.dev/pipeline';
/** Annotation of a Pipewright CronWorkflow: `cron` or `data-changed`. */
export const TRIGGER_ANNOTATION = 'pipewright.dev/trigger';
/** Label Argo's controller puts on each Workflow a CronWorkflow starts. */
export const ARGO_CRON_LABEL = 'workflows.argoproj.io/cron-workflow';

export class ScheduleError extends Error {
  constructor(message: string, readonly field?: string) {
    super(message);
    this.name = 'ScheduleError';
  }
}

export const DEFAULT_TIMEZONE = 'UTC';
