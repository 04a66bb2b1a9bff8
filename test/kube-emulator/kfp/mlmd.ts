/**
 * What the emulated KFP driver and launcher share (kfp/execute.ts, kfp/launcher.ts): executions and artifacts
 * as KFP keeps them in ML Metadata, the error a driver or launcher fails with, and their command-line reading.
 */
export type Json = Record<string, unknown>;

export interface Artifact {
  /** The artifact's identity in ML Metadata (what KFP's cache key holds for an input artifact). */
  name: string;
  uri: string;
  type: Json;
}

export interface Execution {
  id: number;
  runId: string;
  type: 'DAG' | 'CONTAINER';
  /** The component's name (`root` for the pipeline). */
  component: string;
  task: string;
  parentId: number;
  parameters: Json;
  artifacts: Record<string, Artifact[]>;
  outputParameters: Json;
  outputArtifacts: Record<string, Artifact>;
  state: 'RUNNING' | 'COMPLETE' | 'FAILED';
  /** Set when the task asks for caching and ran: its outputs are reused by a later task with the same key. */
  cacheKey?: string;
}

/** A driver's or launcher's refusal: the pod exits 1 with this message. */
export class DriverError extends Error {}

export function str(v: unknown): string {
  return v === undefined || v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v);
}

/** A command-line argument after the launcher's or driver's flag. */
export function flag(argv: string[], name: string): string | undefined {
  const end = argv.indexOf('--');
  const i = argv.indexOf(name);
  return i >= 0 && (end < 0 || i < end) ? argv[i + 1] : undefined;
}
