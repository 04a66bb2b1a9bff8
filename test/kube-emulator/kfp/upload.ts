/**
 * KFP's two upload endpoints (server/pipeline_upload_server.go at kubeflow/pipelines 7b70c7b9): plain
 * HTTP handlers, not grpc-gateway. The file comes as the multipart `uploadfile`; every other parameter
 * (name, display_name, description, namespace, pipelineid) is read from the query string only, and a
 * missing name falls back to the display name, then the file's name. Errors are `{error_message,
 * error_details}` with the server's generic texts, or http.Error's plain text.
 */
import type { IncomingMessage } from 'node:http';
import { readBody } from '../http.ts';
import { KfpError, KfpUploadError } from './errors.ts';
import { boundaryOf, parseMultipart } from './multipart.ts';
import type { KfpStore, Pipeline, PipelineVersion } from './store.ts';
import { newId, now, parsePipelinePackage } from './store.ts';

type Json = Record<string, unknown>;

/** validation.ValidateFieldLength: the MySQL column sizes of backend/src/apiserver/validation. */
const MAX_NAME = 128;

interface UploadedFile {
  filename: string;
  spec: Json;
}

async function readFile(req: IncomingMessage, failure: string): Promise<UploadedFile> {
  const boundary = boundaryOf(req.headers['content-type']);
  if (!boundary) throw new KfpUploadError(400, failure);
  const file = parseMultipart(await readBody(req), boundary).find((part) => part.name === 'uploadfile');
  if (!file) throw new KfpUploadError(400, failure);
  const filename = file.filename ?? '';
  try {
    return { filename, spec: parsePipelinePackage(file.data.toString('utf8')) };
  } catch (err) {
    // CreatePipelineAndPipelineVersion's InvalidArgument: its external message is sent.
    throw new KfpUploadError(400, err instanceof KfpError && err.external ? err.external : (err as Error).message);
  }
}

function checkLength(type: string, field: string, value: string): void {
  if (value.length > MAX_NAME) throw new KfpUploadError(400, `Invalid input error: ${type}.${field} length cannot exceed ${MAX_NAME}`, true);
}

export function addVersion(store: KfpStore, pipeline: Pipeline, fields: { name: string; display_name: string; description: string }, spec: Json): PipelineVersion {
  const version: PipelineVersion = { pipeline_id: pipeline.pipeline_id, pipeline_version_id: newId(), ...fields, created_at: now(), pipeline_spec: spec };
  store.versions.set(version.pipeline_version_id, version);
  return version;
}

/** POST /apis/v2beta1/pipelines/upload: a pipeline and its first version. */
export async function uploadPipeline(store: KfpStore, req: IncomingMessage, query: URLSearchParams): Promise<Pipeline> {
  const { filename, spec } = await readFile(req, 'Failed to read pipeline from file');
  const namespace = query.get('namespace') ?? '';
  const displayNameQuery = query.get('display_name') ?? '';
  const name = query.get('name') || displayNameQuery || filename;
  const displayName = displayNameQuery || name;
  checkLength('Pipeline', 'Name', name);
  if ([...store.pipelines.values()].some((p) => p.name === name && p.namespace === namespace)) {
    throw new KfpUploadError(409, 'Failed to create a pipeline and a pipeline version');
  }
  const description = query.get('description') ?? '';
  const pipeline: Pipeline = { pipeline_id: newId(), name, display_name: displayName, description, created_at: now(), namespace };
  store.pipelines.set(pipeline.pipeline_id, pipeline);
  addVersion(store, pipeline, { name, display_name: displayName, description }, spec);
  return pipeline;
}

/** POST /apis/v2beta1/pipelines/upload_version?pipelineid=...: a new version of an existing pipeline. */
export async function uploadVersion(store: KfpStore, req: IncomingMessage, query: URLSearchParams): Promise<PipelineVersion> {
  const failure = 'Failed to create a pipeline version';
  const { filename, spec } = await readFile(req, failure);
  const pipelineId = query.get('pipelineid') ?? '';
  if (!pipelineId) throw new KfpUploadError(400, failure);
  const displayNameQuery = query.get('display_name') ?? '';
  const name = query.get('name') || displayNameQuery || filename;
  checkLength('PipelineVersion', 'Name', name);
  const pipeline = store.pipelines.get(pipelineId);
  if (!pipeline) throw new KfpUploadError(400, failure);
  if ([...store.versions.values()].some((v) => v.pipeline_id === pipelineId && v.name === name)) throw new KfpUploadError(409, failure);
  return addVersion(store, pipeline, { name, display_name: displayNameQuery || name, description: query.get('description') ?? '' }, spec);
}
