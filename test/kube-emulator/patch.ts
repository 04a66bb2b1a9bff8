import { ApiError, unsupportedMediaType } from './status.ts';
import { clone, isRecord } from './types.ts';

/** JSON merge patch (RFC 7386); strategic merge patches are applied the same way (Workflows have no merge keys). */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isRecord(patch)) return clone(patch);
  const out: Record<string, unknown> = isRecord(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key], value);
  }
  return out;
}

interface JsonPatchOp {
  op: 'add' | 'remove' | 'replace' | 'test' | 'move' | 'copy';
  path: string;
  value?: unknown;
  from?: string;
}

function pointer(path: string): string[] {
  if (path === '') return [];
  return path.slice(1).split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function invalidPatch(message: string): ApiError {
  return new ApiError(422, 'Invalid', `the server rejected our request due to an error in our request: ${message}`);
}

function locate(doc: unknown, parts: string[]): { parent: unknown; key: string } {
  let parent = doc;
  for (const p of parts.slice(0, -1)) {
    if (Array.isArray(parent)) parent = parent[Number(p)];
    else if (isRecord(parent)) parent = parent[p];
    else throw invalidPatch(`path /${parts.join('/')} does not exist`);
  }
  if (!isRecord(parent) && !Array.isArray(parent)) throw invalidPatch(`path /${parts.join('/')} does not exist`);
  return { parent, key: parts[parts.length - 1] };
}

function getAt(doc: unknown, parts: string[]): unknown {
  let v = doc;
  for (const p of parts) v = Array.isArray(v) ? v[Number(p)] : isRecord(v) ? v[p] : undefined;
  return v;
}

function removeAt(doc: unknown, parts: string[]): void {
  const { parent, key } = locate(doc, parts);
  if (Array.isArray(parent)) parent.splice(Number(key), 1);
  else delete (parent as Record<string, unknown>)[key];
}

function addAt(doc: unknown, parts: string[], value: unknown, replace: boolean): void {
  const { parent, key } = locate(doc, parts);
  if (Array.isArray(parent)) {
    const index = key === '-' ? parent.length : Number(key);
    if (replace) parent[index] = value;
    else parent.splice(index, 0, value);
  } else (parent as Record<string, unknown>)[key] = value;
}

export function jsonPatch(target: unknown, ops: unknown): unknown {
  if (!Array.isArray(ops)) throw invalidPatch('a JSON patch must be an array of operations');
  let doc = clone(target);
  for (const raw of ops as JsonPatchOp[]) {
    const parts = pointer(raw.path);
    if (parts.length === 0) {
      if (raw.op === 'add' || raw.op === 'replace') doc = clone(raw.value);
      continue;
    }
    switch (raw.op) {
      case 'add':
        addAt(doc, parts, clone(raw.value), false);
        break;
      case 'replace':
        if (getAt(doc, parts) === undefined) throw invalidPatch(`replace operation does not apply: doc is missing path: ${raw.path}`);
        addAt(doc, parts, clone(raw.value), true);
        break;
      case 'remove':
        if (getAt(doc, parts) === undefined) throw invalidPatch(`remove operation does not apply: doc is missing path: ${raw.path}`);
        removeAt(doc, parts);
        break;
      case 'test':
        if (JSON.stringify(getAt(doc, parts)) !== JSON.stringify(raw.value)) throw invalidPatch(`testing value ${raw.path} failed`);
        break;
      case 'move':
      case 'copy': {
        const from = pointer(raw.from ?? '');
        const value = clone(getAt(doc, from));
        if (raw.op === 'move') removeAt(doc, from);
        addAt(doc, parts, value, false);
        break;
      }
      default:
        throw invalidPatch(`unknown operation ${String((raw as { op: unknown }).op)}`);
    }
  }
  return doc;
}

export function applyPatch(contentType: string, target: unknown, body: unknown): unknown {
  const type = contentType.split(';')[0].trim();
  if (type === 'application/json-patch+json') return jsonPatch(target, body);
  if (type === 'application/merge-patch+json' || type === 'application/strategic-merge-patch+json') return mergePatch(target, body);
  // Server-side apply is handled by the API layer (api.ts), which needs fieldManager and the store.
  throw unsupportedMediaType(type);
}

/** managedFields' FieldsV1 of an applied object: `f:<field>` for every field it sets (list items are owned whole). */
function fieldsV1(value: unknown): Record<string, unknown> {
  if (!isRecord(value)) return {};
  const out: Record<string, unknown> = {};
  for (const [key, sub] of Object.entries(value)) out[`f:${key}`] = fieldsV1(sub);
  return out;
}

export function managedFieldsOf(manager: string, applied: KubeObjectLike): Record<string, unknown> {
  const { apiVersion, kind: _kind, status: _status, ...fields } = applied;
  const meta = isRecord(fields.metadata) ? { labels: fields.metadata.labels, annotations: fields.metadata.annotations } : {};
  return {
    manager,
    operation: 'Apply',
    apiVersion,
    time: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    fieldsType: 'FieldsV1',
    fieldsV1: fieldsV1({ ...fields, metadata: JSON.parse(JSON.stringify(meta)) as unknown }),
  };
}

type KubeObjectLike = { metadata: Record<string, unknown>; [key: string]: unknown };

/** The object after one manager's apply: its fields replace what it set before; others' managedFields entries stay. */
export function serverSideApply<T extends KubeObjectLike>(current: T, applied: T, entry: Record<string, unknown>): T {
  const out = clone(current) as KubeObjectLike;
  for (const [key, value] of Object.entries(applied)) {
    if (key === 'metadata' || key === 'status') continue;
    out[key] = clone(value);
  }
  const meta = out.metadata;
  for (const key of ['labels', 'annotations'] as const) {
    if (applied.metadata[key] !== undefined) meta[key] = { ...(isRecord(meta[key]) ? meta[key] : {}), ...(applied.metadata[key] as Record<string, string>) };
  }
  const others = Array.isArray(meta.managedFields) ? (meta.managedFields as Array<Record<string, unknown>>).filter((m) => !(m.manager === entry.manager && m.operation === 'Apply')) : [];
  meta.managedFields = [...others, entry];
  delete meta.resourceVersion;
  return out as T;
}
