import { randomUUID } from 'node:crypto';
import { parseAllDocuments } from 'yaml';
import { kfpInvalid } from './errors.ts';

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

export type RunState = 'PENDING' | 'RUNNING' | 'SUCCEEDED' | 'SKIPPED' | 'FAILED' | 'CANCELING' | 'CANCELED' | 'PAUSED';

export interface Run extends Json {
  run_id: string;
  experiment_id: string;
  display_name: string;
  description: string;
  storage_state: 'AVAILABLE' | 'ARCHIVED';
  pipeline_version_reference?: { pipeline_id: string; pipeline_version_id: string };
  runtime_config: { parameters: Json; pipeline_root: string };
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

/** The pipeline spec inside an uploaded package: YAML (or JSON) IR, optionally followed by a platform spec document. */
export function parsePipelinePackage(text: string, filename: string): Json {
  let docs: unknown[];
  try {
    docs = parseAllDocuments(text).map((d) => {
      if (d.errors.length) throw new Error(d.errors[0].message);
      return d.toJS();
    });
  } catch (err) {
    throw kfpInvalid(`Failed to upload pipeline: error unmarshalling ${filename}: ${(err as Error).message}`);
  }
  const spec = docs[0] as Json | undefined;
  if (!spec || typeof spec !== 'object' || !spec.pipelineInfo || !spec.root) {
    throw kfpInvalid(`Failed to upload pipeline: invalid pipeline spec in ${filename}: pipelineInfo and root are required (is this a KFP v2 IR YAML?)`);
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

interface Predicate {
  operation?: string;
  op?: string;
  key: string;
  string_value?: string;
  stringValue?: string;
  int_value?: number;
  long_value?: string;
  string_values?: { values: string[] };
  stringValues?: { values: string[] };
}

/** KFP's `filter` query parameter: a JSON Filter with predicates (EQUALS, NOT_EQUALS, IN, IS_SUBSTRING, ...). */
export function parseFilter(text: string | null): (record: Json) => boolean {
  if (!text) return () => true;
  let filter: { predicates?: Predicate[] };
  try {
    filter = JSON.parse(text) as { predicates?: Predicate[] };
  } catch {
    throw kfpInvalid(`Invalid input error: failed to parse valid filter from "${text}"`);
  }
  const predicates = filter.predicates ?? [];
  return (record) =>
    predicates.every((p) => {
      const key = p.key === 'name' && record.name === undefined ? 'display_name' : p.key;
      const actual = String(record[key] ?? '');
      const value = String(p.string_value ?? p.stringValue ?? p.int_value ?? p.long_value ?? '');
      const values = (p.string_values ?? p.stringValues)?.values ?? [];
      switch (p.operation ?? p.op) {
        case 'EQUALS':
          return actual === value;
        case 'NOT_EQUALS':
          return actual !== value;
        case 'IN':
          return values.includes(actual);
        case 'IS_SUBSTRING':
          return actual.includes(value);
        case 'GREATER_THAN':
          return actual > value;
        case 'LESS_THAN':
          return actual < value;
        default:
          throw kfpInvalid(`Invalid input error: unsupported filter operation ${p.operation ?? p.op}`);
      }
    });
}

/** Sorting (`field asc|desc`) and paging (`page_token` is an offset), as list endpoints do. */
export function page<T extends Json>(items: T[], query: URLSearchParams): { items: T[]; next_page_token: string; total_size: number } {
  const [field, direction] = (query.get('sort_by') ?? 'created_at').split(/\s+/);
  const sign = direction === 'desc' ? -1 : 1;
  // Creation order breaks ties: records made in the same second still sort oldest first (or last for desc).
  const sorted = items
    .map((item, index) => ({ item, index }))
    .sort((a, b) => (String(a.item[field] ?? '').localeCompare(String(b.item[field] ?? '')) || a.index - b.index) * sign)
    .map((x) => x.item);
  const offset = Number(query.get('page_token') || 0);
  const size = Number(query.get('page_size') || 0);
  const slice = size > 0 ? sorted.slice(offset, offset + size) : sorted.slice(offset);
  const next = size > 0 && offset + size < sorted.length ? String(offset + size) : '';
  return { items: slice, next_page_token: next, total_size: sorted.length };
}
