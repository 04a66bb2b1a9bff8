/** Cluster pre-flight from the run dialog: the same check as `pipewright preflight`, for the open document. */
import type { PipelineDocument } from '../pipeline/types.ts';
import type { PreflightReport, PreflightTarget } from '../preflight/types.ts';
import type { KfpEndpointRequest } from '../runs/types.ts';

/** kfp: the connection the run will use (as in its StartRunRequest), so pre-flight checks that endpoint. */
export interface PreflightCheckRequest extends Pick<KfpEndpointRequest, 'kfpUrl' | 'kfpToken' | 'kfpAuth' | 'kfpTokenEnv' | 'kfpCookieEnv' | 'kfpServiceAccount'> {
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
