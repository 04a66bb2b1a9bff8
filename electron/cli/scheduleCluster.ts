/** The cluster side of `pipewright schedule` and `pipewright schedules`: options, connection, printing. */
import type { ArgoSchedules, ClusterSchedule, KfpSchedules } from '../services/kube/schedules.ts';
import { openClusterSchedules, type ScheduleConnection } from '../services/schedules/cluster.ts';
import { KFP_CONNECTION_OPTIONS, kfpConnectionFromOptions } from './kfpOptions.ts';
import type { CliIo, OptionSpec, ParsedArgs } from './types.ts';

export const CLUSTER_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  context: { type: 'string', description: 'kubeconfig context', valueName: 'C' },
  namespace: { type: 'string', description: 'Kubernetes namespace (argo; default: the context\'s, then the pipeline\'s)', valueName: 'N', short: 'n' },
  ...KFP_CONNECTION_OPTIONS,
  experiment: { type: 'string', description: 'kfp: the experiment (by name) the recurring runs belong to; created when missing (default: Default)', valueName: 'E' },
};

export type Schedules = ArgoSchedules | KfpSchedules;

/** Where the options say the schedules are (the token stays in its environment variable). */
export function connectionFromArgs(target: 'argo' | 'kfp', args: ParsedArgs, env: Readonly<Record<string, string | undefined>> = process.env): ScheduleConnection {
  const o = args.options;
  return {
    target,
    context: o.context as string | undefined,
    namespace: o.namespace as string | undefined,
    kfpUrl: o['kfp-url'] as string | undefined,
    kfpTokenEnv: o['kfp-token-env'] as string | undefined,
    experiment: o.experiment as string | undefined,
    ...(target === 'kfp' ? kfpConnection(args, env) : {}),
  };
}

/** The KFP connection options beyond the URL and token (mode, cookie, service account, service); a wrong one throws naming the flag. */
function kfpConnection(args: ParsedArgs, env: Readonly<Record<string, string | undefined>>): Pick<ScheduleConnection, 'kfpAuth' | 'kfpCookieEnv' | 'kfpServiceAccount' | 'kfpService'> {
  const { request, errors } = kfpConnectionFromOptions(args.options, env);
  if (errors.length > 0) throw new Error(errors.join('; '));
  const { kfpAuth, kfpCookieEnv, kfpServiceAccount, kfpService } = request;
  return { ...(kfpAuth ? { kfpAuth } : {}), ...(kfpCookieEnv ? { kfpCookieEnv } : {}), ...(kfpServiceAccount ? { kfpServiceAccount } : {}), ...(kfpService ? { kfpService } : {}) };
}

/** Connects to the target the options name; throws with a plain message when it cannot. */
export async function openSchedules(target: 'argo' | 'kfp', args: ParsedArgs, io: CliIo, pipelineNamespace?: string): Promise<{ schedules: Schedules; experimentId?: string; where: string }> {
  return openClusterSchedules(connectionFromArgs(target, args, io.env), io.env, pipelineNamespace);
}

export function formatSchedules(list: readonly ClusterSchedule[]): string {
  if (list.length === 0) return 'No schedules.\n';
  const rows = [['NAME', 'PIPELINE', 'CRON', 'TIME ZONE', 'STATE', 'AT ONCE', 'CATCH-UP', 'LAST STARTED', ...(list[0].target === 'kfp' ? ['ID'] : []), 'RUNS', 'MADE BY']];
  for (const s of list) {
    rows.push([
      s.name, s.pipeline ?? '-', s.cron, s.timezone, s.paused ? 'paused' : 'active', s.maxConcurrency ?? '-', s.catchUp ? 'on' : 'off', s.lastScheduled ?? '-', ...(s.target === 'kfp' ? [s.id] : []),
      s.trigger === 'data-changed' ? 'when data changed' : 'every time',
      s.external ? 'not Pipewright' : 'Pipewright',
    ]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => `${r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd()}\n`).join('');
}
