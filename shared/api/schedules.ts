/** Local schedules from the app: kept in the data folder, run while the app is open. */
import type { ScheduleSpec } from '../schedules/types.ts';

export interface LocalScheduleView extends ScheduleSpec {
  pipeline: string;
  /** The pipeline file each run reads when it starts. */
  file: string;
  paused: boolean;
  /** ISO time of the next firing, null when paused or none. */
  next: string | null;
  last: { at: string; outcome: 'started' | 'unchanged' | 'skipped' | 'failed'; runId?: string; message: string } | null;
}

export interface SchedulesApi {
  /** `serving`: this back end runs them now (always true in the app; they stop when it closes). */
  listSchedules(): Promise<{ schedules: LocalScheduleView[]; serving: boolean }>;
  /** Adds or replaces (by name) a schedule of the saved pipeline at `documentPath`. */
  addSchedule(documentPath: string, spec: ScheduleSpec): Promise<LocalScheduleView>;
  setSchedulePaused(name: string, paused: boolean): Promise<LocalScheduleView>;
  deleteSchedule(name: string): Promise<void>;
}
