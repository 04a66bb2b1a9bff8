/**
 * Every schedule at a cluster place, seen from one pipeline: its own (as before), and the others there
 * (Argo: the namespace's CronWorkflows; KFP: the namespace's recurring runs in any experiment), other
 * pipelines' and those made outside Pipewright. What cannot be read is named in `problems` and never
 * hides the pipeline's own: when the CronWorkflows cannot be listed they are read one by one, and what
 * cannot be read at all is shown as this data folder recorded it when it made it (`unread`).
 */
import type { ClusterSchedule, ClusterScheduleList } from '../../../shared/api/schedules.ts';
import type { KfpSchedules } from '../kube/schedules.ts';
import { ArgoSchedules } from '../kube/schedules.ts';
import { openClusterSchedules, type OpenedSchedules, type ScheduleConnection, type ScheduleDefaults } from './cluster.ts';
import { ClusterScheduleRegistry, recordedAt, type ClusterScheduleEntry } from './clusterRegistry.ts';

type Env = Readonly<Record<string, string | undefined>>;

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** The place as data, from what was opened (or, when nothing could be, from the endpoint as given). */
function placeOf(c: ScheduleConnection, opened?: OpenedSchedules): ClusterScheduleList['place'] {
  // Not connected: KFP's namespace is unknown (a profile's only on a multi-user install).
  const namespace = opened ? (opened.namespace ?? opened.kfpNamespace) : c.target === 'argo' ? c.namespace : undefined;
  const context = opened ? opened.context : c.context;
  return {
    target: c.target,
    ...(context ? { context } : {}),
    ...(namespace ? { namespace } : {}),
    ...(c.target === 'kfp' && c.kfpUrl ? { kfpUrl: c.kfpUrl } : {}),
    ...(c.target === 'kfp' ? { experiment: c.experiment || 'Default' } : {}),
  };
}

/** A recorded schedule shown as recorded, with why it was not read. */
function asRecorded(e: ClusterScheduleEntry, why: string): ClusterSchedule {
  return { target: e.target, id: e.id, name: e.name, pipeline: e.pipeline, cron: '', timezone: '', paused: false, unread: why };
}

export async function clusterScheduleOverview(c: ScheduleConnection, pipeline: string, options: { env: Env; dataDir: string } & ScheduleDefaults): Promise<ClusterScheduleList> {
  const problems: string[] = [];
  let records: ClusterScheduleEntry[] = [];
  try {
    records = (await new ClusterScheduleRegistry(options.dataDir).list()).filter((e) => e.pipeline === pipeline);
  } catch (err) {
    problems.push(`cannot read the schedules Pipewright made here: ${message(err)}`);
  }

  let opened: OpenedSchedules;
  try {
    opened = await openClusterSchedules(c, options.env, undefined, options);
  } catch (err) {
    const mine = records.filter((e) => recordedAt(e, c));
    // Nothing of the pipeline's to show: the error is the whole answer.
    if (mine.length === 0) throw err;
    const why = message(err);
    const where = c.target === 'argo' ? 'Argo Workflows' : 'Kubeflow Pipelines';
    return { schedules: mine.map((e) => asRecorded(e, why)), ownPartial: true, problems: [...problems, `cannot reach ${where}: ${why}`], where, place: placeOf(c) };
  }
  const mine = records.filter((e) => recordedAt(e, c, opened));
  const base = { where: opened.where, place: placeOf(c, opened) };

  if (opened.schedules instanceof ArgoSchedules) {
    const argo = opened.schedules;
    try {
      const all = await argo.list();
      return { ...base, schedules: all.filter((s) => s.pipeline === pipeline), others: all.filter((s) => s.pipeline !== pipeline), ...(problems.length ? { problems } : {}) };
    } catch (err) {
      problems.push(`cannot list the CronWorkflows in namespace ${opened.namespace}, so other schedules there are not shown: ${message(err)}`);
      // The pipeline's own, by name (a Role may allow get without list).
      const own = await Promise.all(mine.map((e) => argo.get(e.id).catch((why: unknown) => asRecorded(e, message(why)))));
      return { ...base, schedules: own.sort((a, b) => a.name.localeCompare(b.name)), ownPartial: true, problems };
    }
  }

  const kfp = opened.schedules as KfpSchedules;
  const experiment = c.experiment || 'Default';
  let inExperiment: ClusterSchedule[] | undefined;
  let experimentError = '';
  try {
    inExperiment = await kfp.list();
  } catch (err) {
    experimentError = message(err);
    problems.push(`cannot list the recurring runs of experiment ${experiment}: ${experimentError}`);
  }
  let wide: ClusterSchedule[] | undefined;
  try {
    wide = await kfp.listNamespace();
  } catch (err) {
    const ns = opened.kfpNamespace ? `namespace ${opened.kfpNamespace}` : 'Kubeflow Pipelines';
    problems.push(`cannot list the recurring runs of other experiments in ${ns}, so only experiment ${experiment}'s are shown: ${message(err)}`);
  }
  const own = inExperiment
    ? inExperiment.filter((s) => s.pipeline === pipeline)
    : wide
      ? wide.filter((s) => s.pipeline === pipeline && s.experiment === experiment)
      : mine.map((e) => asRecorded(e, experimentError));
  const ownIds = new Set(own.map((s) => s.id));
  const others = (wide ?? (inExperiment ?? []).map((s) => ({ ...s, experiment }))).filter((s) => !ownIds.has(s.id));
  return { ...base, schedules: own, others, ...(inExperiment || wide ? {} : { ownPartial: true as const }), ...(problems.length ? { problems } : {}) };
}
