/**
 * Whether a document's `format` is one this build can work with. Every way in (open, restore, save,
 * run, the CLI) refuses a newer or unknown format, so nothing written by a newer Pipewright is
 * half-understood or written back older.
 */
import { CURRENT_VERSION, formatName, formatVersion, FormatTooNewError } from './migrations.ts';

export interface FormatRefusal {
  kind: 'format-too-new' | 'unknown-format';
  format: string;
  /** The version a too-new format claims. */
  version?: number;
  message: string;
}

/** undefined when `format` is this build's (or an older, migratable) pipeline format. `action`: "save", "run"... */
export function refuseFormat(format: unknown, action: string): FormatRefusal | undefined {
  const expected = formatName(CURRENT_VERSION);
  if (typeof format !== 'string') {
    return { kind: 'unknown-format', format: String(format), message: `the document has no "format" string (expected "${expected}"), so Pipewright will not ${action} it` };
  }
  try {
    formatVersion(format);
    return undefined;
  } catch (error) {
    if (error instanceof FormatTooNewError) {
      return {
        kind: 'format-too-new',
        format,
        version: error.version,
        message: `the document is format ${format}, newer than this Pipewright understands (up to ${expected}); update Pipewright to ${action} it`,
      };
    }
    return { kind: 'unknown-format', format, message: `the document's format "${format.slice(0, 100)}" is not a Pipewright pipeline format (expected "${expected}"), so Pipewright will not ${action} it` };
  }
}
