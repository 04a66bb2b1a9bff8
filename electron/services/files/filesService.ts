/** Opening, saving (atomically, with a changed-on-disk check), listing folders and exporting. */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type {
  DirectoryEntry,
  DirectoryListing,
  ExportRequest,
  ExportResult,
  ListDirectoryOptions,
  OpenFileResult,
  SaveFileRequest,
  SaveFileResult,
} from '../../../shared/api/files.ts';
import { ApiError } from '../../../shared/api/errors.ts';
import { formatSizeOverLimit } from '../../../shared/format/bytes.ts';
import { refuseFormat } from '../../../shared/pipeline/formatCheck.ts';
import { findJsonDepthProblem } from '../../../shared/pipeline/jsonDepth.ts';
import { serializePipeline } from '../../../shared/pipeline/load.ts';
import { writeFileAtomic } from '../atomicWrite.ts';
import { describeKind } from './fileKind.ts';
import { assertStaysInside } from './insideFolder.ts';
import { loadPipelineFile } from './loadDocument.ts';
import type { RecentFilesStore } from './recentFiles.ts';

export const MAX_DOCUMENT_BYTES = 50 * 1024 * 1024;

export interface FilesService {
  openFile(filePath: string): Promise<OpenFileResult>;
  saveFile(request: SaveFileRequest): Promise<SaveFileResult>;
  listDirectory(dirPath: string | null, options: ListDirectoryOptions): Promise<DirectoryListing>;
  exportFiles(request: ExportRequest): Promise<ExportResult>;
}

function requireAbsolute(filePath: string, what: string): string {
  if (!path.isAbsolute(filePath)) throw new ApiError('invalid-arguments', `${what} must be an absolute path: ${filePath}`);
  return path.normalize(filePath);
}

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

export function createFilesService(recent: RecentFilesStore): FilesService {
  return {
    async openFile(rawPath) {
      const filePath = requireAbsolute(rawPath, 'The file to open');
      const fail = (kind: 'not-found' | 'not-a-file' | 'unreadable' | 'too-large' | 'not-json-file', message: string): OpenFileResult => ({
        ok: false,
        error: { kind, message, path: filePath },
      });
      if (!filePath.toLowerCase().endsWith('.json')) {
        return fail('not-json-file', `${path.basename(filePath)} is not a pipeline file (Pipewright opens *.pipewright.json files).`);
      }
      let text: string;
      let mtimeMs: number;
      try {
        const stat = await fs.stat(filePath);
        if (!stat.isFile()) return fail('not-a-file', `${filePath} is ${describeKind(stat)}, not a file.`);
        if (stat.size > MAX_DOCUMENT_BYTES) {
          const sizes = formatSizeOverLimit(stat.size, MAX_DOCUMENT_BYTES);
          return fail('too-large', `${filePath} is ${sizes.size}, larger than a pipeline can be (${sizes.limit}).`);
        }
        text = await fs.readFile(filePath, 'utf8');
        mtimeMs = stat.mtimeMs;
      } catch (error) {
        if (errorCode(error) === 'ENOENT') return fail('not-found', `${filePath} does not exist (moved or deleted?).`);
        return fail('unreadable', `${filePath} cannot be read (${errorCode(error) ?? 'unknown error'}).`);
      }
      const loaded = loadPipelineFile(text, filePath, path.basename(filePath));
      if (!loaded.ok) return loaded;
      await recent.touch(filePath);
      const file = { path: filePath, name: path.basename(filePath), document: loaded.document, mtimeMs };
      return { ok: true, file: loaded.migratedFrom ? { ...file, migratedFrom: loaded.migratedFrom } : file };
    },

    async saveFile(request) {
      const filePath = requireAbsolute(request.path, 'The file to save');
      const refusal = refuseFormat(request.document.format, 'save');
      if (refusal) throw new ApiError('failed', `Not saved: ${refusal.message}.`);
      const disk = await fs.stat(filePath).catch((error: unknown) => {
        if (errorCode(error) === 'ENOENT') return null;
        throw error;
      });
      if (disk && !disk.isFile()) throw new ApiError('failed', `${filePath} is ${describeKind(disk)}; choose a file name.`);
      const onDisk = disk ? await newerFormatOnDisk(filePath, disk.size) : undefined;
      if (onDisk) {
        throw new ApiError('failed', `Not saved: ${path.basename(filePath)} was written by a newer Pipewright (format ${onDisk}), and saving would replace it with an older format. Save under another name.`);
      }
      if (disk && !request.force) {
        if (request.baseMtimeMs === undefined) {
          return { ok: false, conflict: 'exists', path: filePath, diskMtimeMs: disk.mtimeMs, message: `${path.basename(filePath)} already exists. Replace it?` };
        }
        if (disk.mtimeMs !== request.baseMtimeMs) {
          return {
            ok: false,
            conflict: 'changed-on-disk',
            path: filePath,
            diskMtimeMs: disk.mtimeMs,
            message: `${path.basename(filePath)} was changed on disk since it was opened. Overwrite those changes?`,
          };
        }
      }
      await writeFileAtomic(filePath, serializePipeline(request.document));
      const written = await fs.stat(filePath);
      await recent.touch(filePath);
      return { ok: true, path: filePath, name: path.basename(filePath), mtimeMs: written.mtimeMs };
    },

    async listDirectory(dirPath, options) {
      const dir = dirPath === null ? os.homedir() : requireAbsolute(dirPath, 'The folder to list');
      const names = await fs.readdir(dir, { withFileTypes: true }).catch((error: unknown) => {
        throw new ApiError('failed', `${dir} cannot be listed (${errorCode(error) ?? 'unknown error'}).`);
      });
      const onlyPipelines = (options.filter ?? 'pipelines') === 'pipelines';
      const entries: DirectoryEntry[] = [];
      for (const dirent of names) {
        if (dirent.name.startsWith('.')) continue;
        const entryPath = path.join(dir, dirent.name);
        const stat = await fs.stat(entryPath).catch(() => null);
        if (!stat) continue;
        const kind = stat.isDirectory() ? 'directory' : 'file';
        if (onlyPipelines && kind === 'file' && !dirent.name.toLowerCase().endsWith('.json')) continue;
        entries.push({ name: dirent.name, path: entryPath, kind, size: stat.size, mtimeMs: stat.mtimeMs });
      }
      entries.sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === 'directory' ? -1 : 1));
      const parent = path.dirname(dir);
      return { path: dir, parent: parent === dir ? null : parent, entries, places: await listPlaces() };
    },

    async exportFiles(request) {
      const dir = requireAbsolute(request.dir, 'The export folder');
      const targets = Object.entries(request.files).map(([name, content]) => [safeJoin(dir, name), content] as const);
      for (const name of Object.keys(request.files)) {
        await assertStaysInside(dir, name).catch((error: unknown) => {
          throw new ApiError('failed', `Nothing was exported: ${(error as Error).message}.`);
        });
      }
      const written: string[] = [];
      for (const [target, content] of targets) {
        await fs.mkdir(path.dirname(target), { recursive: true });
        await writeFileAtomic(target, content);
        written.push(target);
      }
      return { written };
    },
  };
}

/** The format of an existing pipeline file when it is newer than this build's (it must not be written over). */
async function newerFormatOnDisk(filePath: string, size: number): Promise<string | undefined> {
  if (size > MAX_DOCUMENT_BYTES) return undefined;
  const text = await fs.readFile(filePath, 'utf8').catch(() => '');
  if (findJsonDepthProblem(text)) return undefined;
  try {
    const format = (JSON.parse(text) as { format?: unknown } | null)?.format;
    return refuseFormat(format, 'save')?.kind === 'format-too-new' ? String(format) : undefined;
  } catch {
    return undefined;
  }
}

/** A relative name inside `dir`; refuses absolute names, `..` and odd characters. */
function safeJoin(dir: string, name: string): string {
  const parts = name.split('/');
  if (parts.some((part) => !/^[A-Za-z0-9_.-]+$/.test(part) || part === '.' || part === '..')) {
    throw new ApiError('invalid-arguments', `cannot export "${name.slice(0, 200)}": file names are relative, made of letters, digits, '.', '-', '_' and '/'`);
  }
  return path.join(dir, ...parts);
}

async function listPlaces(): Promise<{ label: string; path: string }[]> {
  const places = [{ label: 'Home', path: os.homedir() }];
  if (process.platform !== 'win32') return [...places, { label: '/', path: '/' }];
  for (const letter of 'CDEFGHIJ') {
    const root = `${letter}:\\`;
    if (await fs.stat(root).then(() => true, () => false)) places.push({ label: `${letter}:`, path: root });
  }
  return places;
}
