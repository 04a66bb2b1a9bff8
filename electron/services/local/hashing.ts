/**
 * Content hashes of files and directories, as DVC tracks deps and outs: a directory's hash covers
 * every file's relative path, content and executable bit. File hashes are remembered by
 * (path, size, mtime, inode) so a file read as one stage's output and the next one's input is read once.
 */
import { createHash } from 'node:crypto';
import { createReadStream, promises as fs, readFileSync, statSync } from 'node:fs';
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

  async fileHash(file: string): Promise<string> {
    // Small files are read at once, without trips through the thread pool (most step outputs are small); large ones streamed.
    const stat = statSync(file);
    const key = `${stat.size}:${stat.mtimeMs}:${stat.ino}`;
    const known = this.memo.get(file);
    if (known && known.key === key) return known.hash;
    const hash = stat.size <= SMALL_FILE_BYTES ? createHash('sha256').update(readFileSync(file)).digest('hex') : await new Promise<string>((resolve, reject) => {
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
    const addFile = async (abs: string, rel: string) => {
      const s = statSync(abs);
      entries.push({ path: rel, kind: 'file', hash: await this.fileHash(abs), size: s.size, executable: (s.mode & 0o111) !== 0 });
    };
    if (stat.isDirectory()) {
      const walk = async (dir: string, rel: string) => {
        const names = (await fs.readdir(dir)).sort();
        for (const name of names) {
          const abs = path.join(dir, name);
          const childRel = rel ? `${rel}/${name}` : name;
          const s = statSync(abs, { throwIfNoEntry: false });
          if (!s) continue;
          if (s.isDirectory()) {
            entries.push({ path: childRel, kind: 'dir' });
            await walk(abs, childRel);
          } else if (s.isFile()) await addFile(abs, childRel);
        }
      };
      await walk(root, '');
    } else {
      await addFile(root, '');
    }
    const h = createHash('sha256').update(stat.isDirectory() ? 'dir\n' : 'file\n');
    for (const e of entries) h.update(`${e.path}\0${e.kind}\0${e.hash ?? ''}\0${e.executable ? 'x' : '-'}\n`);
    return { kind: stat.isDirectory() ? 'dir' : 'file', entries, hash: h.digest('hex') };
  }
}
