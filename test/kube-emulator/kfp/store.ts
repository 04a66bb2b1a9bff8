import { randomUUID } from 'node:crypto';
import { parseAllDocuments } from 'yaml';
import { KfpError } from './errors.ts';

/** KFP's records (its MySQL tables), in memory. Field names as in the v2beta1 REST API. */

type Json = Record<string, unknown>;

export interface Pipeline extends Json {
  pipeline_id: string;
  display_name: string;
  name: string;
  description: string;
  created_at: string;
  namespace: string;
}

export interface PipelineVersion extends Json {
  pipeline_id: string;
  pipeline_version_id: string;
  display_name: string;
  name: string;
  description: string;
  created_at: string;
  pipeline_spec: Json;
  code_source_url?: string;
}

export interface Experiment extends Json {
  experiment_id: string;
  display_name: string;
  description: string;
  created_at: string;
  namespace: string;
  storage_state: 'AVAILABLE' | 'ARCHIVED';
  last_run_created_at: string;
}

export type RunState = 'RUNTIME_STATE_UNSPECIFIED' | 'PENDING' | 'RUNNING' | 'SUCCEEDED' | 'SKIPPED' | 'FAILED' | 'CANCELING' | 'CANCELED' | 'PAUSED';

export interface Run extends Json {
  run_id: string;
  experiment_id: string;
  display_name: string;
  description: string;
  storage_state: 'AVAILABLE' | 'ARCHIVED';
  pipeline_version_reference?: { pipeline_id: string; pipeline_version_id: string };
  pipeline_spec?: Json;
  runtime_config?: { parameters?: Json; pipeline_root?: string };
  service_account: string;
  created_at: string;
  scheduled_at: string;
  finished_at: string;
  state: RunState;
  state_history: Array<{ update_time: string; state: RunState }>;
  /** Set on the runs a recurring run started. */
  recurring_run_id?: string;
}

export const ZERO_TIME = '1970-01-01T00:00:00Z';

export function now(): string {
  return new Date().toISOString().replace(/\.\d+Z$/, 'Z');
}

export function newId(): string {
  return randomUUID();
}

/**
 * The pipeline spec inside an uploaded package: YAML (or JSON) IR, optionally followed by a platform spec
 * document. Refused as template.New does (apiserver/template/template.go): YAML that does not parse is
 * `failed to parse pipeline spec YAML: <the parser's words>`, anything else not a v2 spec `unknown template
 * format` (external messages of InvalidInputErrors; the parser's own words differ from Go's yaml package).
 */
export function parsePipelinePackage(text: string): Json {
  let docs: unknown[];
  try {
    docs = parseAllDocuments(text).map((d) => {
      if (d.errors.length) throw new Error(d.errors[0].message);
      return d.toJS();
    });
  } catch (err) {
    const external = `failed to parse pipeline spec YAML: ${(err as Error).message}`;
    throw new KfpError(400, 3, `InvalidInputError: ${external}: the pipeline spec is invalid`, external);
  }
  const spec = docs[0] as Json | undefined;
  if (!spec || typeof spec !== 'object' || !spec.pipelineInfo || !spec.root) {
    throw new KfpError(400, 3, 'InvalidInputError: unknown template format: the pipeline spec is invalid', 'unknown template format');
  }
  const platform = docs[1] as Json | undefined;
  return platform ? { pipeline_spec: spec, platform_spec: platform } : spec;
}

/** The PipelineSpec itself, whether or not a platform spec came with it. */
export function pipelineSpecOf(stored: Json): Json {
  return (stored.pipeline_spec as Json | undefined) && (stored.platform_spec as Json | undefined) ? (stored.pipeline_spec as Json) : stored;
}

export class KfpStore {
  readonly pipelines = new Map<string, Pipeline>();
  readonly versions = new Map<string, PipelineVersion>();
  readonly experiments = new Map<string, Experiment>();
  readonly runs = new Map<string, Run>();
}

export interface ListPage<T> {
  items: T[];
  next_page_token: string;
  total_size: number;
}

/** Sorts by `field` (creation order breaks ties: records made in the same second keep their order) and cuts the page `page_token` (an offset) and `page_size` ask for. */
export function sortAndPage<T extends Json>(items: T[], field: string, desc: boolean, compare: (a: unknown, b: unknown) => number, query: URLSearchParams): ListPage<T> {
  const sign = desc ? -1 : 1;
  const sorted = items
    .map((item, index) => ({ item, index }))
    .sort((a, b) => (compare(a.item[field], b.item[field]) || a.index - b.index) * sign)
    .map((x) => x.item);
  const offset = Number(query.get('page_token') || 0);
  const size = Number(query.get('page_size') || 0);
  const slice = size > 0 ? sorted.slice(offset, offset + size) : sorted.slice(offset);
  const next = size > 0 && offset + size < sorted.length ? String(offset + size) : '';
  return { items: slice, next_page_token: next, total_size: sorted.length };
}

/** Sorting (`field asc|desc`, as text) and paging, as list endpoints do. */
export function page<T extends Json>(items: T[], query: URLSearchParams): ListPage<T> {
  const [field, direction] = (query.get('sort_by') ?? 'created_at').split(/\s+/);
  return sortAndPage(items, field, direction === 'desc', (a, b) => String(a ?? '').localeCompare(String(b ?? '')), query);
}
