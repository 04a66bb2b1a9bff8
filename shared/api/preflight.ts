/** Cluster pre-flight from the run dialog: the same check as `pipewright preflight`, for the open document. */
import type { PipelineDocument } from '../pipeline/types.ts';
import type { PreflightReport, PreflightTarget } from '../preflight/types.ts';

export interface PreflightCheckRequest {
  document: PipelineDocument;
  target: PreflightTarget;
  context: string;
  /** Empty or absent: the document's settings.namespace, else the context's, else `default`. */
  namespace?: string;
}

export interface PreflightResult extends PreflightReport {
  /** The namespace that was checked. */
  namespace: string;
}

export interface PreflightApi {
  runPreflight(request: PreflightCheckRequest): Promise<PreflightResult>;
}
