import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, sendJson } from '../http.ts';
import type { ObjectStore } from '../store.ts';
import type { ProxyHandler } from '../server.ts';
import { KfpError, KfpUploadError, kfpAlreadyExistsOf, kfpInternalOf, kfpInvalidInput, kfpNotFoundOf, sendKfpError, sendUploadError } from './errors.ts';
import { RecurringRuns } from './recurringRuns.ts';
import { RunSync } from './runs.ts';
import type { Experiment, Pipeline, PipelineVersion, Run } from './store.ts';
import { KfpStore, ZERO_TIME, newId, now, pipelineSpecOf } from './store.ts';
import { uploadPipeline, uploadVersion } from './upload.ts';
import type { Operation } from './validate.ts';
import { applyList, decodeBody, kfpOperation, listOptions, marshalResponse } from './validate.ts';
import { kfpWorkflow } from './workflow.ts';
import type { KfpRunInput } from './workflow.ts';
import type { KfpMultiUser } from './multiUser.ts';

type Json = Record<string, unknown>;
const WORKFLOWS = { resource: 'workflows', group: 'argoproj.io' };

export interface KfpHooks {
  retryWorkflow(namespace: string, name: string): void;
  /** Multi-user mode: identity checks, namespaced objects (multiUser.ts). */
  multiUser?: KfpMultiUser;
}

/** What a handler gets: the swagger operation, its path parameters, the query and the decoded body. */
interface Call {
  op: Operation;
  params: string[];
  query: URLSearchParams;
  body: Json;
  req: IncomingMessage;
}
type Handler = (call: Call) => unknown;

/**
 * KFP v2beta1's REST API (pipelines, versions, experiments, runs, recurring runs) behind the
 * `ml-pipeline` service proxy, held to KFP's swagger (validate.ts) and to what its backend does
 * (kubeflow/pipelines 7b70c7b9, backend 2.17: server/*.go, resource/resource_manager.go).
 */
export class KfpApi {
  readonly data = new KfpStore();
  readonly recurringRuns = new RecurringRuns((id) => this.data.experiments.has(id));
  private readonly sync: RunSync;
  /** What each run's Workflow was compiled from (its drivers read it in execute mode, kfp/execute.ts). */
  readonly runInputs = new Map<string, KfpRunInput>();
  /** Which stored objects the current list request may see (multi-user: its namespace's only); set before each handler runs. */
  private visible: (record: Json) => boolean = () => true;
  private readonly stopSync: () => void;
  private readonly handlers: Record<string, Handler>;

  constructor(
    private readonly store: ObjectStore,
    private readonly hooks: KfpHooks,
    private readonly namespace = 'kubeflow',
  ) {
    this.sync = new RunSync(store, this.data.runs);
    this.stopSync = this.sync.start();
    // Keyed `METHOD swagger-path`: a route the swagger does not have cannot be served.
    this.handlers = {
      'GET /apis/v2beta1/pipelines': (c) => this.list('Pipeline', 'pipelines', this.visiblePipelines(c.query), c.query, 'Failed to list pipelines'),
      'GET /apis/v2beta1/pipelines/names/{name}': (c) => this.pipelineByName(decodeURIComponent(c.params[0]), c.query.get('namespace') ?? ''),
      'GET /apis/v2beta1/pipelines/{pipeline_id}': (c) => this.pipeline(c.params[0]),
      'DELETE /apis/v2beta1/pipelines/{pipeline_id}': (c) => this.deletePipeline(c.params[0], c.query.get('cascade') === 'true'),
      'GET /apis/v2beta1/pipelines/{pipeline_id}/versions': (c) => {
        this.pipeline(c.params[0]);
        const versions = [...this.data.versions.values()].filter((v) => v.pipeline_id === c.params[0]);
        return this.list('PipelineVersion', 'pipeline_versions', versions, c.query, 'Failed to list pipeline versions');
      },
      'GET /apis/v2beta1/pipelines/{pipeline_id}/versions/{pipeline_version_id}': (c) => this.version(c.params[0], c.params[1]),
      'DELETE /apis/v2beta1/pipelines/{pipeline_id}/versions/{pipeline_version_id}': (c) => {
        this.version(c.params[0], c.params[1]);
        this.data.versions.delete(c.params[1]);
        return {};
      },
      'POST /apis/v2beta1/experiments': (c) => this.createExperiment(c.body),
      'GET /apis/v2beta1/experiments': (c) => this.list('Experiment', 'experiments', this.inNamespace([...this.data.experiments.values()], c.query).filter((e) => this.visible(e)), c.query, 'Failed to create list options'),
      'GET /apis/v2beta1/experiments/{experiment_id}': (c) => this.experiment(c.params[0]),
      'POST /apis/v2beta1/runs': (c) => this.createRun(c.body),
      'GET /apis/v2beta1/runs': (c) => this.listRuns(c.query),
      'GET /apis/v2beta1/runs/{run_id}': (c) => this.run(c.params[0], 'Failed to get a run'),
      'POST /apis/v2beta1/runs/{run_id}:terminate': (c) => this.terminate(c.params[0]),
      'POST /apis/v2beta1/runs/{run_id}:retry': (c) => this.retry(c.params[0]),
    };
  }

  stop(): void {
    this.stopSync();
  }

  /** Every `METHOD swagger-path` this emulator answers (the standins test checks each against the swagger). */
  get servedRoutes(): string[] {
    return [
      'POST /apis/v2beta1/pipelines/upload',
      'POST /apis/v2beta1/pipelines/upload_version',
      ...Object.keys(this.handlers),
      ...RecurringRuns.ROUTES,
    ];
  }

  readonly handler: ProxyHandler = async (req, res, path, query) => {
    try {
      await this.route(req, res, path, query);
    } catch (err) {
      if (err instanceof KfpUploadError) sendUploadError(res, err);
      else sendKfpError(res, err);
    }
  };

  private async route(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams): Promise<void> {
    const method = req.method ?? 'GET';
    const p = path.replace(/\/+$/, '');
    // healthz is a plain HTTP handler in KFP (apiserver/main.go healthzResponse: encoding/json, every field written).
    if (p === '/apis/v2beta1/healthz' && method === 'GET') return sendJson(res, 200, { commit_sha: 'emulator', tag_name: '2.17.0', multi_user: Boolean(this.hooks.multiUser), pipeline_store: 'database' });
    const op = kfpOperation(method, p);
    if (!op) {
      const otherMethod = ['GET', 'POST', 'DELETE', 'PATCH'].some((m) => kfpOperation(m, p));
      // grpc-gateway's routing errors.
      throw otherMethod ? new KfpError(405, 12, 'Method Not Allowed') : new KfpError(404, 5, 'Not Found');
    }
    const params = op.pattern.exec(p)!.slice(1);
    let decoded: Promise<Json> | undefined;
    const readDecoded = () => (decoded ??= op.parameters.some((x) => x.in === 'body') ? readBody(req).then((b) => decodeBody(op, b.toString('utf8'))) : Promise.resolve({}));
    this.visible = (await this.hooks.multiUser?.guard(this.data, req, method, p, query, readDecoded))?.visible ?? (() => true);
    if (op.path === '/apis/v2beta1/pipelines/upload') return sendJson(res, 200, marshalResponse(op, await uploadPipeline(this.data, req, query)));
    if (op.path === '/apis/v2beta1/pipelines/upload_version') return sendJson(res, 200, marshalResponse(op, await uploadVersion(this.data, req, query)));
    const body = await readDecoded();
    let value: unknown;
    if (op.path.startsWith('/apis/v2beta1/recurringruns')) {
      if (method === 'GET' && op.path === '/apis/v2beta1/recurringruns') listOptions('Job', query, 'Failed to create list options');
      value = await this.recurringRuns.route(method, p, query, body, this.visible);
    } else {
      const handler = this.handlers[`${op.method} ${op.path}`];
      // A swagger route the emulator does not serve: gRPC's Unimplemented, never a made-up success.
      if (!handler) throw new KfpError(501, 12, `method ${op.method} ${op.path} is not implemented by the emulator`);
      value = await handler({ op, params, query, body, req });
    }
    sendJson(res, 200, marshalResponse(op, value));
  }

  private list<T extends Json>(type: Parameters<typeof listOptions>[0], key: string, items: T[], query: URLSearchParams, wrap: string): Json {
    const options = listOptions(type, query, wrap);
    const { items: pageItems, next_page_token, total_size } = applyList(items, options, query);
    return { [key]: pageItems, total_size, next_page_token };
  }

  private inNamespace<T extends { namespace?: string }>(items: T[], query: URLSearchParams): T[] {
    const namespace = query.get('namespace');
    return items.filter((x) => !namespace || (x.namespace ?? '') === namespace);
  }

  /** Single-user KFP lists shared (namespace "") pipelines with those of the asked namespace. */
  private visiblePipelines(query: URLSearchParams): Pipeline[] {
    const namespace = query.get('namespace');
    return [...this.data.pipelines.values()].filter((p) => (!namespace || p.namespace === namespace || p.namespace === '') && this.visible(p));
  }

  private pipeline(id: string): Pipeline {
    const found = this.data.pipelines.get(id);
    if (!found) throw kfpNotFoundOf('Pipeline', id, 'Failed to get a pipeline', `Failed to get a pipeline with id ${id}`);
    return found;
  }

  private pipelineByName(name: string, namespace: string): Pipeline {
    const found = [...this.data.pipelines.values()].find((p) => p.name === name && p.namespace === namespace);
    if (!found) throw kfpNotFoundOf('Namespace/Pipeline', `${namespace}/${name}`, `Failed to get a pipeline named ${name} in namespace ${namespace}`);
    return found;
  }

  private version(pipelineId: string, versionId: string): PipelineVersion {
    const found = this.data.versions.get(versionId);
    if (!found || found.pipeline_id !== pipelineId) throw kfpNotFoundOf('PipelineVersion', versionId, 'Failed to get a pipeline version', `Failed to get a pipeline version with id ${versionId}`);
    return found;
  }

  private deletePipeline(id: string, cascade: boolean): Json {
    this.pipeline(id);
    const versions = [...this.data.versions.values()].filter((v) => v.pipeline_id === id);
    if (versions.length > 0 && !cascade) {
      const external = `Failed to delete pipeline with id ${id} as it has existing pipeline versions (e.g. ${versions.at(-1)!.pipeline_version_id}). Set cascade=true to delete all versions`;
      throw kfpInvalidInput(external, `Failed to delete pipeline ${id}. Check error stack`);
    }
    for (const v of versions) this.data.versions.delete(v.pipeline_version_id);
    this.data.pipelines.delete(id);
    return {};
  }

  private experiment(id: string, ...wraps: string[]): Experiment {
    const found = this.data.experiments.get(id);
    if (!found) throw kfpNotFoundOf('Experiment', id, ...(wraps.length ? wraps : ['Failed to get an experiment', `Failed to get experiment ${id}`]));
    return found;
  }

  private createExperiment(body: Json): Experiment {
    const displayName = String(body.display_name ?? '');
    // toModelExperiment refuses it as an internal error (HTTP 500), as the real server does.
    if (!displayName) throw kfpInternalOf('Failed to convert API experiment to model experiment', 'Invalid input error: Experiment must have a non-empty name', '[ExperimentServer]: Failed to create a experiment due to conversion error');
    const namespace = String(body.namespace ?? '');
    if ([...this.data.experiments.values()].some((e) => e.display_name === displayName && e.namespace === namespace)) {
      throw kfpAlreadyExistsOf(`Failed to create a new experiment. The name ${displayName} already exists. Please specify a new name`, 'Failed to create a experiment');
    }
    return this.addExperiment(displayName, String(body.description ?? ''), namespace);
  }

  private addExperiment(displayName: string, description: string, namespace: string): Experiment {
    const experiment: Experiment = { experiment_id: newId(), display_name: displayName, description, created_at: now(), namespace, storage_state: 'AVAILABLE', last_run_created_at: ZERO_TIME };
    this.data.experiments.set(experiment.experiment_id, experiment);
    return experiment;
  }

  private run(id: string, ...wraps: string[]): Run {
    const found = this.data.runs.get(id);
    if (!found) throw kfpNotFoundOf('Run', id, ...wraps, `Failed to fetch run ${id}`);
    this.sync.refresh(found);
    return found;
  }

  /**
   * What KFP's scheduled-workflow controller does when a recurring run's cron fires: a run named
   * `<display_name>-<n>-<hash>` in its experiment with its pipeline and parameters, carrying
   * `recurring_run_id`. Nothing when the recurring run is disabled or `max_concurrency` runs are going.
   */
  tickRecurringRun(id: string): { started: Run } | { skipped: 'disabled' | 'concurrency' } {
    const rr = this.recurringRuns.items.get(id);
    if (!rr) throw new Error(`no recurring run ${id}`);
    if (rr.status === 'DISABLED') return { skipped: 'disabled' };
    const mine = [...this.data.runs.values()].filter((r) => r.recurring_run_id === id);
    for (const r of mine) this.sync.refresh(r);
    if (mine.filter((r) => ['PENDING', 'RUNNING', 'CANCELING'].includes(r.state)).length >= Number(rr.max_concurrency ?? 1)) return { skipped: 'concurrency' };
    const suffix = newId().replace(/-/g, '').slice(0, 10);
    const run = this.createRun(
      {
        display_name: `${String(rr.display_name)}-${mine.length + 1}-${suffix}`,
        ...(rr.pipeline_spec ? { pipeline_spec: rr.pipeline_spec } : { pipeline_version_reference: rr.pipeline_version_reference }),
        runtime_config: rr.runtime_config,
        experiment_id: rr.experiment_id,
        service_account: rr.service_account,
      },
      id,
    );
    return { started: run };
  }

  private createRun(body: Json, recurringRunId?: string): Run {
    const wrap = 'Failed to create a new run';
    const displayName = String(body.display_name ?? '');
    // toModelRun refuses it as an internal error (HTTP 500), as the real server does.
    if (!displayName) throw kfpInternalOf('Failed to convert a API run detail to its internal representation', 'Invalid input error: Run name cannot be empty', 'CreateJob(job.ToV2())Failed to create a run due to conversion error');
    if (body.plugins_output !== undefined) {
      throw new KfpError(409, 10, 'BadRequestError: plugins_output is server-owned and populated exclusively via plugin lifecycle hooks: plugins_output must not be set by the client', 'plugins_output is server-owned and populated exclusively via plugin lifecycle hooks');
    }
    const ref = (body.pipeline_version_reference ?? {}) as Json;
    let spec = body.pipeline_spec as Json | undefined;
    let versionRef: Run['pipeline_version_reference'];
    if (!spec) {
      const pipelineId = String(ref.pipeline_id ?? '');
      let versionId = String(ref.pipeline_version_id ?? body.pipeline_version_id ?? '');
      if (!versionId && pipelineId) {
        this.pipeline(pipelineId);
        const versions = [...this.data.versions.values()].filter((v) => v.pipeline_id === pipelineId);
        versionId = versions.at(-1)?.pipeline_version_id ?? '';
      }
      // fetchTemplateFromPipelineSpec's errors reach the client as internal ones (HTTP 500).
      const manifest = 'Failed to create a run due to error fetching manifest';
      if (!versionId) throw kfpInternalOf(manifest, 'Invalid input error: Failed to fetch a template with an empty pipeline spec manifest', wrap);
      const version = this.data.versions.get(versionId);
      if (!version) throw kfpInternalOf(manifest, `Failed to fetch a template due to error retrieving pipeline version: ResourceNotFoundError: PipelineVersion ${versionId} not found`, wrap);
      spec = version.pipeline_spec;
      versionRef = { pipeline_id: version.pipeline_id, pipeline_version_id: version.pipeline_version_id };
    }
    let experimentId = String(body.experiment_id ?? '');
    if (experimentId) this.experiment(experimentId, wrap, 'Failed to create a run due to invalid experimentId and namespace combination');
    else {
      const existing = [...this.data.experiments.values()].find((e) => e.display_name === 'Default');
      experimentId = (existing ?? this.addExperiment('Default', 'All runs created without specifying an experiment will be grouped here.', '')).experiment_id;
    }
    const config = (body.runtime_config ?? {}) as { parameters?: Json; pipeline_root?: string };
    const created = now();
    const run: Run = {
      run_id: newId(),
      experiment_id: experimentId,
      display_name: displayName,
      description: String(body.description ?? ''),
      storage_state: 'AVAILABLE',
      ...(versionRef ? { pipeline_version_reference: versionRef } : { pipeline_spec: spec }),
      ...(config.parameters && Object.keys(config.parameters).length || config.pipeline_root ? { runtime_config: { parameters: config.parameters, pipeline_root: config.pipeline_root } } : {}),
      service_account: String(body.service_account || 'pipeline-runner'),
      created_at: created,
      scheduled_at: created,
      finished_at: ZERO_TIME,
      state: 'PENDING',
      state_history: [{ update_time: created, state: 'PENDING' }],
      ...(recurringRunId ? { recurring_run_id: recurringRunId } : {}),
    };
    this.data.runs.set(run.run_id, run);
    this.data.experiments.get(experimentId)!.last_run_created_at = created;
    // Multi-user KFP runs the Workflow in the profile namespace of the run's experiment.
    const namespace = this.hooks.multiUser ? this.data.experiments.get(experimentId)!.namespace : this.namespace;
    const input: KfpRunInput = { runId: run.run_id, displayName, namespace, pipelineSpec: pipelineSpecOf(spec!), platformSpec: (spec!.platform_spec as Json | undefined) ?? undefined, parameters: config.parameters ?? {}, pipelineRoot: config.pipeline_root ?? '' };
    this.runInputs.set(run.run_id, input);
    const workflow = kfpWorkflow(input);
    delete (workflow.metadata as Json).name;
    this.store.create(WORKFLOWS, workflow);
    this.sync.refresh(run);
    return run;
  }

  private listRuns(query: URLSearchParams): Json {
    const experimentId = query.get('experiment_id');
    const all = [...this.data.runs.values()].filter((r) => (!experimentId || r.experiment_id === experimentId) && this.visible(r));
    const result = this.list('Run', 'runs', all, query, 'Failed to create list options');
    for (const r of result.runs as Run[]) this.sync.refresh(r);
    return result;
  }

  /**
   * ResourceManager.TerminateRun: the run's row goes to CANCELING (only from PENDING, RUNNING, PAUSED or
   * unspecified; otherwise "Row not found"), then the Workflow is patched `spec.activeDeadlineSeconds: 0`.
   * What the persistence agent stores afterwards is RunSync's part.
   */
  private terminate(id: string): Json {
    const run = this.run(id, 'Failed to terminate a run', `Failed to terminate run ${id} due to error fetching the run`);
    if (!['PENDING', 'RUNNING', 'PAUSED', 'RUNTIME_STATE_UNSPECIFIED'].includes(run.state)) {
      throw kfpInvalidInput(`Failed to terminate a run ${id}. Row not found`, 'Failed to terminate a run', `Failed to terminate run ${id}`);
    }
    run.state = 'CANCELING';
    run.state_history.push({ update_time: now(), state: 'CANCELING' });
    const wf = this.sync.workflowOf(run);
    if (wf) {
      this.store.mutate(WORKFLOWS, wf.metadata.namespace, wf.metadata.name, (w) => {
        (w.spec as Json).activeDeadlineSeconds = 0;
      });
    }
    return {};
  }

  /** ResourceManager.RetryRun: only a Workflow that is Failed or Error (BadRequestError, HTTP 409 otherwise). */
  private retry(id: string): Json {
    const run = this.run(id, 'Failed to retry a run', `Failed to retry run ${id} due to error fetching the run`);
    const wf = this.sync.workflowOf(run);
    const phase = String((wf?.status as Json | undefined)?.phase ?? '');
    if (!wf || !['Failed', 'Error'].includes(phase)) {
      throw new KfpError(409, 10, `Failed to retry a run: Failed to retry run ${id}: BadRequestError: Workflow must be Failed/Error to retry: workflow cannot be retried`, 'Workflow must be Failed/Error to retry');
    }
    run.state = 'PENDING';
    run.finished_at = ZERO_TIME;
    run.state_history.push({ update_time: now(), state: 'PENDING' });
    this.hooks.retryWorkflow(wf.metadata.namespace!, wf.metadata.name);
    this.sync.refresh(run);
    return {};
  }
}
