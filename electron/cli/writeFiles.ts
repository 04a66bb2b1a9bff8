/**
 * Writes a set of files into a folder all or nothing: everything goes into a temporary folder
 * beside it first, then a new folder is renamed into place (or, when the folder exists, each
 * file is renamed in). A failure while writing leaves the folder as it was.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { describeKind } from '../services/files/fileKind.ts';
import { assertStaysInside } from '../services/files/insideFolder.ts';

export class WriteFilesError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WriteFilesError';
  }
}

/** A relative path that stays inside its folder: no absolute paths, no `..`, no empty or odd segments. */
export function isSafeRelativePath(path: string): boolean {
  if (path === '' || path.startsWith('/') || path.includes('\\') || path.includes('\0') || /^[A-Za-z]:/.test(path)) return false;
  return path.split('/').every((seg) => seg !== '' && seg !== '.' && seg !== '..');
}

async function kindOf(path: string): Promise<'file' | 'dir' | 'none'> {
  try {
    return (await stat(path)).isDirectory() ? 'dir' : 'file';
  } catch {
    return 'none';
  }
}

/** "a file", "a named pipe (FIFO)", ... for a path that is not a folder. */
async function describe(path: string): Promise<string> {
  return stat(path).then(describeKind, () => 'missing');
}

/** Checks that every file can land in `dir` (no folder where a file goes, no file where a folder goes). */
async function checkTargets(dir: string, paths: readonly string[]): Promise<void> {
  for (const path of paths) {
    const segments = path.split('/');
    for (let i = 1; i < segments.length; i++) {
      const prefix = join(dir, ...segments.slice(0, i));
      if ((await kindOf(prefix)) === 'file') throw new WriteFilesError(`${prefix} is ${await describe(prefix)}, but ${path} needs it to be a folder`);
    }
    const kind = await stat(join(dir, path)).catch(() => undefined);
    if (kind && !kind.isFile()) throw new WriteFilesError(`${join(dir, path)} is ${describeKind(kind)}, but ${path} is a file to write there`);
  }
}

/** Writes `files` (relative path → text) into `dir`; returns the paths written, sorted. */
export async function writeFilesAtomically(dir: string, files: Readonly<Record<string, string>>): Promise<string[]> {
  const target = resolve(dir);
  const paths = Object.keys(files).sort();
  const unsafe = paths.find((p) => !isSafeRelativePath(p));
  if (unsafe !== undefined) throw new WriteFilesError(`refusing to write ${JSON.stringify(unsafe)}: not a plain relative path`);
  const existing = await kindOf(target);
  if (existing === 'file') throw new WriteFilesError(`${dir} exists and is ${await describe(target)}, not a folder`);
  if (existing === 'dir') {
    await checkTargets(target, paths);
    for (const path of paths) await assertStaysInside(target, path).catch((err: unknown) => { throw new WriteFilesError((err as Error).message); });
  }
  await mkdir(dirname(target), { recursive: true });
  // mkdir (unlike mkdtemp) honours the umask, so a folder renamed into place gets ordinary permissions.
  const temp = join(dirname(target), `.${basename(target)}.tmp-${randomBytes(6).toString('hex')}`);
  await mkdir(temp);
  try {
    for (const path of paths) {
      const full = join(temp, ...path.split('/'));
      await mkdir(dirname(full), { recursive: true });
      await writeFile(full, files[path]);
    }
    if (existing === 'none') {
      try {
        await rename(temp, target);
        return paths;
      } catch (err) {
        // Someone created the folder meanwhile: fall through and move the files in one by one.
        if ((await kindOf(target)) !== 'dir') throw err;
      }
    }
    for (const path of paths) {
      const destination = join(target, ...path.split('/'));
      await mkdir(dirname(destination), { recursive: true });
      await rename(join(temp, ...path.split('/')), destination);
    }
    return paths;
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}
