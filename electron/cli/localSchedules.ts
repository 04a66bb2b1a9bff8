/** The local target's schedules from the CLI: kept in the data folder, run by `pipewright schedule --serve`. */
import { catalog } from '../../node-catalog/index.ts';
import { runParameterValues } from '../../shared/pipeline/parameters.ts';
import { hasErrors, validatePipeline } from '../../shared/pipeline/validate.ts';
import type { RunManager } from '../services/runs/manager.ts';
import { fingerprintData, fingerprintsOfRecord } from '../services/schedules/dataChange.ts';
import { LocalScheduler, type LocalSchedule, type RunState } from '../services/schedules/localScheduler.ts';
import { readPipelineFile, summarizeProblems } from './pipelineFile.ts';
import { dataDirOf } from './runtime.ts';
import type { CliIo } from './types.ts';

async function loadForRun(s: LocalSchedule, io: CliIo) {
  const loaded = await readPipelineFile(s.file, io.cwd);
  if (!loaded.ok) throw new Error(`${s.file}: ${loaded.error.message}`);
  const problems = validatePipeline(loaded.document, catalog);
  if (hasErrors(problems)) throw new Error(`${s.file}: ${summarizeProblems(problems)}`);
  return loaded.document;
}

/** A scheduler over the data folder; with `manager` it can start runs (for --serve). */
export function localScheduler(io: CliIo, manager?: RunManager, now: () => number = Date.now): LocalScheduler {
  const noManager = (): never => {
    throw new Error('runs are started by `pipewright schedule --serve` or the app');
  };
  return new LocalScheduler({
    dataDir: dataDirOf(io),
    now,
    startRun: async (s) => {
      if (!manager) return noManager();
      const document = await loadForRun(s, io);
      const run = await manager.startRun({ document, target: 'local', parameterValues: s.parameters, scheduledBy: `local:${s.name}` });
      return { runId: run.id };
    },
    runState: async (runId): Promise<RunState> => {
      if (!manager) return noManager();
      const phase = (await manager.history.read(runId)).phase;
      return phase === 'pending' || phase === 'running' ? 'running' : phase === 'succeeded' ? 'succeeded' : phase === 'cancelled' ? 'cancelled' : 'failed';
    },
    fingerprint: async (s) => {
      const document = await loadForRun(s, io);
      return fingerprintData(document, catalog, runParameterValues(document, catalog, s.parameters).values, io.env);
    },
    lastSuccessfulRunData: async (s) => {
      if (!manager) return undefined;
      const last = (await manager.history.list()).find((r) => r.pipelineName === s.pipeline && r.phase === 'succeeded');
      if (!last) return undefined;
      const data = fingerprintsOfRecord((await manager.history.read(last.id)).inputs);
      return data ? { runId: last.id, data } : undefined;
    },
  });
}

export function formatLocalSchedules(list: readonly LocalSchedule[]): string {
  if (list.length === 0) return 'No local schedules.\n';
  const rows = [['NAME', 'PIPELINE', 'CRON', 'TIME ZONE', 'TRIGGER', 'STATE', 'AT ONCE', 'CATCH-UP', 'LAST']];
  for (const s of list) {
    const last = s.history[s.history.length - 1];
    rows.push([s.name, s.pipeline, s.cron, s.timezone, s.trigger === 'data-changed' ? 'data changed' : 'every time', s.paused ? 'paused' : 'active', String(s.maxConcurrency), s.catchUp ? 'on' : 'off', last ? `${new Date(last.at).toISOString()} ${last.outcome}${last.runId ? ` ${last.runId}` : ''}` : '-']);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => `${r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd()}\n`).join('');
}
