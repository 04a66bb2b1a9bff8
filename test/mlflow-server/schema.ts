/**
 * The MLflow REST API as written down in mlflow-rest-api.json (from MLflow's protos and REST docs), and a
 * strict check of JSON values against it: unknown fields, wrong types and missing required fields are
 * named with their path. The stand-in checks requests with it; its tests check responses with it.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type FieldMap = Record<string, string>;

export interface EndpointSpec {
  rpc: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  path: string;
  request?: FieldMap;
  /** `raw`: the body is the file's bytes, not JSON. */
  body?: 'raw';
  response: FieldMap | 'raw';
}

export interface MlflowApiSpec {
  provenance: { docs: string; definitions: { repository: string; path: string; commit: string }[] };
  errorStatus: Record<string, number>;
  enums: Record<string, string[]>;
  messages: Record<string, FieldMap>;
  endpoints: EndpointSpec[];
}

const here = dirname(fileURLToPath(import.meta.url));
export const MLFLOW_API: MlflowApiSpec = JSON.parse(readFileSync(join(here, 'mlflow-rest-api.json'), 'utf8')) as MlflowApiSpec;

interface FieldType {
  base: string;
  repeated: boolean;
  required: boolean;
}

export function fieldType(text: string): FieldType {
  const required = text.endsWith('!');
  const body = required ? text.slice(0, -1) : text;
  const repeated = body.endsWith('[]');
  return { base: repeated ? body.slice(0, -2) : body, repeated, required };
}

const INT = /^-?\d+$/;
const SPECIAL_DOUBLES = new Set(['NaN', 'Infinity', '-Infinity']);

function checkScalar(base: string, value: unknown, path: string, spec: MlflowApiSpec, fromQuery: boolean): string | null {
  const show = JSON.stringify(value);
  switch (base) {
    case 'string':
      return typeof value === 'string' ? null : `${path}: expected a string, got ${show}`;
    case 'bool':
      if (typeof value === 'boolean' || (fromQuery && (value === 'true' || value === 'false'))) return null;
      return `${path}: expected true or false, got ${show}`;
    case 'int32':
    case 'int64':
      if ((typeof value === 'number' && Number.isInteger(value)) || (typeof value === 'string' && INT.test(value))) return null;
      return `${path}: expected an integer, got ${show}`;
    case 'double':
      if (typeof value === 'number' || (typeof value === 'string' && (SPECIAL_DOUBLES.has(value) || (fromQuery && value.trim() !== '' && !Number.isNaN(Number(value)))))) return null;
      return `${path}: expected a number, got ${show}`;
  }
  if (base.startsWith('enum:')) {
    const values = spec.enums[base.slice(5)];
    return typeof value === 'string' && values.includes(value) ? null : `${path}: expected one of ${values.join(', ')}, got ${show}`;
  }
  const fields = spec.messages[base];
  if (!fields) return `${path}: the specification has no type ${base}`;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return `${path}: expected an object (${base}), got ${show}`;
  return checkFields(fields, value as Record<string, unknown>, path, spec, fromQuery);
}

/** null when `value` fits `fields`; otherwise the first problem, naming the field's path. */
export function checkFields(fields: FieldMap, value: Record<string, unknown>, path = '', spec: MlflowApiSpec = MLFLOW_API, fromQuery = false): string | null {
  const at = (name: string) => (path ? `${path}.${name}` : name);
  for (const name of Object.keys(value)) {
    if (!Object.hasOwn(fields, name)) return `${at(name)}: no such field (known: ${Object.keys(fields).join(', ') || 'none'})`;
  }
  for (const [name, text] of Object.entries(fields)) {
    const type = fieldType(text);
    const v = value[name];
    if (v === undefined || v === null) {
      if (type.required) return `${at(name)}: missing (required)`;
      continue;
    }
    if (type.repeated) {
      if (!Array.isArray(v)) return `${at(name)}: expected a list, got ${JSON.stringify(v)}`;
      for (let i = 0; i < v.length; i++) {
        const problem = checkScalar(type.base, v[i], `${at(name)}[${i}]`, spec, fromQuery);
        if (problem) return problem;
      }
    } else {
      const problem = checkScalar(type.base, v, at(name), spec, fromQuery);
      if (problem) return problem;
    }
  }
  return null;
}

/** The endpoint a path matches, by the spec's path patterns (`<path:name>` takes the rest of the path). */
export function matchEndpoint(path: string, spec: MlflowApiSpec = MLFLOW_API): { endpoints: EndpointSpec[]; rest?: string } {
  const exact = spec.endpoints.filter((e) => e.path === path);
  if (exact.length > 0) return { endpoints: exact };
  for (const e of spec.endpoints) {
    const cut = e.path.indexOf('<path:');
    if (cut < 0) continue;
    const prefix = e.path.slice(0, cut);
    if (path.startsWith(prefix) && path.length > prefix.length) {
      return { endpoints: spec.endpoints.filter((x) => x.path === e.path), rest: decodeURIComponent(path.slice(prefix.length)) };
    }
  }
  return { endpoints: [] };
}
