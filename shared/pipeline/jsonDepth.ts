/**
 * How deeply a JSON text or value nests, checked without recursion, so a hostile or broken file
 * (`[[[[...]]]]` 5,000 deep) gets a plain message instead of a stack overflow further on.
 */
import { lineAndColumn } from './loadJson.ts';

/** Deeper than any pipeline document needs (a toleration inside a node inside the list is 6). */
export const MAX_DOCUMENT_DEPTH = 100;

export interface DepthProblem {
  /** The limit that was passed. */
  limit: number;
  /** 0-based offset of the bracket that went past it. */
  offset: number;
  line: number;
  column: number;
  message: string;
}

/** The first `{` or `[` of `text` that opens level `limit + 1`, or undefined. Strings are skipped. */
export function findJsonDepthProblem(text: string, limit = MAX_DOCUMENT_DEPTH): DepthProblem | undefined {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 0x5c) i++;
      else if (ch === 0x22) inString = false;
    } else if (ch === 0x22) inString = true;
    else if (ch === 0x7b || ch === 0x5b) {
      depth++;
      if (depth > limit) {
        const { line, column } = lineAndColumn(text, i);
        return { limit, offset: i, line, column, message: `nests objects and lists more than ${limit} levels deep (at line ${line}, column ${column})` };
      }
    } else if (ch === 0x7d || ch === 0x5d) depth = Math.max(0, depth - 1);
  }
  return undefined;
}

/** Whether a parsed value nests deeper than `limit` (objects and arrays count one level each). */
export function exceedsDepth(value: unknown, limit = MAX_DOCUMENT_DEPTH): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  // A structured clone (desktop IPC) may share objects or even loop: each object is walked once.
  const seen = new Set<object>();
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (typeof current !== 'object' || current === null || seen.has(current)) continue;
    if (depth > limit) return true;
    seen.add(current);
    for (const child of Array.isArray(current) ? current : Object.values(current)) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
    }
  }
  return false;
}
