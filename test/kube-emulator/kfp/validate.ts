/**
 * KFP's request checks and answer shape, driven by KFP's own swagger files
 * (../shared/reference/kfp-api, kubeflow/pipelines commit 7b70c7b9, backend 2.17). What the swagger
 * cannot say is taken from the backend source at that commit and cited where it is used.
 *
 * - Bodies are decoded as grpc-gateway v2 does with KFP's marshaler (common/utils.go CustomMarshaler:
 *   protojson, DiscardUnknown false): proto names and JSON (lowerCamel) names both accepted, an unknown
 *   field or a wrong type is `400 {code: 3, message: "proto: (line L:C): unknown field \"x\""}`.
 * - Answers are marshalled as protojson with UseProtoNames and EmitUnpopulated false: zero values,
 *   empty lists and maps and the zero enum are left out; int64 fields are JSON strings.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REFERENCE_DIR } from '../../fixtures/compileFixtures.ts';
import { KfpError } from './errors.ts';
import type { ListPage } from './store.ts';
import { sortAndPage } from './store.ts';

type Json = Record<string, unknown>;
export interface Schema {
  [key: string]: unknown;
  $ref?: string;
  type?: string;
  format?: string;
  enum?: string[];
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  items?: Schema;
}
interface Parameter {
  name: string;
  in: 'query' | 'path' | 'body' | 'formData';
  type?: string;
  schema?: Schema;
}
export interface Operation {
  file: string;
  method: string;
  path: string;
  pattern: RegExp;
  parameters: Parameter[];
  response: Schema | undefined;
  definitions: Record<string, Schema>;
}

export const KFP_SWAGGER_FILES = ['pipeline.upload', 'pipeline', 'experiment', 'run', 'recurring_run'] as const;

function loadOperations(): Operation[] {
  const out: Operation[] = [];
  for (const file of KFP_SWAGGER_FILES) {
    const swagger = JSON.parse(readFileSync(join(REFERENCE_DIR, 'kfp-api', `${file}.swagger.json`), 'utf8')) as {
      paths: Record<string, Record<string, { parameters?: Parameter[]; responses?: Record<string, { schema?: Schema }> }>>;
      definitions: Record<string, Schema>;
    };
    for (const [path, methods] of Object.entries(swagger.paths)) {
      // `{pipeline.pipeline_id}` and `{run_id}` match one path segment; `:terminate` stays literal.
      const pattern = new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\\.|\{[^}]+\}/g, (m) => (m.startsWith('{') ? '([^/:]+)' : m))}$`);
      for (const [method, op] of Object.entries(methods)) {
        out.push({ file, method: method.toUpperCase(), path, pattern, parameters: op.parameters ?? [], response: op.responses?.['200']?.schema, definitions: swagger.definitions });
      }
    }
  }
  // Literal paths first, so `/pipelines/upload` is not taken for `/pipelines/{pipeline_id}`.
  return out.sort((a, b) => (a.path.match(/\{/g)?.length ?? 0) - (b.path.match(/\{/g)?.length ?? 0));
}

export const KFP_OPERATIONS: readonly Operation[] = loadOperations();

/** The swagger operation serving `method path`, or undefined (the real server answers 404/405 then). */
export function kfpOperation(method: string, path: string): Operation | undefined {
  return KFP_OPERATIONS.find((op) => op.method === method && op.pattern.test(path));
}

export function resolve(definitions: Record<string, Schema>, schema: Schema | undefined): Schema {
  let s = schema ?? {};
  for (let i = 0; typeof s.$ref === 'string' && i < 20; i++) s = definitions[s.$ref.replace('#/definitions/', '')] ?? {};
  return s;
}

const camel = (name: string) => name.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());

/** protojson's error position (1-based): the first `"key"` in the body, or its value. */
function position(text: string, key: string, atValue = false): string {
  let at = Math.max(0, text.indexOf(`"${key}"`));
  if (atValue) {
    const colon = text.indexOf(':', at + key.length + 2);
    at = colon < 0 ? at : colon + 1 + (/^\s*/.exec(text.slice(colon + 1))?.[0].length ?? 0);
  }
  const before = text.slice(0, at).split('\n');
  return `(line ${before.length}:${before[before.length - 1].length + 1})`;
}

function protoError(text: string, key: string, what: string, atValue = false): KfpError {
  return new KfpError(400, 3, `proto: ${position(text, key, atValue)}: ${what}`);
}

const isMap = (s: Schema) => s.type === 'object' && !s.properties && s.additionalProperties !== undefined && s.additionalProperties !== false;

/** One value decoded as protojson would: returns the value under proto names, or throws 400. */
function decode(definitions: Record<string, Schema>, schema: Schema | undefined, value: unknown, text: string, key: string): unknown {
  const s = resolve(definitions, schema);
  if (value === null) return undefined;
  const bad = () => protoError(text, key, `invalid value for ${s.format ?? s.type ?? 'message'} field ${key}: ${JSON.stringify(value)}`, true);
  if (s.enum) {
    if (typeof value === 'string' && s.enum.includes(value)) return value;
    if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < s.enum.length) return s.enum[value];
    throw protoError(text, key, `invalid value for enum field ${key}: ${JSON.stringify(value)}`, true);
  }
  switch (s.type) {
    case 'string':
      if (s.format === 'int64' || s.format === 'uint64') {
        if ((typeof value === 'number' && Number.isInteger(value)) || (typeof value === 'string' && /^-?\d+$/.test(value))) return String(value);
        throw bad();
      }
      if (s.format === 'byte' && typeof value === 'string') return value;
      if (typeof value !== 'string') throw bad();
      if (s.format === 'date-time' && Number.isNaN(Date.parse(value))) throw bad();
      return value;
    case 'integer':
    case 'number':
      if (typeof value === 'number' || (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value)))) return Number(value);
      throw bad();
    case 'boolean':
      if (typeof value !== 'boolean') throw bad();
      return value;
    case 'array':
      if (!Array.isArray(value)) throw bad();
      return value.map((v) => decode(definitions, s.items, v, text, key));
    default:
      break;
  }
  if (typeof value !== 'object' || Array.isArray(value)) throw bad();
  // google.protobuf.Struct/Value, Any and maps take any JSON object.
  if (!s.properties) {
    if (isMap(s) && typeof s.additionalProperties === 'object' && Object.keys(s.additionalProperties).length > 0) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, decode(definitions, s.additionalProperties as Schema, v, text, k)]));
    }
    return value;
  }
  return decodeMessage(definitions, s, value as Json, text);
}

function decodeMessage(definitions: Record<string, Schema>, s: Schema, value: Json, text: string): Json {
  const props = s.properties ?? {};
  const byJsonName = new Map(Object.keys(props).map((p) => [camel(p), p]));
  const out: Json = {};
  const seen = new Set<string>();
  for (const [k, v] of Object.entries(value)) {
    const proto = Object.hasOwn(props, k) ? k : byJsonName.get(k);
    if (!proto) throw protoError(text, k, `unknown field "${k}"`);
    if (seen.has(proto)) throw protoError(text, k, `duplicate field "${k}"`);
    seen.add(proto);
    const decoded = decode(definitions, props[proto], v, text, proto);
    if (decoded !== undefined) out[proto] = decoded;
  }
  return out;
}

/**
 * The request body of `op`, decoded against the body parameter's schema. grpc-gateway answers a body
 * that is not JSON with protojson's syntax error, also as 400 code 3.
 */
export function decodeBody(op: Operation, text: string): Json {
  const param = op.parameters.find((p) => p.in === 'body');
  if (!param) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.trim() === '' ? '{}' : text);
  } catch (err) {
    throw new KfpError(400, 3, `proto: syntax error (line 1:1): ${(err as Error).message}`);
  }
  const schema = resolve(op.definitions, param.schema);
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new KfpError(400, 3, `proto: syntax error (line 1:1): unexpected token ${text.slice(0, 20)}`);
  return decodeMessage(op.definitions, schema, parsed as Json, text);
}

/**
 * An answer as protojson writes it with EmitUnpopulated false: "" / 0 / false / null, empty lists and
 * maps and the zero enum value left out, int64 as strings. Set messages stay, even when empty.
 */
export function marshal(definitions: Record<string, Schema>, schema: Schema | undefined, value: unknown): unknown {
  const s = resolve(definitions, schema);
  if (value === null || value === undefined) return undefined;
  if (s.enum) return value === s.enum[0] ? undefined : value;
  if (s.type === 'string' && (s.format === 'int64' || s.format === 'uint64')) return value === 0 || value === '0' || value === '' ? undefined : String(value);
  if (s.type === 'array') {
    const items = (value as unknown[]).map((v) => marshal(definitions, s.items, v) ?? {});
    return items.length ? items : undefined;
  }
  if (typeof value !== 'object') return value === '' || value === 0 || value === false ? undefined : value;
  if (!s.properties) {
    if (isMap(s)) return Object.keys(value).length ? value : undefined;
    return value;
  }
  const out: Json = {};
  for (const [k, v] of Object.entries(value)) {
    const m = marshal(definitions, s.properties[k], v);
    if (m !== undefined) out[k] = m;
  }
  return out;
}

/** The 200 answer of `op`, marshalled against its response schema. */
export function marshalResponse(op: Operation, value: unknown): unknown {
  return marshal(op.definitions, op.response, value) ?? {};
}

/**
 * Keys `filter` predicates and `sort_by` may name, per listed type: the `APIToModelFieldMap`s of
 * backend/src/apiserver/model/{pipeline,pipeline_version,experiment,run,job}.go. The swagger does not
 * list them; the standins test checks that every v2beta1 key is a field of the type's swagger definition.
 */
export const KFP_LIST_FIELDS = {
  Pipeline: { definition: 'v2beta1Pipeline', keys: ['id', 'pipeline_id', 'name', 'display_name', 'created_at', 'description', 'namespace'], v1: ['id'] },
  PipelineVersion: { definition: 'v2beta1PipelineVersion', keys: ['id', 'pipeline_version_id', 'name', 'display_name', 'created_at', 'status', 'description', 'pipeline_spec'], v1: ['id', 'status'] },
  Experiment: { definition: 'v2beta1Experiment', keys: ['id', 'experiment_id', 'name', 'display_name', 'created_at', 'last_run_created_at', 'description', 'namespace', 'storage_state'], v1: ['id', 'name'] },
  Run: {
    definition: 'v2beta1Run',
    keys: ['run_id', 'id', 'display_name', 'name', 'created_at', 'finished_at', 'description', 'scheduled_at', 'storage_state', 'status', 'namespace', 'experiment_id', 'state', 'state_history', 'runtime_details', 'recurring_run_id'],
    v1: ['id', 'name', 'status', 'namespace', 'runtime_details'],
  },
  Job: { definition: 'v2beta1RecurringRun', keys: ['id', 'recurring_run_id', 'name', 'display_name', 'created_at', 'updated_at', 'description'], v1: ['id', 'name'] },
} as const;
export type KfpListable = keyof typeof KFP_LIST_FIELDS;

/** v1 keys that read another field than their name (model/*.go: `name` is DisplayName for runs and jobs). */
const ALIASES: Record<string, Record<string, string>> = {
  Pipeline: { id: 'pipeline_id' },
  PipelineVersion: { id: 'pipeline_version_id' },
  Experiment: { id: 'experiment_id', name: 'display_name' },
  Run: { id: 'run_id', name: 'display_name', status: 'state' },
  Job: { id: 'recurring_run_id', name: 'display_name' },
};

export interface Predicate {
  operation: string;
  key: string;
  value: unknown;
}
export interface ListOptions {
  predicates: Predicate[];
  sortField: string;
  desc: boolean;
}

/** backend/api/v2beta1/filter.proto, as protojson decodes it. */
const FILTER_DEFINITIONS: Record<string, Schema> = {
  Filter: { type: 'object', properties: { predicates: { type: 'array', items: { $ref: '#/definitions/Predicate' } } } },
  Predicate: {
    type: 'object',
    properties: {
      operation: { type: 'string', enum: ['OPERATION_UNSPECIFIED', 'EQUALS', 'NOT_EQUALS', 'GREATER_THAN', 'GREATER_THAN_EQUALS', 'LESS_THAN', 'LESS_THAN_EQUALS', 'IN', 'IS_SUBSTRING'] },
      key: { type: 'string' },
      int_value: { type: 'integer', format: 'int32' },
      long_value: { type: 'string', format: 'int64' },
      string_value: { type: 'string' },
      timestamp_value: { type: 'string', format: 'date-time' },
      int_values: { type: 'object', properties: { values: { type: 'array', items: { type: 'integer' } } } },
      string_values: { type: 'object', properties: { values: { type: 'array', items: { type: 'string' } } } },
      long_values: { type: 'object', properties: { values: { type: 'array', items: { type: 'string', format: 'int64' } } } },
    },
  },
};
const VALUE_FIELDS = ['int_value', 'long_value', 'string_value', 'timestamp_value', 'int_values', 'string_values', 'long_values'];

/** `Failed to create list options: Invalid input error: <what>` (server/list_request_util.go, list/list.go). */
function listError(what: string, wrap: string): KfpError {
  return new KfpError(400, 3, `${wrap}: Invalid input error: ${what}`, what);
}

/**
 * `filter`, `sort_by` and `page_size` of a list request, checked in the order
 * validatedListOptions does: the filter's JSON, then the sort field, then the filter's keys.
 */
export function listOptions(type: KfpListable, query: URLSearchParams, wrap = 'Failed to create list options'): ListOptions {
  const fields = KFP_LIST_FIELDS[type];
  const pageSize = query.get('page_size');
  if (pageSize !== null && (!/^-?\d+$/.test(pageSize) || Number(pageSize) < 0)) throw new KfpError(400, 3, `type mismatch, parameter: page_size, error: strconv.ParseInt: parsing ${JSON.stringify(pageSize)}: invalid syntax`);
  const predicates: Predicate[] = [];
  const encoded = query.get('filter');
  if (encoded) {
    // KFP rewrites the old camelCase value names before decoding (transformJSONForBackwardCompatibility).
    const text = encoded.replace(/"(int|long|string|timestamp)Value(s?)":/g, '"$1_value$2":');
    let decoded: Json;
    try {
      const parsed = JSON.parse(text) as unknown;
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new KfpError(400, 3, 'proto: syntax error (line 1:1): unexpected token');
      decoded = decodeMessage(FILTER_DEFINITIONS, FILTER_DEFINITIONS.Filter, parsed as Json, text);
    } catch (err) {
      const why = err instanceof KfpError ? err.message : `proto: syntax error (line 1:1): ${(err as Error).message}`;
      throw listError(`failed to parse valid filter from ${JSON.stringify(encoded)}: ${why}`, wrap);
    }
    for (const p of (decoded.predicates ?? []) as Json[]) {
      const valueKey = VALUE_FIELDS.find((k) => p[k] !== undefined);
      const raw = valueKey ? p[valueKey] : undefined;
      const value = raw && typeof raw === 'object' && !Array.isArray(raw) ? ((raw as Json).values ?? []) : raw;
      predicates.push({ operation: String(p.operation ?? 'OPERATION_UNSPECIFIED'), key: String(p.key ?? ''), value });
    }
    for (const p of predicates) {
      if (p.operation === 'OPERATION_UNSPECIFIED') throw listError(`invalid predicate operation: ${p.operation}`, wrap);
      if (p.operation === 'IN' && !Array.isArray(p.value)) throw listError(`cannot use IN operation with a non-list value for key ${JSON.stringify(p.key)}`, wrap);
    }
  }
  const sortBy = query.get('sort_by') ?? '';
  const words = sortBy.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length > 2 || (words.length === 2 && words[1] !== 'desc' && words[1] !== 'asc')) {
    throw listError(`Received invalid sort by format ${JSON.stringify(sortBy)}. Supported format: "field_name", "field_name desc", or "field_name asc"`, wrap);
  }
  const keys = fields.keys as readonly string[];
  if (words.length > 0 && !keys.includes(words[0]) && !(type === 'Run' && words[0].startsWith('metric:'))) {
    throw listError(`Invalid sorting field: ${JSON.stringify(words[0])} on listable type ${type}`, wrap);
  }
  for (const p of predicates) if (!keys.includes(p.key)) throw listError(`no support for filtering on unrecognized field ${JSON.stringify(p.key)}`, wrap);
  const alias = (k: string) => ALIASES[type]?.[k] ?? k;
  return { predicates: predicates.map((p) => ({ ...p, key: alias(p.key) })), sortField: words[0] ? alias(words[0]) : 'created_at', desc: words[1] === 'desc' };
}

function compare(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a ?? '').localeCompare(String(b ?? ''));
}

/** The records a list request selects: predicates, sort (creation order breaks ties, as the primary key does), page. */
export function applyList<T extends Json>(items: T[], options: ListOptions, query: URLSearchParams): ListPage<T> {
  const matches = (record: T, p: Predicate): boolean => {
    const actual = record[p.key];
    const v = p.value;
    switch (p.operation) {
      case 'EQUALS':
        return String(actual ?? '') === String(v ?? '');
      case 'NOT_EQUALS':
        return String(actual ?? '') !== String(v ?? '');
      case 'GREATER_THAN':
        return compare(actual, v) > 0;
      case 'GREATER_THAN_EQUALS':
        return compare(actual, v) >= 0;
      case 'LESS_THAN':
        return compare(actual, v) < 0;
      case 'LESS_THAN_EQUALS':
        return compare(actual, v) <= 0;
      case 'IN':
        return (v as unknown[]).map(String).includes(String(actual ?? ''));
      case 'IS_SUBSTRING':
        return String(actual ?? '').includes(String(v ?? ''));
      default:
        return false;
    }
  };
  const selected = items.filter((r) => options.predicates.every((p) => matches(r, p)));
  return sortAndPage(selected, options.sortField, options.desc, compare, query);
}
