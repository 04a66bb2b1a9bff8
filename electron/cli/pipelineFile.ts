/** Reading a pipeline file for a command, and printing problems the same way in every command. */
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { formatSizeOverLimit } from '../../shared/format/bytes.ts';
import { describeKind } from '../services/files/fileKind.ts';
import { MAX_DOCUMENT_BYTES } from '../services/files/filesService.ts';
import { parsePipelineText, type LoadResult } from '../../shared/pipeline/load.ts';
import type { Problem } from '../../shared/pipeline/types.ts';

/** Reads and loads FILE; a file that cannot be read becomes a LoadError-like failure with a plain message. */
export async function readPipelineFile(file: string, cwd: string): Promise<LoadResult | { ok: false; error: { code: 'unreadable'; message: string } }> {
  const path = resolve(cwd, file);
  let text: string;
  try {
    // Checked first: reading a FIFO would wait for a writer forever, a device would never end.
    const info = await stat(path);
    if (!info.isFile()) return { ok: false, error: { code: 'unreadable', message: `Cannot read "${file}": it is ${describeKind(info)}, not a file.` } };
    if (info.size > MAX_DOCUMENT_BYTES) {
      const sizes = formatSizeOverLimit(info.size, MAX_DOCUMENT_BYTES);
      return { ok: false, error: { code: 'unreadable', message: `Cannot read "${file}": it is ${sizes.size}, larger than a pipeline can be (${sizes.limit}).` } };
    }
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'there is no such file' : code === 'EISDIR' ? 'it is a folder, not a file' : code === 'EACCES' ? 'permission denied' : (err as Error).message;
    return { ok: false, error: { code: 'unreadable', message: `Cannot read "${file}": ${why}.` } };
  }
  return parsePipelineText(text, file);
}

/** `node cpt  param learning_rate`, `edge e1  field source`, `pipeline  field name`. */
export function formatLocation(p: Problem): string {
  const { nodeId, edgeId, param, field } = p.location;
  const parts: string[] = [];
  if (edgeId !== undefined) parts.push(`edge ${edgeId}`);
  if (nodeId !== undefined) parts.push(`node ${nodeId}`);
  if (parts.length === 0) parts.push('pipeline');
  if (param !== undefined) parts.push(`param ${param}`);
  if (field !== undefined) parts.push(`field ${field}`);
  return parts.join('  ');
}

/** One line per problem: `error  node cpt  param learning_rate: Parameter learning_rate of node "cpt" is 5, ...`. */
export function formatProblem(p: Problem): string {
  return `${p.severity}  ${formatLocation(p)}: ${p.message}`;
}

export function summarizeProblems(problems: readonly Problem[]): string {
  const errors = problems.filter((p) => p.severity === 'error').length;
  const warnings = problems.length - errors;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${plural(errors, 'error')}, ${plural(warnings, 'warning')}`;
}
