import { TERMINAL_RUN_PHASES } from '../../../shared/runs/types.ts';
import type { RunSummary } from '../../../shared/runs/types.ts';
import { ownerState } from '../../services/runs/runFiles.ts';
import { durationOf, formatTable } from '../runFormat.ts';
import { formatParamValues } from '../runParams.ts';
import { dataDirOf, openRunManager } from '../runtime.ts';
import { EXIT_OK, type CliCommand, type CliIo } from '../types.ts';
import type { RunManager } from '../../services/runs/manager.ts';
import { ClusterScheduleRegistry, type ClusterScheduleEntry } from '../../services/schedules/clusterRegistry.ts';

function nodeCounts(run: RunSummary): string {
  const counts = new Map<string, number>();
  for (const node of Object.values(run.nodes)) counts.set(node.phase, (counts.get(node.phase) ?? 0) + 1);
  return [...counts].map(([phase, n]) => `${n} ${phase}`).join(', ');
}

/** How long `pipewright runs` waits for newly found scheduled runs to show their state (a finished one: its logs too). */
const IMPORT_SETTLE_MS = 10_000;
/** How long `pipewright runs` looks for scheduled runs on the clusters before listing without them. */
const DISCOVERY_CAP_MS = 20_000;

/** Imports the runs the cluster schedules this data folder made have started since, and waits (briefly) for their first state. */
async function importScheduled(manager: RunManager, entries: ClusterScheduleEntry[], io: CliIo): Promise<void> {
  const { importScheduledRuns } = await import('../../services/schedules/cluster.ts');
  const settled = new Map<string, () => void>();
  const running = new Set<string>();
  const unsubscribe = manager.subscribe((event) => {
    if (event.kind !== 'run-phase' || event.phase !== 'running') return;
    running.add(event.runId);
    settled.get(event.runId)?.();
  });
  try {
    // A cluster that does not answer must not hold the runs list up: give up looking after a while.
    const stop = new AbortController();
    let capTimer: NodeJS.Timeout | undefined;
    const capped = new Promise<'late'>((resolve) => (capTimer = setTimeout(() => resolve('late'), DISCOVERY_CAP_MS)));
    const outcome = await Promise.race([importScheduledRuns(entries, manager, { env: io.env, signal: stop.signal }), capped]);
    clearTimeout(capTimer);
    if (outcome === 'late') {
      stop.abort();
      io.stderr(`warning  the clusters of ${entries.length} schedule(s) did not answer within ${DISCOVERY_CAP_MS / 1000} s; runs they started are not listed yet\n`);
      return;
    }
    const found = outcome;
    for (const e of found.errors) io.stderr(`warning  ${e}\n`);
    if (found.imported.length > 0) io.stderr(`Found ${found.imported.length} new scheduled run${found.imported.length === 1 ? '' : 's'} on the cluster.\n`);
    const waits = found.imported.map(
      (r) =>
        new Promise<void>((resolve) => {
          if (running.has(r.id)) return resolve();
          settled.set(r.id, resolve);
          void manager.waitForRun(r.id).then(() => resolve(), () => resolve());
        }),
    );
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(waits), new Promise<void>((resolve) => (timer = setTimeout(resolve, IMPORT_SETTLE_MS)))]);
    clearTimeout(timer);
  } finally {
    unsubscribe();
  }
}

export const command: CliCommand = {
  name: 'runs',
  summary: 'List the runs in the run history (the app\'s and the command line\'s), newest first',
  usage: 'pipewright runs [--json]',
  description: [
    'One row per run: id, pipeline, target, phase, start time, duration and its stages by phase.',
    'A run marked "interrupted" was still running when the process running it went away;',
    'the app settles it when it starts, or run `pipewright cancel <id>`.',
    'Runs that cluster schedules made with `pipewright schedule` (or the app) have started since are',
    'found on the cluster first and added, marked "scheduled: NAME", with their status, logs and metrics.',
  ].join('\n'),
  options: { json: { type: 'boolean', description: 'Print the runs as JSON (RunSummary objects)' } },
  async run(args, io) {
    let entries: ClusterScheduleEntry[] = [];
    try {
      entries = await new ClusterScheduleRegistry(dataDirOf(io)).list();
    } catch (err) {
      io.stderr(`warning  cluster schedules not looked at: ${(err as Error).message}\n`);
    }
    const { manager } = await openRunManager(io, [...new Set(entries.map((e) => e.target))]);
    if (entries.length > 0) await importScheduled(manager, entries, io);
    const runs = await manager.listRuns();
    await manager.close();
    if (args.options.json) {
      io.stdout(`${JSON.stringify(runs, null, 2)}\n`);
      return EXIT_OK;
    }
    if (runs.length === 0) {
      io.stdout(`No runs yet in ${manager.history.root}. Start one with: pipewright run FILE --target local\n`);
      return EXIT_OK;
    }
    const rows: string[][] = [];
    // The run-time parameter values each run used, when any run had some.
    const withParams = runs.some((r) => r.parameterValues && Object.keys(r.parameterValues).length > 0);
    for (const run of runs) {
      const open = !TERMINAL_RUN_PHASES.includes(run.phase);
      const orphaned = open && (await ownerState(manager.history.dir(run.id))) === 'none';
      const started = run.createdAt.replace('T', ' ').slice(0, 19);
      const row = [run.id, run.pipelineName, run.scheduledBy ? `${run.target} (scheduled: ${run.scheduleName ?? run.scheduledBy})` : run.target, orphaned ? `${run.phase} (interrupted)` : run.phase, started, durationOf(run.createdAt, run.finishedAt), nodeCounts(run)];
      if (withParams) row.push(formatParamValues(run.parameterValues));
      rows.push(row);
    }
    const headers = ['ID', 'PIPELINE', 'TARGET', 'PHASE', 'STARTED', 'DURATION', 'STAGES'];
    io.stdout(formatTable(withParams ? [...headers, 'PARAMETERS'] : headers, rows));
    // A record that cannot be read is listed as an error run; say why under the table.
    for (const run of runs) if (run.phase === 'error' && run.pipelineName === '' && run.message) io.stdout(`\n${run.id}: ${run.message}\n`);
    return EXIT_OK;
  },
};
