/** Label and field selectors in the API server's syntax (`a=b,c!=d,e in (x,y),!f`). */

type Requirement =
  | { key: string; op: 'eq' | 'neq'; value: string }
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | 'notexists' };

export type Matcher = (read: (key: string) => string | undefined) => boolean;

function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  if (current.trim()) parts.push(current);
  return parts.map((p) => p.trim()).filter(Boolean);
}

function parseRequirement(part: string): Requirement {
  const setMatch = /^(\S+)\s+(in|notin)\s+\((.*)\)$/.exec(part);
  if (setMatch) {
    const values = setMatch[3].split(',').map((v) => v.trim()).filter(Boolean);
    return { key: setMatch[1], op: setMatch[2] as 'in' | 'notin', values };
  }
  const neq = /^([^!=\s]+)\s*!=\s*(.*)$/.exec(part);
  if (neq) return { key: neq[1], op: 'neq', value: neq[2] };
  const eq = /^([^!=\s]+)\s*==?\s*(.*)$/.exec(part);
  if (eq) return { key: eq[1], op: 'eq', value: eq[2] };
  if (part.startsWith('!')) return { key: part.slice(1).trim(), op: 'notexists' };
  if (/^[A-Za-z0-9_./-]+$/.test(part)) return { key: part, op: 'exists' };
  throw new Error(`unable to parse requirement: ${part}`);
}

/** Throws Error with the API server's wording when the selector cannot be parsed. */
export function parseSelector(text: string | null | undefined): Matcher {
  if (!text || !text.trim()) return () => true;
  const requirements = splitTopLevel(text).map(parseRequirement);
  return (read) =>
    requirements.every((r) => {
      const actual = read(r.key);
      switch (r.op) {
        case 'eq':
          return actual === r.value;
        case 'neq':
          return actual !== r.value;
        case 'in':
          return actual !== undefined && r.values.includes(actual);
        case 'notin':
          return actual === undefined || !r.values.includes(actual);
        case 'exists':
          return actual !== undefined;
        case 'notexists':
          return actual === undefined;
      }
    });
}

/** Reads a dotted field path (`metadata.name`, `involvedObject.uid`) as a string, for field selectors. */
export function readField(object: unknown, path: string): string | undefined {
  let value: unknown = object;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  if (value === undefined || value === null) return path === 'metadata.namespace' ? '' : undefined;
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}
