import { resolve } from 'node:path';
import { catalog } from '../../../node-catalog/index.ts';
import { parseParameterText } from '../../../shared/pipeline/parameters.ts';
import type { PipelineDocument, PipelineParameterValue } from '../../../shared/pipeline/types.ts';
import { hasErrors, validatePipeline } from '../../../shared/pipeline/validate.ts';
import { argoCronWorkflowYaml } from '../../../shared/schedules/argo.ts';
import { DATA_CHECK_RBAC_FILE, dataCheckRbacYaml, kfpRunAccount } from '../../../shared/schedules/dataCheck/rbac.ts';
import { DEFAULT_KFP_SERVICE } from '../../../shared/runs/kfpConnection.ts';
import { checkSchedule, defaultScheduleName } from '../../../shared/schedules/check.ts';
import { nextFireTime, parseCron, WEEKLY_SUNDAY_0200 } from '../../../shared/schedules/cron.ts';
import { kfpRecurringRun } from '../../../shared/schedules/kfp.ts';
import { createClusterSchedule } from '../../services/schedules/cluster.ts';
import { DEFAULT_TIMEZONE, ScheduleError, type ScheduleSpec } from '../../../shared/schedules/types.ts';
import { formatProblem, readPipelineFile, summarizeProblems } from '../pipelineFile.ts';
import { localScheduler } from '../localSchedules.ts';
import { dataDirOf, openRunManager } from '../runtime.ts';
import { CLUSTER_OPTIONS, connectionFromArgs } from '../scheduleCluster.ts';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, type CliCommand, type CliIo, type ParsedArgs } from '../types.ts';
import { writeFilesAtomically } from '../writeFiles.ts';

function fail(io: CliIo, message: string, out?: string): number {
  io.stderr(`${message}\n${out ? `Nothing was written to ${out}.\n` : ''}`);
  return EXIT_FAILURE;
}

/** `--param NAME=VALUE` values typed by the pipeline's parameters, or the first error. */
export function parseParams(doc: PipelineDocument, given: readonly string[]): { values: Record<string, PipelineParameterValue> } | { error: string } {
  const values: Record<string, PipelineParameterValue> = {};
  for (const item of given) {
    const eq = item.indexOf('=');
    if (eq <= 0) return { error: `--param ${JSON.stringify(item)} must be NAME=VALUE` };
    const name = item.slice(0, eq);
    const declared = (doc.parameters ?? []).find((p) => p.name === name);
    // An unknown name is kept as text: the schedule check names it with the pipeline's parameters.
    const parsed = declared ? parseParameterText(declared.type, item.slice(eq + 1)) : { value: item.slice(eq + 1) };
    if ('error' in parsed) return { error: `--param ${name}: ${parsed.error}` };
    values[name] = parsed.value;
  }
  return { values };
}

/** The schedule the command line describes (the pipeline supplies the default name). */
export function scheduleFromArgs(doc: PipelineDocument, args: ParsedArgs): ScheduleSpec | { error: string } {
  const o = args.options;
  const params = parseParams(doc, (o.param as string[] | undefined) ?? []);
  if ('error' in params) return params;
  const concurrencyText = (o['max-concurrency'] as string | undefined) ?? '1';
  if (!/^\d+$/.test(concurrencyText)) return { error: `--max-concurrency ${JSON.stringify(concurrencyText)} is not a whole number` };
  return {
    name: (o.name as string | undefined) ?? defaultScheduleName(doc.name),
    cron: o.weekly === true ? WEEKLY_SUNDAY_0200 : (o.cron as string),
    timezone: (o.timezone as string | undefined) ?? DEFAULT_TIMEZONE,
    maxConcurrency: Number(concurrencyText),
    catchUp: o['no-catch-up'] !== true,
    parameters: params.values,
    trigger: o['when-data-changes'] === true ? 'data-changed' : 'cron',
  };
}

/** An instant as the schedule's cron reads it: 'Sun 2026-12-13 02:00 Asia/Seoul (2026-12-12T17:00:00.000Z)'. */
function inZone(at: number, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.weekday} ${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute} ${timeZone} (${new Date(at).toISOString()})`;
}

async function addLocal(doc: PipelineDocument, spec: ScheduleSpec, file: string, io: CliIo): Promise<number> {
  try {
    checkSchedule(doc, catalog, spec, 'local');
    const added = await localScheduler(io).add(spec, file, doc.name);
    const next = nextFireTime(parseCron(added.cron), added.timezone, Date.now());
    io.stdout(`Added local schedule ${added.name}: ${added.cron} in ${added.timezone}${next ? `, next ${inZone(next, added.timezone)}` : ''}.\n`);
    io.stdout('Local schedules run only while the Pipewright app or `pipewright schedule --serve` is running.\n');
    return EXIT_OK;
  } catch (err) {
    if (err instanceof ScheduleError) return fail(io, `error  schedule${err.field ? ` ${err.field}` : ''}: ${err.message}\nNothing was added.`);
    return fail(io, `error  cannot add the local schedule: ${(err as Error).message}`);
  }
}

async function serveLocal(io: CliIo): Promise<number> {
  const { manager, dataDir } = await openRunManager(io, ['local']);
  const scheduler = localScheduler(io, manager);
  try {
    const list = await scheduler.list();
    io.stdout(`Running ${list.length} local schedule${list.length === 1 ? '' : 's'} from ${dataDir} until Ctrl-C; they run only while this (or the app) is running.\n`);
    await scheduler.serve(
      io.signal,
      15_000,
      (events) => {
        for (const e of events) io.stdout(`${new Date(e.at).toISOString()}  ${e.outcome}${e.runId ? ` ${e.runId}` : ''}: ${e.message}\n`);
      },
      (err) => io.stderr(`error  ${err.message}\n`),
    );
    return EXIT_OK;
  } catch (err) {
    return fail(io, `error  ${(err as Error).message}`);
  } finally {
    await manager.close();
  }
}

async function createOnCluster(doc: PipelineDocument, spec: ScheduleSpec, target: 'argo' | 'kfp', args: ParsedArgs, io: CliIo): Promise<number> {
  try {
    const { created, where, warnings } = await createClusterSchedule(connectionFromArgs(target, args, io.env), doc, spec, {
      env: io.env,
      dataDir: dataDirOf(io),
      pipelineId: args.options['pipeline-id'] as string | undefined,
      pipelineVersionId: args.options['pipeline-version-id'] as string | undefined,
    });
    io.stdout(`Created schedule ${created.name} (${where}): ${created.cron} ${created.timezone}${created.target === 'kfp' ? `, id ${created.id}` : ''}\n`);
    io.stdout('The runs it starts are added to `pipewright runs` (and the app\'s runs list), marked scheduled.\n');
    for (const w of warnings) io.stderr(`warning  schedule ${created.name}: ${w}\n`);
    return EXIT_OK;
  } catch (err) {
    if (err instanceof ScheduleError) return fail(io, `error  schedule${err.field ? ` ${err.field}` : ''}: ${err.message}\nNothing was created.`);
    return fail(io, `error  cannot create the schedule on ${target}: ${(err as Error).message}`);
  }
}

/** With --when-data-changes: the Role and RoleBinding the workflow's service account needs for the data check. */
function dataCheckFiles(doc: PipelineDocument, spec: ScheduleSpec, target: 'argo' | 'kfp', args: ParsedArgs): Record<string, string> {
  if (spec.trigger !== 'data-changed') return {};
  const given = (args.options.namespace as string | undefined) || doc.settings?.namespace;
  // Argo: the CronWorkflow sets no spec.serviceAccountName, so its workflows run as the namespace's default account.
  // KFP: a namespace given is a multi-user profile (default-editor); without one, single-user KFP's own namespace (pipeline-runner).
  const account =
    target === 'argo'
      ? { namespace: given || 'default', serviceAccount: 'default' }
      : kfpRunAccount(args.options.namespace as string | undefined, (args.options['kfp-service-namespace'] as string | undefined) || DEFAULT_KFP_SERVICE.namespace);
  return { [DATA_CHECK_RBAC_FILE]: dataCheckRbacYaml(doc.name, spec.name, account) };
}

export const command: CliCommand = {
  name: 'schedule',
  summary: 'Schedule a pipeline: an Argo CronWorkflow or a KFP recurring run',
  usage: 'pipewright schedule FILE (--cron EXPR | --weekly) [--timezone TZ] --target argo|kfp|local [--out DIR] [options] | pipewright schedule --serve',
  description: [
    'Validates FILE and the schedule, then creates it on the cluster (Argo: a CronWorkflow in the namespace;',
    'KFP: a recurring run in the experiment), or with --out writes into DIR instead:',
    '  cronworkflow.yaml    (--target argo) an Argo CronWorkflow (Argo v3.6 or later: spec.schedules)',
    '  recurring-run.json   (--target kfp) a KFP v2beta1 RecurringRun body for POST /apis/v2beta1/recurringruns',
    'EXPR is a five-field cron: minute hour day-of-month month day-of-week (names such as SUN and JAN,',
    'lists, ranges and steps; or @daily, @weekly, ...). --weekly is the tutorial\'s Sunday 02:00.',
    'It is read in --timezone (an IANA name, default UTC). KFP evaluates cron in UTC: a zone with a',
    'fixed offset (Asia/Seoul) is shifted into UTC for it; a zone with daylight saving is refused for kfp.',
    '--max-concurrency is 1-10; Argo only knows one at a time (Forbid, for 1) or any number (Allow).',
    'Catch-up (on unless --no-catch-up): a run missed while the controller was down starts late, once.',
    '--when-data-changes: a run goes ahead only when the dataset inputs changed since the last successful run.',
    'On a cluster a first step (data-check) compares their fingerprints with those a last step (record-data)',
    'recorded in a ConfigMap after the last successful run; on KFP the pipeline is a condition group after',
    'data-check, with record-data in it after all its steps. The runs\' service account needs get/create/update',
    'on that ConfigMap: --out also writes data-check-rbac.yaml, a Role and RoleBinding for Argo\'s default',
    'account of --namespace, KFP\'s default-editor of the profile --namespace (multi-user) or, without',
    '--namespace, pipeline-runner in --kfp-service-namespace (single-user; default kubeflow).',
    'List, pause, resume and delete schedules with `pipewright schedules`.',
    'Exit status: 0 when created or written, 1 for an invalid pipeline or schedule or a failed write, 2 for a wrong command line.',
  ].join('\n'),
  positionals: [{ name: 'FILE', description: 'The pipeline document (not with --serve)', optional: true }],
  options: {
    cron: { type: 'string', description: 'Five-field cron expression', valueName: 'EXPR' },
    weekly: { type: 'boolean', description: 'The tutorial\'s weekly run: Sunday 02:00 (same as --cron "0 2 * * 0")' },
    timezone: { type: 'string', description: 'IANA time zone the cron is read in (default UTC)', valueName: 'TZ' },
    target: { type: 'string', description: 'Where the schedule runs (local: on this machine while the app or --serve runs)', valueName: 'TARGET', choices: ['argo', 'kfp', 'local'] },
    serve: { type: 'boolean', description: 'Run the local schedules (kept in the data folder) until Ctrl-C' },
    out: { type: 'string', description: 'Write the schedule file into this folder', valueName: 'DIR', short: 'o' },
    name: { type: 'string', description: 'Schedule name (default: PIPELINE-schedule)', valueName: 'NAME' },
    'max-concurrency': { type: 'string', description: 'Runs of this schedule at once, 1-10 (default 1)', valueName: 'N' },
    'no-catch-up': { type: 'boolean', description: 'Skip runs missed while the scheduler was down' },
    param: { type: 'string', description: 'A pipeline parameter value for every run (repeatable)', valueName: 'NAME=VALUE', multiple: true },
    'when-data-changes': { type: 'boolean', description: 'Start a run only when the dataset inputs changed since the last successful run' },
    'pipeline-id': { type: 'string', description: '(kfp) An uploaded pipeline to run instead of the inline spec', valueName: 'ID' },
    'pipeline-version-id': { type: 'string', description: '(kfp) The version of --pipeline-id (default: latest)', valueName: 'ID' },
    'experiment-id': { type: 'string', description: '(kfp, with --out) Experiment id the recurring run belongs to (its namespace follows)', valueName: 'ID' },
    ...CLUSTER_OPTIONS,
  },
  examples: [
    'pipewright schedule korean-llm.pipewright.json --weekly --timezone Asia/Seoul --target argo --out sched/',
    'pipewright schedule korean-llm.pipewright.json --cron "0 3 * * *" --target kfp --param cpt_learning_rate=2e-5 --out sched/',
    'pipewright schedule korean-llm.pipewright.json --cron "0 3 * * *" --target argo --namespace ml --when-data-changes --out sched/',
  ],
  async run(args, io) {
    const [file] = args.positionals;
    const out = args.options.out as string | undefined;
    if (args.options.serve === true) {
      if (file !== undefined || args.options.target !== undefined) {
        io.stderr('pipewright schedule --serve takes no FILE or --target: it runs the local schedules already added\n');
        return EXIT_USAGE;
      }
      return serveLocal(io);
    }
    if (file === undefined || args.options.target === undefined) {
      io.stderr('pipewright schedule: give FILE and --target argo|kfp|local (or --serve)\n');
      return EXIT_USAGE;
    }
    const target = args.options.target as 'argo' | 'kfp' | 'local';
    if (target === 'local' && out !== undefined) {
      io.stderr('pipewright schedule: --out is for argo and kfp; a local schedule is kept in the data folder\n');
      return EXIT_USAGE;
    }
    if ((args.options.cron === undefined) === (args.options.weekly !== true)) {
      io.stderr('pipewright schedule: give exactly one of --cron EXPR or --weekly\n');
      return EXIT_USAGE;
    }
    if (target === 'argo' && (args.options['pipeline-id'] || args.options.experiment || args.options['experiment-id'])) {
      io.stderr('pipewright schedule: --pipeline-id, --experiment and --experiment-id are for --target kfp\n');
      return EXIT_USAGE;
    }
    const loaded = await readPipelineFile(file, io.cwd);
    if (!loaded.ok) return fail(io, `error  file ${file}: ${loaded.error.message}`, out);
    const problems = validatePipeline(loaded.document, catalog);
    if (problems.length > 0) io.stderr(problems.map((p) => `${formatProblem(p)}\n`).join(''));
    if (hasErrors(problems)) return fail(io, `${file}: ${summarizeProblems(problems)}.`, out);
    const spec = scheduleFromArgs(loaded.document, args);
    if ('error' in spec) return fail(io, `error  ${spec.error}`, out);
    if (target === 'local') return addLocal(loaded.document, spec, resolve(io.cwd, file), io);
    if (out === undefined) return createOnCluster(loaded.document, spec, target, args, io);
    let files: Record<string, string>;
    try {
      files =
        target === 'argo'
          ? { 'cronworkflow.yaml': argoCronWorkflowYaml(loaded.document, catalog, spec), ...dataCheckFiles(loaded.document, spec, 'argo', args) }
          : {
              'recurring-run.json': `${JSON.stringify(
                kfpRecurringRun(loaded.document, catalog, spec, {
                  pipelineId: args.options['pipeline-id'] as string | undefined,
                  pipelineVersionId: args.options['pipeline-version-id'] as string | undefined,
                  experimentId: args.options['experiment-id'] as string | undefined,
                }),
                null,
                2,
              )}\n`,
              ...dataCheckFiles(loaded.document, spec, 'kfp', args),
            };
    } catch (err) {
      if (err instanceof ScheduleError) return fail(io, `error  schedule${err.field ? ` ${err.field}` : ''}: ${err.message}`, out);
      return fail(io, `error  file ${file}: cannot write the schedule: ${(err as Error).message}`, out);
    }
    try {
      const written = await writeFilesAtomically(resolve(io.cwd, out), files);
      io.stdout(`schedule: wrote ${written.join(', ')} to ${out} (${spec.name}: ${spec.cron} in ${spec.timezone})\n`);
      return EXIT_OK;
    } catch (err) {
      return fail(io, `error  cannot write to ${out}: ${(err as Error).message}.`, out);
    }
  },
};
