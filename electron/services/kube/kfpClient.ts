/**
 * KFP v2beta1 REST, reached either through the API server's service proxy with the kubeconfig's
 * authentication (what the KFP SDK does) or at a direct URL with a bearer token.
 */
import { randomBytes } from 'node:crypto';
import type { KubeConfig } from '@kubernetes/client-node';
import { withRetry } from './backoff.ts';
import { ClusterError, networkError } from './errors.ts';
import { kubeRequest } from './request.ts';

export interface KfpEndpoint {
  /** Through the service proxy of this kubeconfig (context already chosen). */
  kubeConfig?: KubeConfig;
  /** Namespace and service of the KFP API server; defaults kubeflow / ml-pipeline:8888. */
  serviceNamespace?: string;
  service?: string;
  /** Or directly: base URL (e.g. https://kfp.example.com/pipeline) and a bearer token. */
  url?: string;
  token?: string;
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
export interface KfpRun {
  run_id: string;
  display_name?: string;
  experiment_id?: string;
  state?: string;
  error?: { code?: number; message?: string } | null;
  created_at?: string;
  finished_at?: string;
  run_details?: { task_details?: KfpTaskDetail[] } | null;
}
export interface KfpTaskDetail {
  display_name?: string;
  task_id?: string;
  state?: string;
  child_tasks?: { pod_name?: string; task_id?: string }[];
  error?: { message?: string } | null;
}

interface RequestSpec {
  method: string;
  path: string;
  query?: Record<string, string | undefined>;
  body?: unknown;
  multipart?: { field: string; fileName: string; content: string };
}

export class KfpClient {
  constructor(private readonly endpoint: KfpEndpoint) {
    if (!endpoint.kubeConfig && !endpoint.url) throw new Error('KfpClient needs a kubeconfig or a URL');
  }

  private async send<T>(spec: RequestSpec, action: string): Promise<T> {
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
      const res = await this.raw(spec, body, contentType);
      if (res.status < 200 || res.status >= 300) throw ClusterError.fromResponse(res.status, res.text, action, res.headers);
      return (res.text ? JSON.parse(res.text) : {}) as T;
    });
  }

  private async raw(spec: RequestSpec, body: Buffer | undefined, contentType: string | undefined) {
    const query = Object.fromEntries(Object.entries(spec.query ?? {}).filter(([, v]) => v !== undefined)) as Record<string, string>;
    const { kubeConfig, url, token } = this.endpoint;
    if (kubeConfig) {
      const ns = this.endpoint.serviceNamespace ?? 'kubeflow';
      const svc = this.endpoint.service ?? 'ml-pipeline:8888';
      return kubeRequest(kubeConfig, {
        method: spec.method,
        path: `/api/v1/namespaces/${ns}/services/${svc}/proxy${spec.path}`,
        query,
        rawBody: body,
        contentType,
      });
    }
    const target = new URL(url!.replace(/\/+$/, '') + spec.path);
    for (const [k, v] of Object.entries(query)) target.searchParams.set(k, v);
    try {
      const res = await fetch(target, {
        method: spec.method,
        headers: { Accept: 'application/json', ...(contentType ? { 'Content-Type': contentType } : {}), ...(token ? { Authorization: `Bearer ${token}` } : {}) },
        body: body ? new Uint8Array(body) : undefined,
        signal: AbortSignal.timeout(30_000),
      });
      return { status: res.status, headers: Object.fromEntries(res.headers), text: await res.text() };
    } catch (err) {
      throw networkError(err as Error, target.host);
    }
  }

  healthz(): Promise<unknown> {
    return this.send({ method: 'GET', path: '/apis/v2beta1/healthz' }, 'reach the Kubeflow Pipelines API');
  }

  async findPipeline(name: string, namespace?: string): Promise<KfpPipeline | undefined> {
    const filter = JSON.stringify({ predicates: [{ key: 'name', operation: 'EQUALS', string_value: name }] });
    const res = await this.send<{ pipelines?: KfpPipeline[] }>(
      { method: 'GET', path: '/apis/v2beta1/pipelines', query: { filter, namespace, page_size: '10' } }, `look up pipeline ${name}`);
    return res.pipelines?.find((p) => (p.name ?? p.display_name) === name);
  }

  uploadPipeline(name: string, yamlText: string, description?: string, namespace?: string): Promise<KfpPipeline> {
    return this.send(
      { method: 'POST', path: '/apis/v2beta1/pipelines/upload', query: { name, display_name: name, description, namespace }, multipart: { field: 'uploadfile', fileName: `${name}.yaml`, content: yamlText } },
      `upload pipeline ${name}`,
    );
  }

  uploadVersion(pipelineId: string, versionName: string, yamlText: string): Promise<KfpPipelineVersion> {
    return this.send(
      { method: 'POST', path: '/apis/v2beta1/pipelines/upload_version', query: { pipelineid: pipelineId, name: versionName, display_name: versionName }, multipart: { field: 'uploadfile', fileName: `${versionName}.yaml`, content: yamlText } },
      `upload a new version of pipeline ${pipelineId}`,
    );
  }

  async latestVersion(pipelineId: string): Promise<KfpPipelineVersion | undefined> {
    const res = await this.send<{ pipeline_versions?: KfpPipelineVersion[] }>(
      { method: 'GET', path: `/apis/v2beta1/pipelines/${encodeURIComponent(pipelineId)}/versions`, query: { sort_by: 'created_at desc', page_size: '1' } },
      `list versions of pipeline ${pipelineId}`,
    );
    return res.pipeline_versions?.[0];
  }

  async ensureExperiment(name: string, namespace?: string): Promise<KfpExperiment> {
    const filter = JSON.stringify({ predicates: [{ key: 'display_name', operation: 'EQUALS', string_value: name }] });
    const res = await this.send<{ experiments?: KfpExperiment[] }>(
      { method: 'GET', path: '/apis/v2beta1/experiments', query: { filter, namespace } }, `look up experiment ${name}`);
    const found = res.experiments?.find((e) => e.display_name === name);
    if (found) return found;
    return this.send({ method: 'POST', path: '/apis/v2beta1/experiments', body: { display_name: name, namespace } }, `create experiment ${name}`);
  }

  createRun(input: { displayName: string; experimentId: string; version: KfpPipelineVersion; parameters?: Record<string, unknown>; pipelineRoot?: string }): Promise<KfpRun> {
    return this.send(
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
    );
  }

  getRun(runId: string): Promise<KfpRun> {
    return this.send({ method: 'GET', path: `/apis/v2beta1/runs/${encodeURIComponent(runId)}` }, `read run ${runId}`);
  }

  terminateRun(runId: string): Promise<unknown> {
    return this.send({ method: 'POST', path: `/apis/v2beta1/runs/${encodeURIComponent(runId)}:terminate` }, `terminate run ${runId}`);
  }

  retryRun(runId: string): Promise<unknown> {
    return this.send({ method: 'POST', path: `/apis/v2beta1/runs/${encodeURIComponent(runId)}:retry` }, `retry run ${runId}`);
  }
}
