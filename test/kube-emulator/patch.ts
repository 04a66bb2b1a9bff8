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
  throw unsupportedMediaType(type);
}
