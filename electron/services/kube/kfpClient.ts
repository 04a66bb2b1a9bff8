/**
 * KFP v2beta1 REST, reached either through the API server's service proxy with the kubeconfig's
 * authentication (what the KFP SDK does) or at a direct URL with a bearer token.
 */
import { randomBytes } from 'node:crypto';
import type { KubeConfig } from '@kubernetes/client-node';
import { Backoff, sleep, withRetry } from './backoff.ts';
import { ClusterError, isRetryable, networkError } from './errors.ts';
import { kubeRequest } from './request.ts';
import type { KubeResponse } from './request.ts';
import { kfpService, kfpServiceProxyPath } from '../../../shared/runs/kfpConnection.ts';
import type { KfpServiceSettings } from '../../../shared/runs/kfpConnection.ts';
import { proxyCredentials, sessionCredentials } from './kfpAuth.ts';
import type { KfpCredentials } from './kfpAuth.ts';

export interface KfpEndpoint {
  /** Through the service proxy of this kubeconfig (context already chosen). */
  kubeConfig?: KubeConfig;
  /** The KFP API service the proxy reaches (default kubeflow / ml-pipeline / 8888 / http). */
  service?: Partial<KfpServiceSettings>;
  /** Or directly: base URL (e.g. https://kubeflow.example.com/pipeline) with a bearer token or other credentials. */
  url?: string;
  token?: string;
  credentials?: KfpCredentials;
  /** The profile namespace requests are made for (named in 401/403 advice). */
  namespace?: string;
}

export interface KfpPipeline {
  pipeline_id: string;
  display_name?: string;
  name?: string;
}
export interface KfpPipelineVersion {
  pipeline_id: string;
  pipeline_version_id: string;
  display_name?: string;
}
export interface KfpExperiment {
  experiment_id: string;
  display_name: string;
  namespace?: string;
}
export interface KfpHealth {
  commit_sha?: string;
  tag_name?: string;
  /** Multi-user mode: pipelines, experiments and runs live in a profile namespace. */
  multi_user?: boolean;
}
export interface KfpRun {
  run_id: string;
  display_name?: string;
  experiment_id?: string;
  state?: string;
  error?: { code?: number; message?: string } | null;
  created_at?: string;
  finished_at?: string;
  state_history?: { update_time?: string; state?: string }[];
  run_details?: { task_details?: KfpTaskDetail[] } | null;
  /** Set on the runs a recurring run started. */
  recurring_run_id?: string;
}
export interface KfpRecurringRun {
  recurring_run_id: string;
  display_name: string;
  description?: string;
  status?: 'ENABLED' | 'DISABLED' | 'STATUS_UNSPECIFIED';
  max_concurrency?: string;
  no_catchup?: boolean;
  trigger?: { cron_schedule?: { cron?: string }; periodic_schedule?: { interval_second?: string } };
  experiment_id?: string;
  namespace?: string;
  created_at?: string;
}
export interface KfpTaskDetail {
  display_name?: string;
  task_id?: string;
  state?: string;
  child_tasks?: { pod_name?: string; task_id?: string }[];
  error?: { message?: string } | null;
}

/** grpc-gateway's error body (`{error, code, message}`): the answer is KFP's own, not a proxy's or the API server's. */
function isKfpError(text: string): boolean {
  try {
    const body = JSON.parse(text) as { kind?: unknown; code?: unknown; message?: unknown; error_message?: unknown };
    // A Kubernetes Status has a code and a message too: it is the API server's answer.
    return (body.kind !== 'Status' && typeof body.code === 'number' && typeof body.message === 'string') || typeof body.error_message === 'string';
  } catch {
    return false;
  }
}

function errorDetail(text: string): string {
  try {
    const body = JSON.parse(text) as { message?: string; error?: string; error_message?: string };
    return (body.message ?? body.error ?? body.error_message ?? '').slice(0, 400);
  } catch {
    return text.trim().slice(0, 200);
  }
}

interface RequestSpec {
  method: string;
  path: string;
  query?: Record<string, string | undefined>;
  body?: unknown;
  multipart?: { field: string; fileName: string; content: string };
}

export class KfpClient {
  readonly credentials: KfpCredentials;

  constructor(private readonly endpoint: KfpEndpoint) {
    if (!endpoint.kubeConfig && !endpoint.url) throw new Error('KfpClient needs a kubeconfig or a URL');
    this.credentials = endpoint.credentials ?? (endpoint.url ? sessionCredentials({ token: endpoint.token }) : proxyCredentials);
  }

  private async send<T>(spec: RequestSpec, action: string, attempts = 5): Promise<T> {
    return withRetry(async () => {
      let body: Buffer | undefined;
      let contentType: string | undefined;
      if (spec.multipart) {
        const boundary = `----pipewright${randomBytes(12).toString('hex')}`;
        body = Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${spec.multipart.field}"; filename="${spec.multipart.fileName}"\r\n` +
            `Content-Type: application/x-yaml\r\n\r\n${spec.multipart.content}\r\n--${boundary}--\r\n`,
        );
        contentType = `multipart/form-data; boundary=${boundary}`;
      } else if (spec.body !== undefined) {
        body = Buffer.from(JSON.stringify(spec.body));
        contentType = 'application/json';
      }
      let res = await this.raw(spec, body, contentType);
      // A service account token the server no longer takes (revoked, rotated key): ask for a new one once.
      if (res.status === 401 && this.credentials.invalidate()) res = await this.raw(spec, body, contentType);
      if (res.status < 200 || res.status >= 300) throw this.failure(res, action);
      try {
        return (res.text ? JSON.parse(res.text) : {}) as T;
      } catch {
        // A sign-in page of a proxy in front of KFP answers 200 with HTML.
        const where = this.endpoint.url ?? 'the ml-pipeline service';
        throw new ClusterError('other', `Could not ${action}: the answer from ${where} is not the KFP API's JSON (a sign-in page in front of it? check the URL and the token): ${res.text.slice(0, 80)}`, false, res.status);
      }
    }, attempts);
  }

  /** A refusal in words that fit the way this client reaches KFP (a kubeconfig's 401 is not a Kubeflow session's). */
  private failure(res: KubeResponse, action: string): ClusterError {
    const kfpAnswer = isKfpError(res.text);
    const fromKube = this.credentials.mode === 'proxy' && !kfpAnswer;
    if ((res.status === 401 || res.status === 403) && !fromKube) {
      const detail = errorDetail(res.text);
      const status = res.status as 401 | 403;
      const what = status === 401 ? 'did not accept who you are' : 'refused permission';
      const by = kfpAnswer ? 'Kubeflow Pipelines' : this.endpoint.url ? `The server at ${this.endpoint.url}` : 'Kubeflow Pipelines';
      return new ClusterError(status === 401 ? 'unauthorized' : 'forbidden', `Could not ${action}: ${by} ${what} (${status})${detail ? `: ${detail}` : ''}. ${this.credentials.advice(status, this.endpoint.namespace)}`, false, status);
    }
    if (res.status >= 300 && res.status < 400) {
      const location = String(res.headers.location ?? '');
      return new ClusterError('unauthorized', `Could not ${action}: the server sent Pipewright to a sign-in page${location ? ` (${location.slice(0, 120)})` : ''} instead of answering. ${this.credentials.advice(401, this.endpoint.namespace)}`, false, res.status);
    }
    const error = ClusterError.fromResponse(res.status, res.text, action, res.headers);
    // The upload server hides an authorization failure behind a bare 400 "Failed to create a pipeline".
    if (res.status === 400 && this.endpoint.namespace && /"error_message":\s*"Failed to create a pipeline( version)?"/.test(res.text)) {
      return new ClusterError(error.kind, `${error.message} Kubeflow Pipelines gives no reason; on a multi-user install this is its answer when you may not create pipelines in namespace ${this.endpoint.namespace}. ${this.credentials.advice(403, this.endpoint.namespace)}`, false, res.status);
    }
    return error;
  }

  /**
   * A create that must not happen twice: when an answer is lost (network, 5xx) or the name is taken
   * (409 after a lost answer), look for what an earlier attempt made before trying again.
   */
  private async createOnce<T>(create: () => Promise<T>, find: () => Promise<T | undefined>): Promise<T> {
    const backoff = new Backoff();
    for (let attempt = 1; ; attempt++) {
      try {
        return await create();
      } catch (err) {
        const conflict = err instanceof ClusterError && err.kind === 'conflict';
        if (!conflict && (!isRetryable(err) || attempt >= 5)) throw err;
        if (!conflict) await sleep(err instanceof ClusterError && err.retryAfter ? err.retryAfter * 1000 : backoff.next());
        const found = await find().catch(() => undefined);
        if (found) return found;
        if (conflict) throw err;
      }
    }
  }

  private async raw(spec: RequestSpec, body: Buffer | undefined, contentType: string | undefined): Promise<KubeResponse> {
    const query = Object.fromEntries(Object.entries(spec.query ?? {}).filter(([, v]) => v !== undefined)) as Record<string, string>;
    const { kubeConfig, url } = this.endpoint;
    if (!url && kubeConfig) {
      return kubeRequest(kubeConfig, {
        method: spec.method,
        path: `${kfpServiceProxyPath(kfpService(this.endpoint.service))}${spec.path}`,
        query,
        rawBody: body,
        contentType,
      });
    }
    const target = new URL(url!.replace(/\/+$/, '') + spec.path);
    for (const [k, v] of Object.entries(query)) target.searchParams.set(k, v);
    const auth = await this.credentials.headers();
    try {
      const res = await fetch(target, {
        method: spec.method,
        headers: { Accept: 'application/json', ...(contentType ? { 'Content-Type': contentType } : {}), ...auth },
        body: body ? new Uint8Array(body) : undefined,
        // A login redirect must not be followed into the sign-in page's HTML.
        redirect: 'manual',
        signal: AbortSignal.timeout(30_000),
      });
      return { status: res.status, headers: Object.fromEntries(res.headers), text: await res.text() };
    } catch (err) {
      throw networkError(err as Error, target.host);
    }
  }

  healthz(attempts = 5): Promise<KfpHealth> {
    return this.send({ method: 'GET', path: '/apis/v2beta1/healthz' }, 'reach the Kubeflow Pipelines API', attempts);
  }

  async findPipeline(name: string, namespace?: string): Promise<KfpPipeline | undefined> {
    const filter = JSON.stringify({ predicates: [{ key: 'name', operation: 'EQUALS', string_value: name }] });
    const res = await this.send<{ pipelines?: KfpPipeline[] }>(
      { method: 'GET', path: '/apis/v2beta1/pipelines', query: { filter, namespace, page_size: '10' } }, `look up pipeline ${name}`);
    return res.pipelines?.find((p) => (p.name ?? p.display_name) === name);
  }

  uploadPipeline(name: string, yamlText: string, description?: string, namespace?: string): Promise<KfpPipeline> {
    const upload = () =>
      this.send<KfpPipeline>(
        { method: 'POST', path: '/apis/v2beta1/pipelines/upload', query: { name, display_name: name, description, namespace }, multipart: { field: 'uploadfile', fileName: `${name}.yaml`, content: yamlText } },
        `upload pipeline ${name}`,
        1,
      );
    return this.createOnce(upload, () => this.findPipeline(name, namespace));
  }

  uploadVersion(pipelineId: string, versionName: string, yamlText: string): Promise<KfpPipelineVersion> {
    const upload = () =>
      this.send<KfpPipelineVersion>(
        { method: 'POST', path: '/apis/v2beta1/pipelines/upload_version', query: { pipelineid: pipelineId, name: versionName, display_name: versionName }, multipart: { field: 'uploadfile', fileName: `${versionName}.yaml`, content: yamlText } },
        `upload a new version of pipeline ${pipelineId}`,
        1,
      );
    return this.createOnce(upload, () => this.findVersion(pipelineId, versionName));
  }

  async findVersion(pipelineId: string, name: string): Promise<KfpPipelineVersion | undefined> {
    const filter = JSON.stringify({ predicates: [{ key: 'name', operation: 'EQUALS', string_value: name }] });
    const res = await this.send<{ pipeline_versions?: (KfpPipelineVersion & { name?: string })[] }>(
      { method: 'GET', path: `/apis/v2beta1/pipelines/${encodeURIComponent(pipelineId)}/versions`, query: { filter } },
      `look up version ${name} of pipeline ${pipelineId}`,
    );
    return res.pipeline_versions?.find((v) => (v.name ?? v.display_name) === name);
  }

  async latestVersion(pipelineId: string): Promise<KfpPipelineVersion | undefined> {
    const res = await this.send<{ pipeline_versions?: KfpPipelineVersion[] }>(
      { method: 'GET', path: `/apis/v2beta1/pipelines/${encodeURIComponent(pipelineId)}/versions`, query: { sort_by: 'created_at desc', page_size: '1' } },
      `list versions of pipeline ${pipelineId}`,
    );
    return res.pipeline_versions?.[0];
  }

  /** The experiments' names, as the run dialog offers them (`--experiment` and a run create one that is missing). */
  async listExperiments(namespace?: string): Promise<string[]> {
    return (await this.experiments(namespace)).map((e) => e.display_name).filter((n): n is string => typeof n === 'string');
  }

  /** The newest 200 experiments (of the namespace, in multi-user mode). */
  async experiments(namespace?: string): Promise<KfpExperiment[]> {
    const res = await this.send<{ experiments?: KfpExperiment[] }>(
      { method: 'GET', path: '/apis/v2beta1/experiments', query: { page_size: '200', sort_by: 'created_at desc', namespace } },
      'list experiments',
    );
    return res.experiments ?? [];
  }

  async ensureExperiment(name: string, namespace?: string): Promise<KfpExperiment> {
    const filter = JSON.stringify({ predicates: [{ key: 'display_name', operation: 'EQUALS', string_value: name }] });
    const res = await this.send<{ experiments?: KfpExperiment[] }>(
      { method: 'GET', path: '/apis/v2beta1/experiments', query: { filter, namespace } }, `look up experiment ${name}`);
    const found = res.experiments?.find((e) => e.display_name === name);
    if (found) return found;
    const create = () => this.send<KfpExperiment>({ method: 'POST', path: '/apis/v2beta1/experiments', body: { display_name: name, namespace } }, `create experiment ${name}`, 1);
    return this.createOnce(create, async () => {
      const again = await this.send<{ experiments?: KfpExperiment[] }>({ method: 'GET', path: '/apis/v2beta1/experiments', query: { filter, namespace } }, `look up experiment ${name}`);
      return again.experiments?.find((e) => e.display_name === name);
    });
  }

  /** Starts a run. `displayName` should be unique: a lost answer is recovered by finding the run under it. */
  createRun(input: { displayName: string; experimentId: string; version: KfpPipelineVersion; parameters?: Record<string, unknown>; pipelineRoot?: string }): Promise<KfpRun> {
    const create = () => this.send<KfpRun>(
      {
        method: 'POST',
        path: '/apis/v2beta1/runs',
        body: {
          display_name: input.displayName,
          experiment_id: input.experimentId,
          pipeline_version_reference: { pipeline_id: input.version.pipeline_id, pipeline_version_id: input.version.pipeline_version_id },
          runtime_config: { parameters: input.parameters ?? {}, ...(input.pipelineRoot ? { pipeline_root: input.pipelineRoot } : {}) },
        },
      },
      `start run ${input.displayName}`,
      1,
    );
    return this.createOnce(create, () => this.findRun(input.displayName, input.experimentId));
  }

  /** Creates a recurring run (a v2beta1 RecurringRun body); once only, even when an answer is lost. */
  async createRecurringRun(body: { display_name: string; experiment_id?: string }): Promise<KfpRecurringRun> {
    const create = () => this.send<KfpRecurringRun>({ method: 'POST', path: '/apis/v2beta1/recurringruns', body }, `create recurring run ${body.display_name}`, 1);
    return this.createOnce(create, async () => (await this.listRecurringRuns(body.experiment_id)).find((r) => r.display_name === body.display_name));
  }

  /** Every recurring run (of one experiment when given; else of the namespace, which multi-user mode needs), all pages. */
  async listRecurringRuns(experimentId?: string, namespace?: string): Promise<KfpRecurringRun[]> {
    const out: KfpRecurringRun[] = [];
    let token: string | undefined;
    do {
      const res = await this.send<{ recurringRuns?: KfpRecurringRun[]; next_page_token?: string }>(
        { method: 'GET', path: '/apis/v2beta1/recurringruns', query: { experiment_id: experimentId, ...(experimentId ? {} : { namespace }), page_size: '100', page_token: token } },
        experimentId || !namespace ? 'list recurring runs' : `list the recurring runs in namespace ${namespace}`,
      );
      out.push(...(res.recurringRuns ?? []));
      token = res.next_page_token || undefined;
    } while (token);
    return out;
  }

  async setRecurringRunEnabled(id: string, enabled: boolean): Promise<void> {
    await this.send({ method: 'POST', path: `/apis/v2beta1/recurringruns/${encodeURIComponent(id)}:${enabled ? 'enable' : 'disable'}` }, `${enabled ? 'resume' : 'pause'} recurring run ${id}`);
  }

  async deleteRecurringRun(id: string): Promise<void> {
    await this.send({ method: 'DELETE', path: `/apis/v2beta1/recurringruns/${encodeURIComponent(id)}` }, `delete recurring run ${id}`);
  }

  /** The newest runs (of one experiment when given; else of the namespace), newest first: at most `maxPages` pages of 100. */
  async listRuns(experimentId?: string, maxPages = 5, namespace?: string): Promise<KfpRun[]> {
    const out: KfpRun[] = [];
    let token: string | undefined;
    for (let pageNo = 0; pageNo < maxPages; pageNo++) {
      const res = await this.send<{ runs?: KfpRun[]; next_page_token?: string }>(
        { method: 'GET', path: '/apis/v2beta1/runs', query: { experiment_id: experimentId, ...(experimentId ? {} : { namespace }), page_size: '100', page_token: token, sort_by: 'created_at desc' } },
        'list runs',
      );
      out.push(...(res.runs ?? []));
      token = res.next_page_token || undefined;
      if (!token) break;
    }
    return out;
  }

  async findRun(displayName: string, experimentId?: string): Promise<KfpRun | undefined> {
    const filter = JSON.stringify({ predicates: [{ key: 'display_name', operation: 'EQUALS', string_value: displayName }] });
    const res = await this.send<{ runs?: KfpRun[] }>({ method: 'GET', path: '/apis/v2beta1/runs', query: { filter, experiment_id: experimentId } }, `look up run ${displayName}`);
    return res.runs?.find((r) => r.display_name === displayName);
  }

  getRun(runId: string): Promise<KfpRun> {
    return this.send({ method: 'GET', path: `/apis/v2beta1/runs/${encodeURIComponent(runId)}` }, `read run ${runId}`);
  }

  terminateRun(runId: string): Promise<unknown> {
    return this.send({ method: 'POST', path: `/apis/v2beta1/runs/${encodeURIComponent(runId)}:terminate` }, `terminate run ${runId}`);
  }

  /**
   * Retries a FAILED or CANCELED run. After a 5xx or a lost answer the retry may have happened anyway:
   * the run's state is read before asking again, so a run is never retried twice.
   */
  async retryRun(runId: string, before?: KfpRun): Promise<void> {
    const backoff = new Backoff();
    const was = before ?? (await this.getRun(runId));
    const seen = was.state_history?.length ?? 0;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.send({ method: 'POST', path: `/apis/v2beta1/runs/${encodeURIComponent(runId)}:retry` }, `retry run ${runId}`, 1);
        return;
      } catch (err) {
        if (!isRetryable(err) || attempt >= 5) throw err;
        await sleep(err instanceof ClusterError && err.retryAfter ? err.retryAfter * 1000 : backoff.next());
        const now = await this.getRun(runId).catch(() => undefined);
        // KFP took the retry: the run left its final state (or its history moved on).
        if (now && (!['FAILED', 'CANCELED'].includes(now.state ?? '') || (now.state_history?.length ?? 0) > seen)) return;
      }
    }
  }
}
