/**
 * Content hashes of what a run reads, taken when it is created (the run diff compares them): the data
 * inputs dataInputOf names (dataset `uri`, ko-bench `data_uri`) when they are on this machine or bundled
 * samples, and each python step's code. Remote URIs (s3://, gs://, https://, the hub) are named with why
 * they were not hashed.
 */
import { createHash } from 'node:crypto';
import { createReadStream, promises as fs, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NodeCatalog } from '../../../shared/pipeline/catalog.ts';
import { parameterDefaults } from '../../../shared/pipeline/parameters.ts';
import type { PipelineDocument } from '../../../shared/pipeline/types.ts';
import type { InputHash } from '../../../shared/runs/types.ts';
import { dataInputOf } from '../../../shared/schedules/dataCheck/inputs.ts';

/** Hashing reads every byte: inputs larger than this are named, not hashed, so a run never waits minutes to start. */
export const MAX_HASH_BYTES = 2 * 1024 ** 3;
const MAX_FILES = 20_000;

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

async function hashFile(file: string, into: ReturnType<typeof createHash>): Promise<void> {
  for await (const chunk of createReadStream(file)) into.update(chunk as Buffer);
}

async function listFiles(dir: string, out: string[]): Promise<void> {
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    if (out.length > MAX_FILES) return;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) await listFiles(full, out);
    else if (entry.isFile()) out.push(full);
  }
}

/** A file's SHA-256, or a folder's: each file's relative path, a NUL, its SHA-256, in path order. */
export async function hashPath(target: string): Promise<Pick<InputHash, 'sha256' | 'bytes' | 'files' | 'unavailable'>> {
  let stat;
  try {
    stat = await fs.stat(target);
  } catch {
    return { unavailable: 'not found on this machine' };
  }
  if (stat.isFile()) {
    if (stat.size > MAX_HASH_BYTES) return { bytes: stat.size, unavailable: 'larger than 2 GiB, not hashed' };
    const h = createHash('sha256');
    await hashFile(target, h);
    return { sha256: h.digest('hex'), bytes: stat.size };
  }
  const files: string[] = [];
  await listFiles(target, files);
  if (files.length > MAX_FILES) return { unavailable: `more than ${MAX_FILES} files, not hashed` };
  files.sort();
  let bytes = 0;
  // Sizes first: a folder too large to hash is named at once, without reading its first 2 GiB.
  for (const file of files) bytes += (await fs.stat(file)).size;
  if (bytes > MAX_HASH_BYTES) return { bytes, files: files.length, unavailable: 'larger than 2 GiB, not hashed' };
  const h = createHash('sha256');
  for (const file of files) {
    const one = createHash('sha256');
    await hashFile(file, one);
    h.update(folderLine(target, file, one.digest('hex')));
  }
  return { sha256: h.digest('hex'), bytes, files: files.length };
}

/** One file's part of a folder's hash. */
function folderLine(root: string, file: string, sha256: string): string {
  return `${path.relative(root, file).split(path.sep).join('/')}\0${sha256}\n`;
}

/** hashPathSync reads no more than this: past it, hashPath (streamed, off the event loop) is the way. */
export const SYNC_HASH_LIMITS = { files: 256, fileBytes: 256 * 1024, totalBytes: 4 * 1024 * 1024 };

/**
 * hashPath's result for a small output (a step's few small files), read on the spot: no trips
 * through the thread pool between a stage's end and the next stage's start. `fileHash` may answer
 * from memory (the stage cache's hasher). Undefined when the target is larger than
 * SYNC_HASH_LIMITS or neither a file nor a folder: then ask hashPath.
 */
export function hashPathSync(target: string, fileHash: (file: string) => string = (file) => createHash('sha256').update(readFileSync(file)).digest('hex')): Pick<InputHash, 'sha256' | 'bytes' | 'files' | 'unavailable'> | undefined {
  const stat = statSync(target, { throwIfNoEntry: false });
  if (!stat) return { unavailable: 'not found on this machine' };
  if (stat.isFile()) return stat.size > SYNC_HASH_LIMITS.fileBytes ? undefined : { sha256: fileHash(target), bytes: stat.size };
  if (!stat.isDirectory()) return undefined;
  const files: string[] = [];
  const walk = (dir: string): boolean => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!walk(full)) return false;
      } else if (entry.isFile()) {
        files.push(full);
        if (files.length > SYNC_HASH_LIMITS.files) return false;
      }
    }
    return true;
  };
  if (!walk(target)) return undefined;
  files.sort();
  let bytes = 0;
  for (const file of files) {
    const size = statSync(file).size;
    if (size > SYNC_HASH_LIMITS.fileBytes) return undefined;
    bytes += size;
  }
  if (bytes > SYNC_HASH_LIMITS.totalBytes) return undefined;
  const h = createHash('sha256');
  for (const file of files) h.update(folderLine(target, file, fileHash(file)));
  return { sha256: h.digest('hex'), bytes, files: files.length };
}

async function hashUri(uri: string, catalog: NodeCatalog): Promise<Pick<InputHash, 'sha256' | 'bytes' | 'files' | 'unavailable'>> {
  if (uri.startsWith('sample://')) {
    const text = catalog.samples?.[uri.slice('sample://'.length)];
    return text === undefined ? { unavailable: 'no such bundled sample' } : { sha256: sha256(text), bytes: Buffer.byteLength(text) };
  }
  if (uri.startsWith('file://')) return hashPath(fileURLToPath(uri));
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(uri)?.[1];
  if (scheme) return { unavailable: `remote (${scheme}), read by the step` };
  if (path.isAbsolute(uri)) return hashPath(uri);
  return { unavailable: 'not a path on this machine' };
}

/** The inputs of `doc` with their hashes. Never throws: an unreadable input is recorded with why. */
export async function hashInputs(doc: PipelineDocument, catalog: NodeCatalog, parameterValues = parameterDefaults(doc)): Promise<InputHash[]> {
  const out: InputHash[] = [];
  for (const node of doc.nodes) {
    if (node.type === 'python' && node.code !== undefined) {
      out.push({ nodeId: node.id, param: 'code', sha256: sha256(node.code), bytes: Buffer.byteLength(node.code) });
      continue;
    }
    const input = dataInputOf(node, catalog, parameterValues);
    if (!input) continue;
    const { uri } = input;
    if (uri === undefined) {
      out.push(input);
      continue;
    }
    try {
      out.push({ ...input, ...(await hashUri(uri.trim(), catalog)) });
    } catch (error) {
      out.push({ ...input, unavailable: `unreadable: ${(error as Error).message}` });
    }
  }
  return out;
}
