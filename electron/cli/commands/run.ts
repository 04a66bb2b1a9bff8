import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { catalog } from '../../../node-catalog/index.ts';
import { hasErrors, validatePipeline } from '../../../shared/pipeline/validate.ts';
import type { RunEvent, RunTarget } from '../../../shared/runs/types.ts';
import { KFP_CONNECTION_OPTIONS, kfpConnectionFromOptions } from '../kfpOptions.ts';
import { formatProblem, readPipelineFile, summarizeProblems } from '../pipelineFile.ts';
import { alertSummary, durationOf, keyMetrics, nodeSummaryTable } from '../runFormat.ts';
import { settleRecordSync } from '../../services/runs/runFiles.ts';
import { openRunManager } from '../runtime.ts';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, type CliCommand, type CliIo } from '../types.ts';
import { formatParamValues, parseParamOptions } from '../runParams.ts';

const TARGETS: readonly RunTarget[] = ['local', 'kfp', 'argo'];
/** At most one metrics or progress line per node this often. */
const THROTTLE_MS = 2000;

function time(): string {
  return new Date().toTimeString().slice(0, 8);
}

/** Prints a run's events as one line each, metrics and progress throttled per node. */
function createPrinter(io: CliIo, runId: string, nodeIds: string[]): (e: RunEvent) => void {
  const last = new Map<string, number>();
  const width = Math.max(4, ...nodeIds.map((id) => id.length));
  const line = (nodeId: string, text: string) => io.stdout(`${time()}  ${nodeId.padEnd(width)}  ${text}\n`);
  const due = (key: string) => {
    const now = Date.now();
    if (now - (last.get(key) ?? 0) < THROTTLE_MS) return false;
    last.set(key, now);
    return true;
  };
  return (e: RunEvent) => {
    if (e.runId !== runId) return;
    if (e.kind === 'node-phase') line(e.nodeId, e.message ? `${e.phase}: ${e.message}` : e.phase);
    else if (e.kind === 'node-info' && e.engine) line(e.nodeId, `engine ${e.engine}`);
    else if (e.kind === 'metrics' && due(`m:${e.nodeId}`)) {
      const record = e.records[e.records.length - 1];
      line(e.nodeId, `step ${record.step}  ${keyMetrics(record.values, 4)}`);
    } else if (e.kind === 'progress' && due(`p:${e.nodeId}`)) {
      const { current, total, label } = e.progress;
      const percent = total > 0 ? ` (${Math.round((100 * current) / total)}%)` : '';
      line(e.nodeId, `${label ? `${label} ` : ''}${current}/${total}${percent}`);
    } else if (e.kind === 'hint' && e.hint) line(e.nodeId, `${e.hint.reason}: ${e.hint.hint}`);
    else if (e.kind === 'connection') line('run', e.message ?? e.state);
    else if (e.kind === 'alert') line(e.nodeId, `ALERT ${e.alert.message}`);
  };
}

/** Last resort when this process is ending: stop the stage process groups a local run still has. */
function killStagesSync(runDir: string): void {
  const pids = path.join(runDir, 'pids');
  let names: string[] = [];
  try {
    names = readdirSync(pids);
  } catch {
    return;
  }
  for (const name of names) {
    const pgid = Number(readFileSync(path.join(pids, name), 'utf8'));
    try {
      if (pgid > 0) process.kill(-pgid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

export const command: CliCommand = {
  name: 'run',
  summary: 'Run a pipeline on this machine or a cluster and follow it to the end',
  usage: 'pipewright run FILE --target local|kfp|argo [--param NAME=VALUE ...] [--context C] [--namespace N] [--kfp-url URL --kfp-auth session|service-account --kfp-token-env VAR|--kfp-cookie-env VAR|--kfp-service-account SA] [--kfp-service NAME --kfp-service-namespace NS --kfp-port PORT --kfp-scheme http|https] [--experiment E]',
  description: [
    'Validates FILE, starts a run and prints "Started run <id>" (the id is the last word of that first line),',
    'then one line per stage change, metric summaries and progress, and a table of the stages at the end.',
    'The run is recorded in the run history the app shows (PIPEWRIGHT_DATA_DIR, or the per-user data folder).',
    'Each --param NAME=VALUE sets a pipeline parameter for this run (the others take their defaults; one without a default must be given);',
    'the value is read as the parameter\'s type (number, integer, true/false, text) and checked against the range and choices of every node param bound to it.',
    'Ctrl-C cancels the run. `pipewright cancel <id>` from another terminal does too.',
    'Exit status: 0 when the run succeeded, 1 when it failed, was cancelled or could not start, 2 for a wrong command line, 130 after Ctrl-C.',
  ].join('\n'),
  positionals: [{ name: 'FILE', description: 'The pipeline document to run' }],
  options: {
    target: { type: 'string', description: 'Where to run', choices: TARGETS, valueName: TARGETS.join('|'), required: true, short: 't' },
    context: { type: 'string', description: 'kubeconfig context (kfp, argo)', valueName: 'C' },
    namespace: { type: 'string', description: 'Kubernetes namespace (kfp, argo)', valueName: 'N', short: 'n' },
    ...KFP_CONNECTION_OPTIONS,
    param: { type: 'string', multiple: true, description: 'A run-time pipeline parameter value; repeat for several', valueName: 'NAME=VALUE', short: 'p' },
    experiment: { type: 'string', description: 'kfp: the experiment to run in (default: Default)', valueName: 'E' },
  },
  examples: [
    'pipewright run korean-llm-smoke.pipewright.json --target local',
    'pipewright run korean-llm.pipewright.json --target argo --context prod --namespace ml',
    'pipewright run korean-llm.pipewright.json --target local --param cpt_learning_rate=2e-5 --param epochs=2',
    'KFP_TOKEN=... pipewright run korean-llm.pipewright.json --target kfp --kfp-url https://kfp.example.com/pipeline --kfp-token-env KFP_TOKEN',
    'KF_SESSION=... pipewright run korean-llm.pipewright.json --target kfp --namespace team-a --kfp-url https://kubeflow.example.com/pipeline --kfp-cookie-env KF_SESSION',
    'pipewright run korean-llm.pipewright.json --target kfp --namespace team-a --kfp-url https://ml-pipeline.kubeflow:8888 --kfp-auth service-account',
    'pipewright run korean-llm.pipewright.json --target kfp --kfp-scheme https --kfp-port tls',
  ],
  async run(args, io) {
    const [file] = args.positionals;
    const target = args.options.target as RunTarget;
    const loaded = await readPipelineFile(file, io.cwd);
    if (!loaded.ok) {
      io.stderr(`error  file ${file}: ${loaded.error.message}\n`);
      return EXIT_FAILURE;
    }
    const problems = validatePipeline(loaded.document, catalog);
    if (problems.length > 0) io.stderr(problems.map((p) => `${formatProblem(p)}\n`).join(''));
    if (hasErrors(problems)) {
      io.stderr(`${file}: ${summarizeProblems(problems)}. Nothing was started.\n`);
      return EXIT_FAILURE;
    }
    const params = parseParamOptions(loaded.document, catalog, (args.options.param as string[] | undefined) ?? [], args.options.target as RunTarget);
    if (!params.ok) {
      io.stderr(`${params.errors.map((e) => `error  ${e}`).join('\n')}\n${file}: ${params.errors.length} bad parameter value${params.errors.length > 1 ? 's' : ''}. Nothing was started.\n`);
      return EXIT_USAGE;
    }
    const kfp = kfpConnectionFromOptions(args.options, io.env);
    if (kfp.errors.length > 0) {
      io.stderr(`${kfp.errors.map((e) => `error  ${e}`).join('\n')}\nNothing was started.\n`);
      return EXIT_FAILURE;
    }
    const { manager } = await openRunManager(io, [target]);
    const early: RunEvent[] = [];
    let print: (e: RunEvent) => void = (e) => void early.push(e);
    const unsubscribe = manager.subscribe((e) => print(e));
    let started;
    try {
      started = await manager.startRun({
        document: loaded.document,
        target,
        parameterValues: params.values,
        ...(typeof args.options.context === 'string' ? { context: args.options.context } : {}),
        ...(typeof args.options.namespace === 'string' ? { namespace: args.options.namespace } : {}),
        ...(target === 'kfp' ? kfp.request : {}),
        ...(typeof args.options.experiment === 'string' ? { experiment: args.options.experiment } : {}),
      });
    } catch (err) {
      unsubscribe();
      await manager.close();
      io.stderr(`error  cannot start ${file} on ${target}: ${(err as Error).message}\n`);
      return EXIT_FAILURE;
    }
    const runId = started.id;
    const runDir = manager.history.dir(runId);
    let interrupted = false;
    const onExit = () => {
      killStagesSync(runDir);
      // Ctrl-C a second time (or a stop that outlasted the bin's limit): the stages are killed above; say so in the record.
      if (interrupted) settleRecordSync(runDir, 'cancelled', 'Cancelled (Ctrl-C); its stages were killed');
    };
    process.once('exit', onExit);
    io.stdout(`Started run ${runId}\n`);
    if (Object.keys(params.values).length > 0) io.stdout(`  parameters: ${formatParamValues(params.values)}\n`);
    io.stdout(`  ${target} run of ${started.pipelineName}${started.external?.workspace ? `, workspace ${started.external.workspace}` : ''}; logs: pipewright logs ${runId} --follow\n`);
    print = createPrinter(io, runId, Object.keys(started.nodes));
    for (const e of early) print(e);
    const onAbort = () => {
      interrupted = true;
      io.stderr(`Cancelling run ${runId}... (Ctrl-C again to stop at once)\n`);
      void manager.cancelRun(runId);
    };
    io.signal.addEventListener('abort', onAbort, { once: true });
    const done = await manager.waitForRun(runId);
    io.signal.removeEventListener('abort', onAbort);
    unsubscribe();
    await manager.close();
    process.removeListener('exit', onExit);
    io.stdout(`\n${nodeSummaryTable(done)}\n`);
    if (done.alerts?.length) io.stdout(`${alertSummary(done.alerts)}\n`);
    const took = durationOf(done.createdAt, done.finishedAt);
    io.stdout(`Run ${runId} ${done.phase}${took ? ` in ${took}` : ''}${done.message && done.phase !== 'succeeded' ? `: ${done.message}` : ''}\n`);
    if (interrupted) return 130;
    return done.phase === 'succeeded' ? EXIT_OK : EXIT_FAILURE;
  },
};
