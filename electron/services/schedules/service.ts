/** The app's local schedules: the LocalScheduler over the data folder, run through the runs service while the back end is up. */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { catalog } from '../../../node-catalog/index.ts';
import type { RunsApi } from '../../../shared/api/runs.ts';
import type { LocalScheduleView, SchedulesApi } from '../../../shared/api/schedules.ts';
import { parsePipelineText } from '../../../shared/pipeline/load.ts';
import { runParameterValues } from '../../../shared/pipeline/parameters.ts';
import { hasErrors, validatePipeline } from '../../../shared/pipeline/validate.ts';
import { checkSchedule } from '../../../shared/schedules/check.ts';
import { nextFireTime, parseCron } from '../../../shared/schedules/cron.ts';
import { ScheduleError } from '../../../shared/schedules/types.ts';
import { fingerprintData, fingerprintsOfRecord } from './dataChange.ts';
import { LocalScheduler, type LocalSchedule } from './localScheduler.ts';

async function readPipeline(file: string) {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    throw new Error(`cannot read ${file}: ${(err as Error).message}`);
  }
  const loaded = parsePipelineText(text, path.basename(file));
  if (!loaded.ok) throw new Error(`${file}: ${loaded.error.message}`);
  return loaded.document;
}

function view(s: LocalSchedule, now: number): LocalScheduleView {
  const next = s.paused ? undefined : nextFireTime(parseCron(s.cron), s.timezone, Math.max(now, s.handledUntil));
  const last = s.history[s.history.length - 1];
  return {
    name: s.name,
    cron: s.cron,
    timezone: s.timezone,
    maxConcurrency: s.maxConcurrency,
    catchUp: s.catchUp,
    parameters: s.parameters,
    trigger: s.trigger,
    pipeline: s.pipeline,
    file: s.file,
    paused: s.paused,
    next: next === undefined ? null : new Date(next).toISOString(),
    last: last ? { at: new Date(last.at).toISOString(), outcome: last.outcome, runId: last.runId, message: last.message } : null,
  };
}

export interface SchedulesService {
  api: SchedulesApi;
  /** Stops firing (the app is closing); resolves once a tick in progress has finished writing. */
  stop(): Promise<void>;
}

export function createSchedulesService(options: { dataDir: string; runs?: RunsApi; env?: Readonly<Record<string, string | undefined>>; intervalMs?: number; now?: () => number }): SchedulesService {
  const now = options.now ?? Date.now;
  const runs = options.runs;
  const scheduler = new LocalScheduler({
    dataDir: options.dataDir,
    now,
    startRun: async (s) => {
      if (!runs) throw new Error('runs are not available in this back end');
      const document = await readPipeline(s.file);
      const problems = validatePipeline(document, catalog);
      if (hasErrors(problems)) throw new Error(`${s.file} has ${problems.filter((p) => p.severity === 'error').length} error(s); fix them to let the schedule run it`);
      const run = await runs.startRun({ document, target: 'local', parameterValues: s.parameters, scheduledBy: `local:${s.name}` });
      return { runId: run.id };
    },
    runState: async (runId) => {
      const phase = (await runs!.getRun(runId)).phase;
      return phase === 'pending' || phase === 'running' ? 'running' : phase === 'succeeded' ? 'succeeded' : phase === 'cancelled' ? 'cancelled' : 'failed';
    },
    fingerprint: async (s) => {
      const document = await readPipeline(s.file);
      return fingerprintData(document, catalog, runParameterValues(document, catalog, s.parameters).values, options.env ?? process.env);
    },
    lastSuccessfulRunData: async (s) => {
      if (!runs) return undefined;
      const last = (await runs.listRuns()).find((r) => r.pipelineName === s.pipeline && r.phase === 'succeeded');
      const data = last ? fingerprintsOfRecord((await runs.getRun(last.id)).inputs) : undefined;
      return last && data ? { runId: last.id, data } : undefined;
    },
  });
  const controller = new AbortController();
  const serving = runs ? scheduler.serve(controller.signal, options.intervalMs ?? 15_000) : Promise.resolve();
  const api: SchedulesApi = {
    listSchedules: async () => ({ schedules: (await scheduler.list()).map((s) => view(s, now())), serving: runs !== undefined && !controller.signal.aborted }),
    async addSchedule(documentPath, spec) {
      const document = await readPipeline(documentPath);
      try {
        checkSchedule(document, catalog, spec, 'local');
      } catch (err) {
        if (err instanceof ScheduleError) throw new Error(`${err.field ?? 'schedule'}: ${err.message}`);
        throw err;
      }
      return view(await scheduler.add(spec, documentPath, document.name), now());
    },
    setSchedulePaused: async (name, paused) => {
      await scheduler.setPaused(name, paused);
      const found = (await scheduler.list()).find((s) => s.name === name)!;
      return view(found, now());
    },
    deleteSchedule: (name) => scheduler.remove(name),
  };
  return {
    api,
    stop: () => {
      controller.abort();
      return serving;
    },
  };
}
