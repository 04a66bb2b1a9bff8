/**
 * Content hashes of files and directories, as DVC tracks deps and outs: a directory's hash covers
 * every file's relative path, content and executable bit. File hashes are remembered by
 * (path, size, mtime, inode) so a file read as one stage's output and the next one's input is read once.
 */
import { createHash } from 'node:crypto';
import { createReadStream, readdirSync, readFileSync, statSync } from 'node:fs';
import type { Stats } from 'node:fs';
import path from 'node:path';

/** Files up to this size are read and copied synchronously (a few hundred microseconds at most). */
export const SMALL_FILE_BYTES = 256 * 1024;

export interface TreeEntry {
  /** Relative to the tree's root, `/`-separated; '' when the tree is a single file. */
  path: string;
  kind: 'file' | 'dir';
  /** sha256 of the content (files only). */
  hash?: string;
  size?: number;
  executable?: boolean;
}

export interface Tree {
  kind: 'file' | 'dir' | 'missing';
  entries: TreeEntry[];
  hash: string;
}

export class Hasher {
  private readonly memo = new Map<string, { key: string; hash: string }>();

  /** A file's hash, read at once whatever its size (callers keep to small files), or remembered. */
  fileHashSync(file: string, stat: Stats = statSync(file)): string {
    const key = `${stat.size}:${stat.mtimeMs}:${stat.ino}`;
    const known = this.memo.get(file);
    if (known && known.key === key) return known.hash;
    const hash = createHash('sha256').update(readFileSync(file)).digest('hex');
    this.memo.set(file, { key, hash });
    return hash;
  }

  async fileHash(file: string, stat: Stats = statSync(file)): Promise<string> {
    // Small files are read at once, without trips through the thread pool (most step outputs are small); large ones streamed.
    if (stat.size <= SMALL_FILE_BYTES) return this.fileHashSync(file, stat);
    const key = `${stat.size}:${stat.mtimeMs}:${stat.ino}`;
    const known = this.memo.get(file);
    if (known && known.key === key) return known.hash;
    const hash = await new Promise<string>((resolve, reject) => {
      const h = createHash('sha256');
      createReadStream(file)
        .on('data', (chunk) => h.update(chunk))
        .on('error', reject)
        .on('end', () => resolve(h.digest('hex')));
    });
    this.memo.set(file, { key, hash });
    return hash;
  }

  async tree(root: string): Promise<Tree> {
    const stat = statSync(root, { throwIfNoEntry: false });
    if (!stat) return { kind: 'missing', entries: [], hash: 'missing' };
    const entries: TreeEntry[] = [];
    const addFile = async (abs: string, rel: string, s: Stats) => {
      entries.push({ path: rel, kind: 'file', hash: await this.fileHash(abs, s), size: s.size, executable: (s.mode & 0o111) !== 0 });
    };
    if (stat.isDirectory()) {
      const walk = async (dir: string, rel: string) => {
        // Listed synchronously: a stage's outputs are a few small folders, and a trip through the thread pool costs more.
        const names = readdirSync(dir).sort();
        for (const name of names) {
          const abs = path.join(dir, name);
          const childRel = rel ? `${rel}/${name}` : name;
          const s = statSync(abs, { throwIfNoEntry: false });
          if (!s) continue;
          if (s.isDirectory()) {
            entries.push({ path: childRel, kind: 'dir' });
            await walk(abs, childRel);
          } else if (s.isFile()) await addFile(abs, childRel, s);
        }
      };
      await walk(root, '');
    } else {
      await addFile(root, '', stat);
    }
    const h = createHash('sha256').update(stat.isDirectory() ? 'dir\n' : 'file\n');
    for (const e of entries) h.update(`${e.path}\0${e.kind}\0${e.hash ?? ''}\0${e.executable ? 'x' : '-'}\n`);
    return { kind: stat.isDirectory() ? 'dir' : 'file', entries, hash: h.digest('hex') };
  }
}
