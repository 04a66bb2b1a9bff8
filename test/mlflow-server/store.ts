/**
 * The tracking server's state: experiments, runs (params, tags, metric histories) and the proxied artifact
 * store, with the checks and error answers MLflow's handlers and SQL store give (codes and wording as in
 * mlflow/server/handlers.py and mlflow/store/tracking/sqlalchemy_store.py).
 */
import { randomBytes } from 'node:crypto';

export class MlflowError extends Error {
  constructor(
    readonly errorCode: string,
    message: string,
  ) {
    super(message);
  }
}

export const invalid = (message: string): MlflowError => new MlflowError('INVALID_PARAMETER_VALUE', message);
export const missing = (message: string): MlflowError => new MlflowError('RESOURCE_DOES_NOT_EXIST', message);

export interface MetricValue {
  key: string;
  value: number | string;
  timestamp: number;
  step: number;
}

export interface ExperimentRecord {
  experiment_id: string;
  name: string;
  artifact_location: string;
  lifecycle_stage: 'active' | 'deleted';
  creation_time: number;
  last_update_time: number;
  tags: Map<string, string>;
}

export interface RunRecord {
  run_id: string;
  run_name: string;
  experiment_id: string;
  user_id: string;
  status: string;
  start_time: number;
  end_time?: number;
  artifact_uri: string;
  lifecycle_stage: 'active' | 'deleted';
  params: Map<string, string>;
  tags: Map<string, string>;
  metrics: Map<string, MetricValue[]>;
}

// mlflow/utils/validation.py: metric, param and tag names.
const NAME = /^[/\w.\- :]+$/;
export const MAX_KEY = 250;
export const MAX_PARAM_VALUE = 6000;
export const MAX_TAG_VALUE = 5000;

export function checkName(kind: 'metric' | 'param' | 'tag', key: string): void {
  if (!NAME.test(key) || key.split('/').includes('..')) {
    throw invalid(`Invalid ${kind} name: '${key}'. Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), colon(:) and slashes (/).`);
  }
  if (key.length > MAX_KEY) throw invalid(`${kind} name '${key.slice(0, 40)}...' had length ${key.length}, which exceeded length limit of ${MAX_KEY}`);
}

export interface TrackingOptions {
  /** Proxied artifacts (`mlflow server`'s default): run artifact URIs are `mlflow-artifacts:/...`. */
  serveArtifacts: boolean;
  /** The artifact root when artifacts are not proxied, e.g. `s3://mlflow-bucket`. */
  artifactRoot: string;
}

export class TrackingStore {
  readonly experiments = new Map<string, ExperimentRecord>();
  readonly runs = new Map<string, RunRecord>();
  /** Files of the proxied artifact store, by their path under its root (`<experiment>/<run>/artifacts/...`). */
  readonly artifacts = new Map<string, Buffer>();
  private nextExperiment = 1;

  constructor(private readonly options: TrackingOptions) {
    this.addExperiment('0', 'Default');
  }

  private addExperiment(id: string, name: string, location?: string): ExperimentRecord {
    const now = Date.now();
    const root = this.options.serveArtifacts ? 'mlflow-artifacts:' : this.options.artifactRoot.replace(/\/+$/, '');
    const exp: ExperimentRecord = { experiment_id: id, name, artifact_location: location || `${root}/${id}`, lifecycle_stage: 'active', creation_time: now, last_update_time: now, tags: new Map() };
    this.experiments.set(id, exp);
    return exp;
  }

  createExperiment(name: string, location: string | undefined, tags: { key: string; value?: string }[]): string {
    if (name === '') throw invalid("Invalid experiment name: ''");
    if (this.experimentByName(name)) throw new MlflowError('RESOURCE_ALREADY_EXISTS', `Experiment(name=${name}) already exists.`);
    const exp = this.addExperiment(String(this.nextExperiment++), name, location);
    for (const t of tags) exp.tags.set(t.key, t.value ?? '');
    return exp.experiment_id;
  }

  experimentByName(name: string): ExperimentRecord | undefined {
    return [...this.experiments.values()].find((e) => e.name === name);
  }

  experiment(id: string): ExperimentRecord {
    const exp = this.experiments.get(id);
    if (!exp) throw missing(`No Experiment with id=${id} exists`);
    return exp;
  }

  createRun(experimentId: string, runName: string, userId: string, startTime: number, tags: { key: string; value?: string }[]): RunRecord {
    const exp = this.experiment(experimentId);
    if (exp.lifecycle_stage !== 'active') throw invalid(`The experiment ${experimentId} must be in the 'active' state. Current state is ${exp.lifecycle_stage}.`);
    const runId = randomBytes(16).toString('hex');
    const run: RunRecord = {
      run_id: runId,
      run_name: runName,
      experiment_id: experimentId,
      user_id: userId,
      status: 'RUNNING',
      start_time: startTime,
      artifact_uri: `${exp.artifact_location}/${runId}/artifacts`,
      lifecycle_stage: 'active',
      params: new Map(),
      tags: new Map(),
      metrics: new Map(),
    };
    for (const t of tags) this.setTag(run, t.key, t.value ?? '');
    if (runName) run.tags.set('mlflow.runName', runName);
    this.runs.set(runId, run);
    return run;
  }

  run(runId: string): RunRecord {
    const run = this.runs.get(runId);
    if (!run) throw missing(`Run with id=${runId} not found`);
    return run;
  }

  activeRun(runId: string): RunRecord {
    const run = this.run(runId);
    if (run.lifecycle_stage !== 'active') throw invalid(`The run ${runId} must be in the 'active' state. Current state is ${run.lifecycle_stage}.`);
    return run;
  }

  setTag(run: RunRecord, key: string, value: string): void {
    checkName('tag', key);
    if (value.length > MAX_TAG_VALUE) throw invalid(`Tag value '${value.slice(0, 40)}...' had length ${value.length}, which exceeded length limit of ${MAX_TAG_VALUE}`);
    run.tags.set(key, value);
    if (key === 'mlflow.runName') run.run_name = value;
  }

  logParam(run: RunRecord, key: string, value: string): void {
    checkName('param', key);
    if (value.length > MAX_PARAM_VALUE) throw invalid(`Param value '${value.slice(0, 40)}...' had length ${value.length}, which exceeded length limit of ${MAX_PARAM_VALUE}`);
    const old = run.params.get(key);
    if (old !== undefined && old !== value) {
      throw invalid(`Changing param values is not allowed. Param with key='${key}' was already logged with value='${old}' for run ID='${run.run_id}'. Attempted logging new value '${value}'.`);
    }
    run.params.set(key, value);
  }

  logMetric(run: RunRecord, metric: MetricValue): void {
    checkName('metric', metric.key);
    const history = run.metrics.get(metric.key) ?? [];
    history.push(metric);
    run.metrics.set(metric.key, history);
  }

  /** Per key, the value with the latest (timestamp, step), as runs/get reports it. */
  latestMetrics(run: RunRecord): MetricValue[] {
    const out: MetricValue[] = [];
    for (const history of run.metrics.values()) {
      let best = history[0];
      for (const m of history) if (m.timestamp > best.timestamp || (m.timestamp === best.timestamp && m.step >= best.step)) best = m;
      out.push(best);
    }
    return out;
  }
}
