/**
 * The local target's stage cache, as DVC's run cache: a stage's key is the hash of its command, the
 * content of its deps and its parameter values; an entry lists the outputs it produced, whose files
 * live content-addressed under `objects/`. A hit restores those outputs into the new workspace.
 */
import { createHash, randomBytes } from 'node:crypto';
import { constants, copyFileSync, mkdirSync, promises as fs, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { MetricRecord } from '../../../shared/runs/types.ts';
import type { Hasher, Tree } from './hashing.ts';
import type { LocalStage } from './stages.ts';

export interface CacheEntry {
  format: 'pipewright.stage-cache/v1';
  key: string;
  stage: string;
  /** The run that produced the outputs. */
  runId: string;
  createdAt: string;
  outputs: { path: string; tree: Tree }[];
  engine?: string;
  /** The metric records the stage reported, shown again when it is restored. */
  metrics?: MetricRecord[];
}

function resolveIn(workspace: string, p: string): string {
  return path.isAbsolute(p) ? p : path.join(workspace, p);
}

export class StageCache {
  /** Folders known to exist (objects/xx, stages): made once, not on every store. */
  private readonly made = new Set<string>();

  constructor(readonly root: string) {}

  private async mkdir(io: StoreIo, dir: string): Promise<void> {
    if (this.made.has(dir)) return;
    await io.mkdir(dir);
    this.made.add(dir);
  }

  private objectPath(hash: string): string {
    return path.join(this.root, 'objects', hash.slice(0, 2), hash);
  }

  private entryPath(key: string): string {
    return path.join(this.root, 'stages', `${key}.json`);
  }

  async key(stage: LocalStage, workspace: string, params: Record<string, unknown>, hasher: Hasher): Promise<string> {
    const deps: [string, string][] = [];
    for (const dep of [...stage.deps].sort()) deps.push([dep, (await hasher.tree(resolveIn(workspace, dep))).hash]);
    const material = JSON.stringify({ v: 1, cmd: stage.cmd, deps, params, outputs: [...stage.outputs].sort() });
    return createHash('sha256').update(material).digest('hex');
  }

  /** The entry for `key` if every file it needs is still in the cache. */
  async lookup(key: string): Promise<CacheEntry | undefined> {
    // Entries are small and most lookups miss: read without trips through the thread pool.
    let entry: CacheEntry;
    try {
      entry = JSON.parse(readFileSync(this.entryPath(key), 'utf8')) as CacheEntry;
    } catch {
      return undefined;
    }
    if (entry.format !== 'pipewright.stage-cache/v1' || entry.key !== key) return undefined;
    for (const out of entry.outputs) {
      for (const e of out.tree.entries) {
        if (e.kind === 'file' && !statSync(this.objectPath(e.hash!), { throwIfNoEntry: false })) return undefined;
      }
    }
    return entry;
  }

  /**
   * Put the entry's outputs into `workspace` (replacing whatever is there), checking each file's
   * content against the hash it was stored under. A cached object changed on disk is dropped with
   * the entry, the outputs restored so far are removed, and the damaged files are returned (empty: restored).
   */
  async restore(entry: CacheEntry, workspace: string, hasher: Hasher): Promise<string[]> {
    const damaged: string[] = [];
    for (const out of entry.outputs) {
      const target = resolveIn(workspace, out.path);
      await fs.rm(target, { recursive: true, force: true });
      if (out.tree.kind === 'dir') await fs.mkdir(target, { recursive: true });
      else await fs.mkdir(path.dirname(target), { recursive: true });
      for (const e of out.tree.entries) {
        const dest = e.path ? path.join(target, ...e.path.split('/')) : target;
        if (e.kind === 'dir') await fs.mkdir(dest, { recursive: true });
        else {
          await fs.copyFile(this.objectPath(e.hash!), dest, constants.COPYFILE_FICLONE);
          await fs.chmod(dest, e.executable ? 0o755 : 0o644);
          // Hashing the copy also primes the hasher: the next stage's key reads this file's hash from memory.
          if ((await hasher.fileHash(dest)) !== e.hash) {
            damaged.push(e.path ? `${out.path}/${e.path}` : out.path);
            await fs.rm(this.objectPath(e.hash!), { force: true });
          }
        }
      }
    }
    if (damaged.length > 0) {
      await fs.rm(this.entryPath(entry.key), { force: true });
      for (const out of entry.outputs) await fs.rm(resolveIn(workspace, out.path), { recursive: true, force: true });
    }
    return damaged;
  }

  /**
   * Hash a finished stage's outputs (the next stage's key reads these hashes from memory), then store
   * them in the background: `stored` settles once the entry is written (or left out); the run waits
   * for it at its end. `missing`: the declared outputs the stage did not create (then nothing is stored).
   */
  async save(key: string, stage: LocalStage, workspace: string, hasher: Hasher, extra: Pick<CacheEntry, 'runId' | 'engine' | 'metrics'>): Promise<{ missing: string[]; stored: Promise<void> }> {
    const outputs: CacheEntry['outputs'] = [];
    const missing: string[] = [];
    for (const out of stage.outputs) {
      const tree = await hasher.tree(resolveIn(workspace, out));
      if (tree.kind === 'missing') missing.push(out);
      else outputs.push({ path: out, tree });
    }
    if (missing.length > 0) return { missing, stored: Promise.resolve() };
    const entry: CacheEntry = { format: 'pipewright.stage-cache/v1', key, stage: stage.name, createdAt: new Date().toISOString(), outputs, ...extra };
    const files = outputs.flatMap((o) => o.tree.entries.filter((e) => e.kind === 'file'));
    const small = files.length <= SYNC_STORE.files && files.reduce((sum, e) => sum + (e.size ?? 0), 0) <= SYNC_STORE.bytes;
    if (!small) return { missing, stored: this.store(entry, workspace, asyncIo) };
    // Small outputs (the usual) are stored with synchronous calls once the stages after this one have started (the
    // scheduler starts them within microtasks: nothing it needs waits for the copy), each copy checked against the hash
    // just taken: an output a dependent has already rewritten leaves the stage out of the cache, never in it with other content.
    const stored = new Promise<void>((resolve, reject) => setImmediate(() => this.store(entry, workspace, syncIo).then(resolve, reject)));
    return { missing, stored };
  }

  /** Copy the entry's files in (content-addressed; a copy changed meanwhile is caught by `restore`), then the entry. */
  private async store(entry: CacheEntry, workspace: string, io: StoreIo): Promise<void> {
    for (const out of entry.outputs) {
      for (const e of out.tree.entries) {
        if (e.kind !== 'file') continue;
        const object = this.objectPath(e.hash!);
        if (await io.exists(object)) continue;
        await this.mkdir(io, path.dirname(object));
        const temp = `${object}.${randomBytes(4).toString('hex')}.tmp`;
        const source = e.path ? path.join(resolveIn(workspace, out.path), ...e.path.split('/')) : resolveIn(workspace, out.path);
        await io.copyFile(source, temp);
        if (io.differs?.(temp, e.hash!)) {
          await io.remove(temp);
          return;
        }
        await io.rename(temp, object);
      }
    }
    const file = this.entryPath(entry.key);
    await this.mkdir(io, path.dirname(file));
    const temp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
    await io.writeFile(temp, JSON.stringify(entry));
    await io.rename(temp, file);
  }
}

/** What storing an entry does on disk, synchronously or through the thread pool. */
interface StoreIo {
  exists(file: string): boolean | Promise<boolean>;
  mkdir(dir: string): unknown;
  copyFile(from: string, to: string): unknown;
  rename(from: string, to: string): unknown;
  writeFile(file: string, text: string): unknown;
  remove(file: string): unknown;
  /** Whether a copy's content is not what was hashed (checked where it is cheap: small files). */
  differs?(file: string, hash: string): boolean;
}

/** Entries up to this many files and bytes are stored synchronously (well under a millisecond for a few small files). */
export const SYNC_STORE = { files: 64, bytes: 1024 * 1024 };

const syncIo: StoreIo = {
  exists: (file) => statSync(file, { throwIfNoEntry: false }) !== undefined,
  mkdir: (dir) => mkdirSync(dir, { recursive: true }),
  copyFile: (from, to) => copyFileSync(from, to, constants.COPYFILE_FICLONE),
  rename: renameSync,
  writeFile: (file, text) => writeFileSync(file, text),
  remove: (file) => rmSync(file, { force: true }),
  differs: (file, hash) => createHash('sha256').update(readFileSync(file)).digest('hex') !== hash,
};

const asyncIo: StoreIo = {
  exists: async (file) => (await fs.stat(file).catch(() => undefined)) !== undefined,
  mkdir: (dir) => fs.mkdir(dir, { recursive: true }),
  copyFile: (from, to) => fs.copyFile(from, to, constants.COPYFILE_FICLONE),
  rename: fs.rename,
  writeFile: (file, text) => fs.writeFile(file, text),
  remove: (file) => fs.rm(file, { force: true }),
};
