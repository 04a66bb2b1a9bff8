import { formatLocalSchedules, localScheduler } from '../localSchedules.ts';
import { deleteClusterSchedule } from '../../services/schedules/cluster.ts';
import { dataDirOf } from '../runtime.ts';
import { CLUSTER_OPTIONS, connectionFromArgs, formatSchedules, openSchedules } from '../scheduleCluster.ts';
import type { CliIo } from '../types.ts';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, type CliCommand } from '../types.ts';

const ACTIONS = ['list', 'pause', 'resume', 'delete'] as const;
type Action = (typeof ACTIONS)[number];

async function local(action: Action, name: string | undefined, json: boolean, io: CliIo): Promise<number> {
  const scheduler = localScheduler(io);
  try {
    if (action === 'list') {
      const list = await scheduler.list();
      io.stdout(json ? `${JSON.stringify(list, null, 2)}\n` : formatLocalSchedules(list));
      if (!json && list.length > 0) io.stdout('Local schedules run only while the Pipewright app or `pipewright schedule --serve` is running.\n');
      return EXIT_OK;
    }
    if (action === 'delete') {
      await scheduler.remove(name!);
      io.stdout(json ? `${JSON.stringify({ ok: true, deleted: name })}\n` : `Deleted local schedule ${name}.\n`);
      return EXIT_OK;
    }
    const s = await scheduler.setPaused(name!, action === 'pause');
    io.stdout(json ? `${JSON.stringify(s, null, 2)}\n` : `${action === 'pause' ? 'Paused' : 'Resumed'} local schedule ${s.name}.\n`);
    return EXIT_OK;
  } catch (err) {
    io.stderr(`error  cannot ${action} local schedules: ${(err as Error).message}\n`);
    return EXIT_FAILURE;
  }
}

export const command: CliCommand = {
  name: 'schedules',
  summary: 'List, pause, resume or delete the schedules on a cluster or on this computer',
  usage: 'pipewright schedules list|pause|resume|delete [NAME] --target argo|kfp|local [--context C] [--namespace N] [--kfp-url URL --kfp-token-env VAR] [--experiment E] [--json]',
  description: [
    'list                 the namespace\'s Argo CronWorkflows, or the KFP experiment\'s recurring runs; those made',
    '                     elsewhere (no pipewright.dev/schedule label, no Pipewright description) say "not Pipewright"',
    '                     (--json: "external": true); RUNS says "when data changed" for a data-checked schedule',
    'pause NAME           stop starting runs (Argo: spec.suspend; KFP: :disable); runs already going go on',
    'resume NAME          start runs again (KFP: NAME may be the display name or the recurring run id)',
    'delete NAME          remove the schedule (runs it started stay in the runs list)',
    'local: the schedules in this computer\'s data folder; they run only while the app or `pipewright schedule --serve` runs.',
    'Create one with `pipewright schedule FILE --cron EXPR --target argo|kfp|local`.',
    'Exit status: 0 done, 1 when the cluster refused or the schedule is not there, 2 for a wrong command line.',
  ].join('\n'),
  positionals: [
    { name: 'ACTION', description: ACTIONS.join(', ') },
    { name: 'NAME', description: 'The schedule (not for list)', optional: true },
  ],
  options: {
    target: { type: 'string', description: 'Where the schedules are', valueName: 'TARGET', choices: ['argo', 'kfp', 'local'], required: true },
    ...CLUSTER_OPTIONS,
    json: { type: 'boolean', description: 'Print the result as JSON' },
  },
  examples: ['pipewright schedules list --target argo --namespace ml', 'pipewright schedules pause korean-llm-schedule --target argo --namespace ml'],
  async run(args, io) {
    const [action, name] = args.positionals as [Action, string | undefined];
    if (!ACTIONS.includes(action)) {
      io.stderr(`pipewright schedules: unknown action ${JSON.stringify(action)}; use ${ACTIONS.join(', ')}\n`);
      return EXIT_USAGE;
    }
    if ((action === 'list') !== (name === undefined)) {
      io.stderr(action === 'list' ? 'pipewright schedules list takes no NAME\n' : `pipewright schedules ${action} needs the schedule's NAME\n`);
      return EXIT_USAGE;
    }
    const target = args.options.target as 'argo' | 'kfp' | 'local';
    const json = args.options.json === true;
    if (target === 'local') return local(action, name, json, io);
    try {
      if (action === 'delete') {
        const { where } = await deleteClusterSchedule(connectionFromArgs(target, args, io.env), name!, { env: io.env, dataDir: dataDirOf(io) });
        io.stdout(json ? `${JSON.stringify({ ok: true, deleted: name })}\n` : `Deleted schedule ${name} (${where}).\n`);
        return EXIT_OK;
      }
      const { schedules, where } = await openSchedules(target, args, io);
      if (action === 'list') {
        const list = await schedules.list();
        io.stdout(json ? `${JSON.stringify(list, null, 2)}\n` : formatSchedules(list));
        return EXIT_OK;
      }
      const s = await schedules.setPaused(name!, action === 'pause');
      io.stdout(json ? `${JSON.stringify(s, null, 2)}\n` : `${action === 'pause' ? 'Paused' : 'Resumed'} schedule ${s.name} (${where}).\n`);
      return EXIT_OK;
    } catch (err) {
      io.stderr(`error  cannot ${action} schedules on ${target}: ${(err as Error).message}\n`);
      return EXIT_FAILURE;
    }
  },
};
