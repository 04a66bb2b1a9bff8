/**
 * "When the data changes": fingerprints of a pipeline's dataset inputs (local files and folders by
 * content, s3/minio/gs prefixes by their objects' ETags) and what differs from an earlier set.
 */
import { createHash } from 'node:crypto';
import type { NodeCatalog } from '../../../shared/pipeline/catalog.ts';
import type { PipelineDocument, PipelineParameterValue } from '../../../shared/pipeline/types.ts';
import type { InputHash } from '../../../shared/runs/types.ts';
import { hashInputs } from '../runs/inputHashes.ts';
import { listObjectStore, type Env, type Fetch } from './objectStores.ts';

export interface DataFingerprint {
  nodeId: string;
  param: string;
  uri?: string;
  sha256?: string;
  bytes?: number;
  /** Object stores: ETag by key (the whole prefix). */
  objects?: Record<string, string>;
  unavailable?: string;
}

/** Fingerprints of every dataset input (python steps' code is not data and is left out). */
export async function fingerprintData(doc: PipelineDocument, catalog: NodeCatalog, values: Record<string, PipelineParameterValue>, env: Env, fetchImpl: Fetch = fetch): Promise<DataFingerprint[]> {
  const inputs = (await hashInputs(doc, catalog, values)).filter((i) => i.param !== 'code');
  const out: DataFingerprint[] = [];
  for (const input of inputs) {
    if (input.uri && /^(s3|minio|gs):\/\//.test(input.uri.trim())) {
      try {
        const list = (await listObjectStore(input.uri, env, fetchImpl))!;
        const h = createHash('sha256');
        for (const o of list) h.update(`${o.key}\0${o.etag}\n`);
        out.push({ nodeId: input.nodeId, param: input.param, uri: input.uri, sha256: h.digest('hex'), bytes: list.reduce((n, o) => n + o.size, 0), objects: Object.fromEntries(list.map((o) => [o.key, o.etag])) });
      } catch (err) {
        out.push({ nodeId: input.nodeId, param: input.param, uri: input.uri, unavailable: (err as Error).message });
      }
      continue;
    }
    out.push({ nodeId: input.nodeId, param: input.param, uri: input.uri, sha256: input.sha256, bytes: input.bytes, unavailable: input.unavailable });
  }
  return out;
}

/** Fingerprints from a run record's input hashes (runs started outside a schedule). */
export function fingerprintsOfRecord(inputs: readonly InputHash[] | undefined): DataFingerprint[] | undefined {
  return inputs?.filter((i) => i.param !== 'code').map((i) => ({ nodeId: i.nodeId, param: i.param, uri: i.uri, sha256: i.sha256, bytes: i.bytes, unavailable: i.unavailable }));
}

function names(keys: string[]): string {
  return keys.length <= 3 ? keys.join(', ') : `${keys.slice(0, 3).join(', ')} and ${keys.length - 3} more`;
}

/**
 * What changed between `before` (the last successful run's data) and `now`, one sentence per input;
 * empty when nothing did. An input that cannot be read now counts as a change, with why.
 */
export function dataChanges(before: readonly DataFingerprint[], now: readonly DataFingerprint[]): string[] {
  const key = (f: DataFingerprint) => `${f.nodeId}\0${f.param}`;
  const old = new Map(before.map((f) => [key(f), f]));
  const out: string[] = [];
  for (const f of now) {
    const where = `node "${f.nodeId}" (${f.uri ?? f.param})`;
    const prev = old.get(key(f));
    old.delete(key(f));
    if (f.sha256 === undefined) {
      out.push(`${where}: cannot be checked: ${f.unavailable ?? 'no fingerprint'}`);
      continue;
    }
    if (!prev) {
      out.push(`${where}: new input`);
      continue;
    }
    if (prev.uri !== f.uri) {
      out.push(`${where}: now reads ${f.uri} (was ${prev.uri ?? 'nothing'})`);
      continue;
    }
    if (prev.sha256 === undefined) {
      out.push(`${where}: the last successful run has no fingerprint of it to compare with (${prev.unavailable ?? 'none kept'})`);
      continue;
    }
    if (prev.sha256 === f.sha256) continue;
    if (prev.objects && f.objects) {
      const added = Object.keys(f.objects).filter((k) => !(k in prev.objects!));
      const removed = Object.keys(prev.objects).filter((k) => !(k in f.objects!));
      const changed = Object.keys(f.objects).filter((k) => k in prev.objects! && prev.objects![k] !== f.objects![k]);
      const parts = [changed.length ? `${changed.length} changed (${names(changed)})` : '', added.length ? `${added.length} added (${names(added)})` : '', removed.length ? `${removed.length} removed (${names(removed)})` : ''].filter(Boolean);
      out.push(`${where}: objects ${parts.join(', ')}`);
      continue;
    }
    const size = prev.bytes !== undefined && f.bytes !== undefined && prev.bytes !== f.bytes ? `, ${prev.bytes} → ${f.bytes} bytes` : '';
    out.push(`${where}: content changed (sha256 ${prev.sha256?.slice(0, 12) ?? 'none'} → ${f.sha256.slice(0, 12)}${size})`);
  }
  for (const gone of old.values()) out.push(`node "${gone.nodeId}" (${gone.uri ?? gone.param}): no longer an input`);
  return out;
}
