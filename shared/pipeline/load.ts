/**
 * Reading a `*.pipewright.json` file: JSON, format version, migration to the current format, and
 * the document's skeleton. A file is either loaded whole or refused with a LoadError that says
 * what and where; it is never half-loaded.
 */
import { findJsonDepthProblem, MAX_DOCUMENT_DEPTH } from './jsonDepth.ts';
import { findJsonSyntaxError } from './loadJson.ts';
import { findShapeProblem } from './loadShape.ts';
import { CURRENT_VERSION, formatName, formatVersion, FormatTooNewError, migrateDocument, MigrationError, UnknownFormatError } from './migrations.ts';
import type { PipelineDocument, Problem } from './types.ts';

export { serializePipeline } from './loadSerialize.ts';

export type LoadErrorCode =
  | 'empty'
  | 'json-syntax'
  | 'truncated'
  | 'too-deep'
  | 'not-object'
  | 'missing-format'
  | 'unknown-format'
  | 'format-too-new'
  | 'migration-failed'
  | 'invalid-shape';

export const LOAD_ERROR_CODES: Readonly<Record<LoadErrorCode, string>> = {
  empty: 'The file is empty.',
  'json-syntax': 'The file is not valid JSON (line and column given).',
  truncated: 'The JSON ends early: the file was probably cut off while being written.',
  'too-deep': `Objects and lists are nested deeper than a pipeline can be (${MAX_DOCUMENT_DEPTH} levels; line and column given).`,
  'not-object': 'The JSON is not an object (a list, a string, a number...).',
  'missing-format': 'There is no "format" field, so this is not a Pipewright pipeline.',
  'unknown-format': 'The "format" field names something other than a Pipewright pipeline format.',
  'format-too-new': 'The file was written by a newer Pipewright; update to open it.',
  'migration-failed': 'An older format could not be upgraded (the path says where).',
  'invalid-shape': 'A required field is missing or a container has the wrong kind (the path says where).',
};

export interface LoadError {
  code: LoadErrorCode;
  /** One or two plain sentences, starting with the file name when it is known. */
  message: string;
  fileName?: string;
  /** 1-based, for JSON syntax errors. */
  line?: number;
  column?: number;
  /** Where in the document, as `nodes[2].position`. */
  path?: string;
  /** The `format` the file claims, when it has one. */
  format?: string;
  /** Its version number, for `format-too-new` and `migration-failed`. */
  version?: number;
  /** The newest version this build reads. */
  supportedVersion?: number;
}

export type LoadResult =
  | { ok: true; document: PipelineDocument; /** The format the file was written in, when it was upgraded. */ migratedFrom?: string }
  | { ok: false; error: LoadError };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function fail(code: LoadErrorCode, fileName: string | undefined, detail: string, extra: Partial<LoadError> = {}): LoadResult {
  const subject = fileName ? `"${fileName}"` : 'The pipeline file';
  return { ok: false, error: { code, message: `${subject} ${detail}`, ...(fileName ? { fileName } : {}), ...extra } };
}

function parseJson(text: string, fileName: string | undefined): { value: unknown } | LoadResult {
  try {
    return { value: JSON.parse(text) };
  } catch (err) {
    const found = findJsonSyntaxError(text);
    if (!found) return fail('json-syntax', fileName, `is not valid JSON: ${(err as Error).message}.`);
    const at = `line ${found.line}, column ${found.column}`;
    if (found.truncated) {
      return fail('truncated', fileName, `ends early at ${at} (${found.message}); it was probably cut off while being saved.`, {
        line: found.line,
        column: found.column,
      });
    }
    return fail('json-syntax', fileName, `is not valid JSON at ${at}: ${found.message}.`, { line: found.line, column: found.column });
  }
}

export function parsePipelineText(text: string, fileName?: string): LoadResult {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  if (body.trim() === '') return fail('empty', fileName, 'is empty.');
  const deep = findJsonDepthProblem(body);
  if (deep) return fail('too-deep', fileName, `${deep.message}, deeper than any pipeline.`, { line: deep.line, column: deep.column });
  const parsed = parseJson(body, fileName);
  if ('ok' in parsed) return parsed;
  const raw = parsed.value;
  if (!isObject(raw)) {
    const kind = Array.isArray(raw) ? 'a list' : raw === null ? 'null' : `a ${typeof raw}`;
    return fail('not-object', fileName, `holds ${kind}, not a pipeline object.`);
  }
  if (!('format' in raw)) {
    return fail('missing-format', fileName, `has no "format" field, so it is not a Pipewright pipeline (expected "format": "${formatName(CURRENT_VERSION)}").`);
  }
  const format = raw.format;
  let version: number;
  try {
    if (typeof format !== 'string') throw new UnknownFormatError(String(JSON.stringify(format)));
    version = formatVersion(format);
  } catch (err) {
    if (err instanceof FormatTooNewError) {
      return fail('format-too-new', fileName, `cannot be opened: ${err.message}.`, {
        format: err.format,
        version: err.version,
        supportedVersion: err.supportedVersion,
      });
    }
    if (err instanceof UnknownFormatError) return fail('unknown-format', fileName, `cannot be opened: ${err.message}.`, { format: err.format });
    throw err;
  }
  let doc: Record<string, unknown>;
  try {
    doc = migrateDocument(raw, version);
  } catch (err) {
    if (!(err instanceof MigrationError)) throw err;
    return fail('migration-failed', fileName, `cannot be opened: ${err.message}.`, { format, version, path: err.path });
  }
  const shape = findShapeProblem(doc);
  if (shape) return fail('invalid-shape', fileName, `is not a well-formed pipeline: ${shape.message}.`, { path: shape.path, format });
  const document = doc as unknown as PipelineDocument;
  return version === CURRENT_VERSION ? { ok: true, document } : { ok: true, document, migratedFrom: format as string };
}

/** A load error as a Problem, so tools can print it with the validator's problems. */
export function loadErrorToProblem(error: LoadError): Problem {
  const field = error.path ?? (error.line !== undefined ? `line ${error.line}, column ${error.column}` : undefined);
  return { severity: 'error', code: `load-${error.code}`, message: error.message, location: field ? { field } : {} };
}
