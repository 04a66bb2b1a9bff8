/** Text of a `*.pipewright.json` -> document, or a FileOpenError (the shared loader's error, plus the file path). */
import type { FileOpenError } from '../../../shared/api/files.ts';
import { parsePipelineText } from '../../../shared/pipeline/load.ts';
import type { PipelineDocument } from '../../../shared/pipeline/types.ts';

export type DocumentLoad =
  | { ok: true; document: PipelineDocument; migratedFrom?: string }
  | { ok: false; error: FileOpenError };

export function loadPipelineFile(text: string, filePath: string, fileName: string): DocumentLoad {
  const loaded = parsePipelineText(text, fileName);
  if (loaded.ok) return loaded;
  const { code, message, line, column, path: field, format, version, supportedVersion } = loaded.error;
  const error: FileOpenError = { kind: code, message, path: filePath };
  if (line !== undefined) Object.assign(error, { line, column });
  if (field !== undefined) error.field = field;
  if (format !== undefined) error.format = format.slice(0, 200);
  if (version !== undefined) Object.assign(error, { version, supportedVersion });
  return { ok: false, error };
}
