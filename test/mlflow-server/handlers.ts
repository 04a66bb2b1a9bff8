/**
 * One handler per JSON endpoint of mlflow-rest-api.json: the request is already checked against the
 * specification; handlers add the checks MLflow's own handlers make and answer in its response shapes.
 */
import type { ModelRegistry, ModelVersionRecord, RegisteredModelRecord } from './registry.ts';
import { invalid, missing } from './store.ts';
import type { ExperimentRecord, MetricValue, RunRecord, TrackingStore } from './store.ts';

type Json = Record<string, unknown>;
type KeyValue = { key: string; value?: string };

export interface HandlerContext {
  tracking: TrackingStore;
  registry: ModelRegistry;
  /** The registry endpoints for aliases exist (MLflow >= 2.3). */
  aliases: boolean;
}

const pairs = (map: Map<string, string>) => [...map].map(([key, value]) => ({ key, value }));
const nonEmpty = (list: unknown[]) => (list.length > 0 ? list : undefined);
const int = (v: unknown): number => (typeof v === 'string' ? Number(v) : (v as number));
const double = (v: unknown): number | string => (typeof v === 'string' && !['NaN', 'Infinity', '-Infinity'].includes(v) ? Number(v) : (v as number | string));

export function requireField(body: Json, name: string): string {
  const value = body[name];
  if (value === undefined || value === null || value === '') {
    throw invalid(`Missing value for required parameter '${name}'. See the API docs for more information about request parameters.`);
  }
  return value as string;
}

const runIdOf = (body: Json): string => (body.run_id as string | undefined) || requireField(body, body.run_uuid ? 'run_uuid' : 'run_id');

function experimentJson(e: ExperimentRecord): Json {
  const { tags, ...rest } = e;
  return { ...rest, tags: nonEmpty(pairs(tags)) };
}

function runInfoJson(r: RunRecord): Json {
  return { run_id: r.run_id, run_uuid: r.run_id, run_name: r.run_name, experiment_id: r.experiment_id, user_id: r.user_id, status: r.status, start_time: r.start_time, end_time: r.end_time, artifact_uri: r.artifact_uri, lifecycle_stage: r.lifecycle_stage };
}

function runJson(ctx: HandlerContext, r: RunRecord): Json {
  const data = { metrics: nonEmpty(ctx.tracking.latestMetrics(r)), params: nonEmpty(pairs(r.params)), tags: nonEmpty(pairs(r.tags)) };
  return { info: runInfoJson(r), data };
}

function versionJson(ctx: HandlerContext, v: ModelVersionRecord): Json {
  const { tags, pendingReads: _pending, run_link, description, run_id, ...rest } = v;
  const aliases = ctx.aliases ? ctx.registry.aliasesOf(v) : [];
  return { ...rest, run_id: run_id || undefined, run_link: run_link || undefined, description: description || undefined, tags: nonEmpty(pairs(tags)), aliases: nonEmpty(aliases) };
}

function modelJson(ctx: HandlerContext, m: RegisteredModelRecord): Json {
  const latest = new Map<string, ModelVersionRecord>();
  for (const v of m.versions) if (v.status === 'READY') latest.set(v.current_stage, v);
  const aliases = ctx.aliases ? [...m.aliases].map(([alias, version]) => ({ alias, version })) : [];
  return {
    name: m.name, creation_timestamp: m.creation_timestamp, last_updated_timestamp: m.last_updated_timestamp, description: m.description || undefined,
    latest_versions: nonEmpty([...latest.values()].map((v) => versionJson(ctx, v))), tags: nonEmpty(pairs(m.tags)), aliases: nonEmpty(aliases),
  };
}

function logBatch(ctx: HandlerContext, body: Json): Json {
  const metrics = (body.metrics as Json[] | undefined) ?? [];
  const params = (body.params as KeyValue[] | undefined) ?? [];
  const tags = (body.tags as KeyValue[] | undefined) ?? [];
  const limit = (what: string, n: number, max: number) => {
    if (n > max) throw invalid(`A batch logging request can contain at most ${max} ${what}. Got ${n} ${what}. Please split up ${what} across multiple requests and try again.`);
  };
  limit('metrics', metrics.length, 1000);
  limit('params', params.length, 100);
  limit('tags', tags.length, 100);
  limit('metrics, params, and tags', metrics.length + params.length + tags.length, 1000);
  for (const m of metrics) for (const f of ['key', 'value', 'timestamp']) requireField(m, f);
  for (const p of [...params, ...tags]) requireField(p as Json, 'key');
  const run = ctx.tracking.activeRun(requireField(body, 'run_id'));
  for (const p of params) ctx.tracking.logParam(run, p.key, p.value ?? '');
  for (const m of metrics) ctx.tracking.logMetric(run, { key: m.key as string, value: double(m.value), timestamp: int(m.timestamp), step: m.step === undefined ? 0 : int(m.step) });
  for (const t of tags) ctx.tracking.setTag(run, t.key, t.value ?? '');
  return {};
}

function metricHistory(ctx: HandlerContext, body: Json): Json {
  const run = ctx.tracking.run(runIdOf(body));
  const history: MetricValue[] = run.metrics.get(requireField(body, 'metric_key')) ?? [];
  const start = body.page_token ? Number(/^offset:(\d+)$/.exec(body.page_token as string)?.[1] ?? NaN) : 0;
  if (!Number.isInteger(start)) throw invalid(`Invalid page token: ${body.page_token as string}`);
  const size = body.max_results === undefined ? history.length : int(body.max_results);
  const page = history.slice(start, start + size);
  const next = start + size < history.length ? `offset:${start + size}` : undefined;
  return { metrics: nonEmpty(page), next_page_token: next };
}

export const HANDLERS: Record<string, (ctx: HandlerContext, body: Json) => Json> = {
  getExperimentByName(ctx, body) {
    const name = requireField(body, 'experiment_name');
    const exp = ctx.tracking.experimentByName(name);
    if (!exp) throw missing(`Could not find experiment with name '${name}'`);
    return { experiment: experimentJson(exp) };
  },
  createExperiment: (ctx, body) => ({ experiment_id: ctx.tracking.createExperiment(requireField(body, 'name'), body.artifact_location as string | undefined, (body.tags as KeyValue[]) ?? []) }),
  getExperiment: (ctx, body) => ({ experiment: experimentJson(ctx.tracking.experiment(requireField(body, 'experiment_id'))) }),
  createRun(ctx, body) {
    const start = body.start_time === undefined ? Date.now() : int(body.start_time);
    const run = ctx.tracking.createRun((body.experiment_id as string) || '0', (body.run_name as string) ?? '', (body.user_id as string) ?? '', start, (body.tags as KeyValue[]) ?? []);
    return { run: runJson(ctx, run) };
  },
  updateRun(ctx, body) {
    const run = ctx.tracking.activeRun(runIdOf(body));
    if (body.status !== undefined) run.status = body.status as string;
    if (body.end_time !== undefined) run.end_time = int(body.end_time);
    if (body.run_name !== undefined) ctx.tracking.setTag(run, 'mlflow.runName', body.run_name as string);
    return { run_info: runInfoJson(run) };
  },
  logMetric(ctx, body) {
    const run = ctx.tracking.activeRun(runIdOf(body));
    ctx.tracking.logMetric(run, { key: body.key as string, value: double(body.value), timestamp: int(body.timestamp), step: body.step === undefined ? 0 : int(body.step) });
    return {};
  },
  logParam(ctx, body) {
    ctx.tracking.logParam(ctx.tracking.activeRun(runIdOf(body)), body.key as string, body.value as string);
    return {};
  },
  setTag(ctx, body) {
    ctx.tracking.setTag(ctx.tracking.activeRun(runIdOf(body)), body.key as string, body.value as string);
    return {};
  },
  logBatch,
  getRun: (ctx, body) => ({ run: runJson(ctx, ctx.tracking.run(runIdOf(body))) }),
  getMetricHistory: metricHistory,
  createRegisteredModel: (ctx, body) => ({ registered_model: modelJson(ctx, ctx.registry.create(requireField(body, 'name'), (body.tags as KeyValue[]) ?? [], (body.description as string) ?? '')) }),
  getRegisteredModel: (ctx, body) => ({ registered_model: modelJson(ctx, ctx.registry.get(requireField(body, 'name'))) }),
  createModelVersion(ctx, body) {
    const v = ctx.registry.createVersion(requireField(body, 'name'), requireField(body, 'source'), (body.run_id as string) ?? '', (body.run_link as string) ?? '', (body.description as string) ?? '', (body.tags as KeyValue[]) ?? []);
    return { model_version: versionJson(ctx, v) };
  },
  getModelVersion: (ctx, body) => ({ model_version: versionJson(ctx, ctx.registry.read(requireField(body, 'name'), requireField(body, 'version'))) }),
  transitionModelVersionStage(ctx, body) {
    const v = ctx.registry.transition(requireField(body, 'name'), requireField(body, 'version'), requireField(body, 'stage'), body.archive_existing_versions === true || body.archive_existing_versions === 'true');
    return { model_version: versionJson(ctx, v) };
  },
  setRegisteredModelAlias(ctx, body) {
    ctx.registry.setAlias(requireField(body, 'name'), requireField(body, 'alias'), requireField(body, 'version'));
    return {};
  },
  getModelVersionByAlias: (ctx, body) => ({ model_version: versionJson(ctx, ctx.registry.byAlias(requireField(body, 'name'), requireField(body, 'alias'))) }),
  deleteRegisteredModelAlias(ctx, body) {
    ctx.registry.deleteAlias(requireField(body, 'name'), requireField(body, 'alias'));
    return {};
  },
  listArtifacts(ctx, body) {
    const run = ctx.tracking.run(runIdOf(body));
    const prefix = run.artifact_uri.startsWith('mlflow-artifacts:/') ? run.artifact_uri.slice('mlflow-artifacts:/'.length) : undefined;
    const dir = (body.path as string | undefined)?.replace(/^\/+|\/+$/g, '') ?? '';
    return { root_uri: run.artifact_uri, files: nonEmpty(prefix === undefined ? [] : listDir(ctx.tracking.artifacts, `${prefix}${dir ? `/${dir}` : ''}`, dir)) };
  },
};

/** The entries directly inside `dir` of the artifact store, with paths relative to `shownAs`. */
export function listDir(files: Map<string, Buffer>, dir: string, shownAs: string): Json[] {
  const base = dir ? `${dir}/` : '';
  const entries = new Map<string, Json>();
  for (const [path, data] of files) {
    if (!path.startsWith(base)) continue;
    const [first, ...rest] = path.slice(base.length).split('/');
    const shown = shownAs ? `${shownAs}/${first}` : first;
    entries.set(first, rest.length > 0 ? { path: shown, is_dir: true } : { path: shown, is_dir: false, file_size: data.length });
  }
  return [...entries.values()].sort((a, b) => String(a.path).localeCompare(String(b.path)));
}
