/** The files half of the contract: open, save (atomic), list directories, recent files, export. */
import type { LoadErrorCode } from '../pipeline/load.ts';
import type { PipelineDocument } from '../pipeline/types.ts';

/** The suffix Pipewright gives pipeline documents. */
export const PIPELINE_FILE_SUFFIX = '.pipewright.json';

export interface OpenedFile {
  /** Absolute path. */
  path: string;
  /** The file name without its folder. */
  name: string;
  document: PipelineDocument;
  /** Modification time when read; pass it back to `saveFile` to detect changes made on disk. */
  mtimeMs: number;
  /** Set when an older format was migrated while loading (the file itself is unchanged). */
  migratedFrom?: string;
}

/** File-system problems, then the loader's codes (shared/pipeline/load.ts: json-syntax, truncated, format-too-new, ...). */
export type FileOpenErrorKind = 'not-found' | 'not-a-file' | 'unreadable' | 'too-large' | 'not-json-file' | LoadErrorCode;

/** Why a file could not be opened; the file is never modified. */
export interface FileOpenError {
  kind: FileOpenErrorKind;
  /** A sentence naming what is wrong and where. */
  message: string;
  path: string;
  /** 1-based position of a syntax error. */
  line?: number;
  column?: number;
  /** Where in the document a structural error is, e.g. `nodes[2].position`. */
  field?: string;
  /** The format string the file declares, for `format-too-new` / `unknown-format`. */
  format?: string;
  /** The file's format version and the newest this build reads, for `format-too-new`. */
  version?: number;
  supportedVersion?: number;
}

export type OpenFileResult = { ok: true; file: OpenedFile } | { ok: false; error: FileOpenError };

export interface SaveFileRequest {
  /** Absolute path. */
  path: string;
  document: PipelineDocument;
  /**
   * `mtimeMs` from when the document was opened or last saved at this path. Given: the save is
   * refused if the file changed on disk since. Omitted (Save As, new file): refused if the file exists.
   */
  baseMtimeMs?: number;
  /** Overwrite regardless of the checks above (after the user confirmed). */
  force?: boolean;
}

export type SaveConflict = 'changed-on-disk' | 'exists';

export type SaveFileResult =
  | { ok: true; path: string; name: string; mtimeMs: number }
  | { ok: false; conflict: SaveConflict; message: string; path: string; diskMtimeMs?: number };

export interface DirectoryEntry {
  name: string;
  /** Absolute path. */
  path: string;
  kind: 'file' | 'directory';
  size: number;
  mtimeMs: number;
}

export interface DirectoryListing {
  /** Absolute path of the listed directory. */
  path: string;
  /** null at a file-system root. */
  parent: string | null;
  /** Folders first, then files, each sorted by name. Hidden entries (dot files) left out. */
  entries: DirectoryEntry[];
  /** Starting points for the app-rendered dialog: home, and the drives/roots of this machine. */
  places: { label: string; path: string }[];
}

export interface ListDirectoryOptions {
  /** `pipelines`: folders and `*.json` files only (the default); `all`: everything. */
  filter?: 'pipelines' | 'all';
}

export interface RecentFile {
  path: string;
  name: string;
  /** ISO time it was last opened or saved. */
  openedAt: string;
  /** Whether it still exists (checked when listed). */
  exists: boolean;
}

export interface ExportRequest {
  /** Absolute path of an existing (or creatable) folder. */
  dir: string;
  /** Relative file name -> content, e.g. `pipeline.yaml`, `steps/cpt.py`. */
  files: Record<string, string>;
}

export interface ExportResult {
  /** Absolute paths written. */
  written: string[];
}

export interface FilesApi {
  openFile(path: string): Promise<OpenFileResult>;
  /** Save and Save As: atomic (temp file, fsync, rename); see SaveFileRequest for the overwrite checks. */
  saveFile(request: SaveFileRequest): Promise<SaveFileResult>;
  /** For the app-rendered file dialog in browser mode; no path: the home folder. */
  listDirectory(path: string | null, options: ListDirectoryOptions): Promise<DirectoryListing>;
  listRecentFiles(): Promise<RecentFile[]>;
  removeRecentFile(path: string): Promise<void>;
  clearRecentFiles(): Promise<void>;
  exportFiles(request: ExportRequest): Promise<ExportResult>;
  /** Native dialogs (desktop only; reject with code `not-available` in browser mode). null: cancelled. */
  showOpenDialog(): Promise<string | null>;
  showSaveDialog(suggestedName: string): Promise<string | null>;
  showFolderDialog(): Promise<string | null>;
}
