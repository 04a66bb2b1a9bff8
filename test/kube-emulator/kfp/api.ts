import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, sendJson } from '../http.ts';
import type { ObjectStore } from '../store.ts';
import { isRecord } from '../types.ts';
import type { ProxyHandler } from '../server.ts';
import { KfpError, kfpAlreadyExists, kfpFailedPrecondition, kfpInvalid, kfpNotFound, sendKfpError } from './errors.ts';
import { boundaryOf, parseMultipart } from './multipart.ts';
import { RecurringRuns } from './recurringRuns.ts';
import { RunSync } from './runs.ts';
import type { Experiment, Pipeline, PipelineVersion, Run } from './store.ts';
import { KfpStore, ZERO_TIME, newId, now, page, parseFilter, parsePipelinePackage, pipelineSpecOf } from './store.ts';
import { kfpWorkflow } from './workflow.ts';

type Json = Record<string, unknown>;
const WORKFLOWS = { resource: 'workflows', group: 'argoproj.io' };

export interface KfpHooks {
  retryWorkflow(namespace: string, name: string): void;
}

async function readJsonBody(req: IncomingMessage): Promise<Json> {
  const text = (await readBody(req)).toString('utf8');
  try {
    const parsed = JSON.parse(text || '{}') as unknown;
    if (!isRecord(parsed)) throw new Error('not an object');
    return parsed;
  } catch (err) {
    throw kfpInvalid(`Invalid input error: the request body is not a JSON object: ${(err as Error).message}`);
  }
}

/** KFP v2beta1's REST API (pipelines, versions, experiments, runs), served behind the `ml-pipeline` service proxy. */
export class KfpApi {
  readonly data = new KfpStore();
  readonly recurringRuns = new RecurringRuns((id) => this.data.experiments.has(id));
  private readonly sync: RunSync;
  private readonly stopSync: () => void;

  constructor(
    private readonly store: ObjectStore,
    private readonly hooks: KfpHooks,
    private readonly namespace = 'kubeflow',
  ) {
    this.sync = new RunSync(store, this.data.runs);
    this.stopSync = this.sync.start();
  }

  stop(): void {
    this.stopSync();
  }

  readonly handler: ProxyHandler = async (req, res, path, query) => {
    try {
      await this.route(req, res, path, query);
    } catch (err) {
      sendKfpError(res, err);
    }
  };

  private async route(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams): Promise<void> {
    const method = req.method ?? 'GET';
    const p = path.replace(/\/+$/, '');
    if (p === '/apis/v2beta1/healthz') return sendJson(res, 200, { commit_sha: 'emulator', tag_name: '2.5.0', multi_user: false, pipeline_store: 'database' });
    let m: RegExpExecArray | null;
    if (p === '/apis/v2beta1/pipelines/upload' && method === 'POST') return this.upload(req, res, query, false);
    if (p === '/apis/v2beta1/pipelines/upload_version' && method === 'POST') return this.upload(req, res, query, true);
    if (p === '/apis/v2beta1/pipelines' && method === 'GET') return this.listPipelines(res, query);
    if ((m = /^\/apis\/v2beta1\/pipelines\/names\/([^/]+)$/.exec(p)) && method === 'GET') return sendJson(res, 200, this.pipelineByName(decodeURIComponent(m[1])));
    if ((m = /^\/apis\/v2beta1\/pipelines\/([^/]+)\/versions$/.exec(p)) && method === 'GET') return this.listVersions(res, m[1], query);
    if ((m = /^\/apis\/v2beta1\/pipelines\/([^/]+)\/versions\/([^/]+)$/.exec(p)) && method === 'GET') return sendJson(res, 200, this.version(m[1], m[2]));
    if ((m = /^\/apis\/v2beta1\/pipelines\/([^/]+)$/.exec(p)) && method === 'GET') return sendJson(res, 200, this.pipeline(m[1]));
    if ((m = /^\/apis\/v2beta1\/pipelines\/([^/]+)$/.exec(p)) && method === 'DELETE') return this.deletePipeline(res, m[1]);
    if (p === '/apis/v2beta1/experiments' && method === 'POST') return this.createExperiment(res, await readJsonBody(req));
    if (p === '/apis/v2beta1/experiments' && method === 'GET') return this.listExperiments(res, query);
    if ((m = /^\/apis\/v2beta1\/experiments\/([^/:]+)$/.exec(p)) && method === 'GET') return sendJson(res, 200, this.experiment(m[1]));
    if (p === '/apis/v2beta1/runs' && method === 'POST') return this.createRun(res, await readJsonBody(req));
    if (p === '/apis/v2beta1/runs' && method === 'GET') return this.listRuns(res, query);
    if ((m = /^\/apis\/v2beta1\/runs\/([^/:]+):terminate$/.exec(p)) && method === 'POST') return this.terminate(res, m[1]);
    if ((m = /^\/apis\/v2beta1\/runs\/([^/:]+):retry$/.exec(p)) && method === 'POST') return this.retry(res, m[1]);
    if ((m = /^\/apis\/v2beta1\/runs\/([^/:]+)$/.exec(p)) && method === 'GET') return sendJson(res, 200, this.run(m[1]));
    if (p.startsWith('/apis/v2beta1/recurringruns') && (await this.recurringRuns.route(req, res, p, query, () => readJsonBody(req)))) return;
    throw new KfpError(404, 5, `Not Found: ${method} ${p}`);
  }

  private pipeline(id: string): Pipeline {
    const found = this.data.pipelines.get(id);
    if (!found) throw kfpNotFound(`Failed to get pipeline ${id}: ResourceNotFoundError: Pipeline ${id} not found`);
    return found;
  }

  private pipelineByName(name: string): Pipeline {
    const found = [...this.data.pipelines.values()].find((p) => p.name === name || p.display_name === name);
    if (!found) throw kfpNotFound(`Failed to get pipeline by name ${name}: ResourceNotFoundError: Pipeline ${name} not found`);
    return found;
  }

  private version(pipelineId: string, versionId: string): PipelineVersion {
    const found = this.data.versions.get(versionId);
    if (!found || found.pipeline_id !== pipelineId) throw kfpNotFound(`Failed to get pipeline version ${versionId}: ResourceNotFoundError: PipelineVersion ${versionId} not found`);
    return found;
  }

  private async upload(req: IncomingMessage, res: ServerResponse, query: URLSearchParams, asVersion: boolean): Promise<void> {
    const boundary = boundaryOf(req.headers['content-type']);
    if (!boundary) throw kfpInvalid('Failed to upload pipeline: the request must be multipart/form-data with an "uploadfile" part');
    const parts = parseMultipart(await readBody(req), boundary);
    const file = parts.find((part) => part.name === 'uploadfile');
    if (!file) throw kfpInvalid('Failed to upload pipeline: missing the "uploadfile" form field');
    const filename = file.filename ?? 'pipeline.yaml';
    const spec = parsePipelinePackage(file.data.toString('utf8'), filename);
    const field = (name: string) => query.get(name) ?? parts.find((part) => part.name === name)?.data.toString('utf8') ?? undefined;
    const fallbackName = filename.replace(/\.(ya?ml|json|zip|tar\.gz)$/, '');
    const name = field('name') ?? field('display_name') ?? fallbackName;
    const description = field('description') ?? '';
    if (asVersion) {
      const pipelineId = field('pipelineid') ?? '';
      const pipeline = this.pipeline(pipelineId);
      if ([...this.data.versions.values()].some((v) => v.pipeline_id === pipelineId && v.name === name)) {
        throw kfpAlreadyExists(`Failed to upload pipeline version: Already exist error: Failed to create a pipeline version. The pipeline version with name ${name} already exists in pipeline ${pipeline.pipeline_id}`);
      }
      return sendJson(res, 200, this.addVersion(pipeline, name, field('display_name') ?? name, description, spec));
    }
    const namespace = field('namespace') ?? '';
    if ([...this.data.pipelines.values()].some((p) => p.name === name && p.namespace === namespace)) {
      throw kfpAlreadyExists(`Failed to upload pipeline: Already exist error: Failed to create a pipeline with the same name ${name} in namespace "${namespace}". Please use a different name, or upload a new version of the existing pipeline`);
    }
    const pipeline: Pipeline = { pipeline_id: newId(), display_name: field('display_name') ?? name, name, description, created_at: now(), namespace };
    this.data.pipelines.set(pipeline.pipeline_id, pipeline);
    this.addVersion(pipeline, name, pipeline.display_name, description, spec);
    sendJson(res, 200, pipeline);
  }

  private addVersion(pipeline: Pipeline, name: string, displayName: string, description: string, spec: Json): PipelineVersion {
    const version: PipelineVersion = {
      pipeline_id: pipeline.pipeline_id,
      pipeline_version_id: newId(),
      display_name: displayName,
      name,
      description,
      created_at: now(),
      package_url: { pipeline_url: '' },
      code_source_url: '',
      pipeline_spec: spec,
    };
    this.data.versions.set(version.pipeline_version_id, version);
    return version;
  }

  private listPipelines(res: ServerResponse, query: URLSearchParams): void {
    const filter = parseFilter(query.get('filter'));
    const namespace = query.get('namespace');
    const all = [...this.data.pipelines.values()].filter((p) => (!namespace || p.namespace === namespace || p.namespace === '') && filter(p));
    const { items, next_page_token, total_size } = page(all, query);
    sendJson(res, 200, { pipelines: items, total_size, next_page_token });
  }

  private listVersions(res: ServerResponse, pipelineId: string, query: URLSearchParams): void {
    this.pipeline(pipelineId);
    const filter = parseFilter(query.get('filter'));
    const all = [...this.data.versions.values()].filter((v) => v.pipeline_id === pipelineId && filter(v));
    const { items, next_page_token, total_size } = page(all, query);
    sendJson(res, 200, { pipeline_versions: items, total_size, next_page_token });
  }

  private deletePipeline(res: ServerResponse, id: string): void {
    this.pipeline(id);
    if ([...this.data.versions.values()].some((v) => v.pipeline_id === id)) {
      throw kfpFailedPrecondition(`Failed to delete pipeline ${id}: it has pipeline versions; delete them first`);
    }
    this.data.pipelines.delete(id);
    sendJson(res, 200, {});
  }

  private experiment(id: string): Experiment {
    const found = this.data.experiments.get(id);
    if (!found) throw kfpNotFound(`Failed to get experiment ${id}: ResourceNotFoundError: Experiment ${id} not found`);
    return found;
  }

  private createExperiment(res: ServerResponse, body: Json): void {
    const displayName = String(body.display_name ?? body.displayName ?? '');
    if (!displayName) throw kfpInvalid('Invalid input error: Experiment must have a non-empty display_name');
    const namespace = String(body.namespace ?? '');
    if ([...this.data.experiments.values()].some((e) => e.display_name === displayName && e.namespace === namespace)) {
      throw kfpAlreadyExists(`Failed to create a new experiment. The name ${displayName} already exists. Please specify a new name`);
    }
    sendJson(res, 200, this.addExperiment(displayName, String(body.description ?? ''), namespace));
  }

  private addExperiment(displayName: string, description: string, namespace: string): Experiment {
    const experiment: Experiment = { experiment_id: newId(), display_name: displayName, description, created_at: now(), namespace, storage_state: 'AVAILABLE', last_run_created_at: ZERO_TIME };
    this.data.experiments.set(experiment.experiment_id, experiment);
    return experiment;
  }

  private listExperiments(res: ServerResponse, query: URLSearchParams): void {
    const filter = parseFilter(query.get('filter'));
    const all = [...this.data.experiments.values()].filter((e) => filter(e));
    const { items, next_page_token, total_size } = page(all, query);
    sendJson(res, 200, { experiments: items, total_size, next_page_token });
  }

  private run(id: string): Run {
    const found = this.data.runs.get(id);
    if (!found) throw kfpNotFound(`Failed to get run ${id}: ResourceNotFoundError: Run ${id} not found`);
    this.sync.refresh(found);
    return found;
  }

  private createRun(res: ServerResponse, body: Json): void {
    sendJson(res, 200, this.addRun(body));
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
    const run = this.addRun({
      display_name: `${String(rr.display_name)}-${mine.length + 1}-${suffix}`,
      ...(rr.pipeline_spec ? { pipeline_spec: rr.pipeline_spec } : { pipeline_version_reference: rr.pipeline_version_reference }),
      runtime_config: rr.runtime_config,
      experiment_id: rr.experiment_id,
      service_account: rr.service_account,
    }, id);
    return { started: run };
  }

  private addRun(body: Json, recurringRunId?: string): Run {
    const displayName = String(body.display_name ?? '');
    if (!displayName) throw kfpInvalid('Invalid input error: The run name is empty. Please specify a valid name');
    const ref = (isRecord(body.pipeline_version_reference) ? body.pipeline_version_reference : {}) as Json;
    let spec: Json | undefined = isRecord(body.pipeline_spec) ? body.pipeline_spec : undefined;
    let versionRef: Run['pipeline_version_reference'];
    if (!spec) {
      const pipelineId = String(ref.pipeline_id ?? '');
      let versionId = String(ref.pipeline_version_id ?? body.pipeline_version_id ?? '');
      if (!versionId && pipelineId) {
        this.pipeline(pipelineId);
        versionId = page([...this.data.versions.values()].filter((v) => v.pipeline_id === pipelineId), new URLSearchParams({ sort_by: 'created_at desc', page_size: '1' })).items[0]?.pipeline_version_id ?? '';
      }
      if (!versionId) throw kfpInvalid('Invalid input error: Failed to create a run due to missing pipeline spec: pipeline_version_reference or pipeline_spec is required');
      const version = this.data.versions.get(versionId);
      if (!version) throw kfpNotFound(`Failed to create a run: ResourceNotFoundError: PipelineVersion ${versionId} not found`);
      spec = version.pipeline_spec;
      versionRef = { pipeline_id: version.pipeline_id, pipeline_version_id: version.pipeline_version_id };
    }
    let experimentId = String(body.experiment_id ?? '');
    if (experimentId) this.experiment(experimentId);
    else {
      const existing = [...this.data.experiments.values()].find((e) => e.display_name === 'Default');
      experimentId = (existing ?? this.addExperiment('Default', 'All runs created without specifying an experiment will be grouped here.', '')).experiment_id;
    }
    const config = (isRecord(body.runtime_config) ? body.runtime_config : {}) as Json;
    const created = now();
    const run: Run = {
      run_id: newId(),
      experiment_id: experimentId,
      display_name: displayName,
      description: String(body.description ?? ''),
      storage_state: 'AVAILABLE',
      ...(versionRef ? { pipeline_version_reference: versionRef } : { pipeline_spec: spec }),
      runtime_config: { parameters: (isRecord(config.parameters) ? config.parameters : {}) as Json, pipeline_root: String(config.pipeline_root ?? '') },
      service_account: String(body.service_account ?? 'pipeline-runner'),
      created_at: created,
      scheduled_at: created,
      finished_at: ZERO_TIME,
      state: 'PENDING',
      state_history: [{ update_time: created, state: 'PENDING' }],
      ...(recurringRunId ? { recurring_run_id: recurringRunId } : {}),
    };
    this.data.runs.set(run.run_id, run);
    this.data.experiments.get(experimentId)!.last_run_created_at = created;
    const workflow = kfpWorkflow({ runId: run.run_id, displayName, namespace: this.namespace, pipelineSpec: pipelineSpecOf(spec), parameters: run.runtime_config.parameters, pipelineRoot: run.runtime_config.pipeline_root });
    delete (workflow.metadata as Json).name;
    this.store.create(WORKFLOWS, workflow);
    this.sync.refresh(run);
    return run;
  }

  private listRuns(res: ServerResponse, query: URLSearchParams): void {
    const filter = parseFilter(query.get('filter'));
    const experimentId = query.get('experiment_id');
    const all = [...this.data.runs.values()].filter((r) => (!experimentId || r.experiment_id === experimentId) && filter(r));
    for (const r of all) this.sync.refresh(r);
    const { items, next_page_token, total_size } = page(all, query);
    sendJson(res, 200, { runs: items, total_size, next_page_token });
  }

  private terminate(res: ServerResponse, id: string): void {
    const run = this.run(id);
    const wf = this.sync.workflowOf(run);
    if (!wf) throw kfpNotFound(`Failed to terminate run ${id}: the run's workflow is gone`);
    if (!['PENDING', 'RUNNING'].includes(run.state)) throw kfpFailedPrecondition(`Failed to terminate run ${id}: the run is already ${run.state}`);
    this.store.mutate(WORKFLOWS, wf.metadata.namespace, wf.metadata.name, (w) => {
      (w.spec as Json).shutdown = 'Terminate';
    });
    this.sync.refresh(run);
    sendJson(res, 200, {});
  }

  private retry(res: ServerResponse, id: string): void {
    const run = this.run(id);
    if (!['FAILED', 'CANCELED'].includes(run.state)) throw kfpFailedPrecondition(`Failed to retry run ${id}: the run is ${run.state}, and only FAILED or CANCELED runs can be retried`);
    const wf = this.sync.workflowOf(run);
    if (!wf) throw kfpNotFound(`Failed to retry run ${id}: the run's workflow is gone`);
    this.hooks.retryWorkflow(wf.metadata.namespace!, wf.metadata.name);
    this.sync.refresh(run);
    sendJson(res, 200, {});
  }
}
