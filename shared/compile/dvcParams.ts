/** params.yaml text: JSON that YAML 1.2 (DVC) and YAML 1.1 (PyYAML in the step scripts) read identically. */
import { formatYamlNumber, quoteYamlString } from './emitYaml.ts';

/** Quoted keys and short strings: parameter names and most values repeat once per node. */
type Quoted = Map<string, string>;

function quote(s: string, quoted: Quoted): string {
  let text = quoted.get(s);
  if (text === undefined) {
    text = quoteYamlString(s);
    if (s.length <= 64) quoted.set(s, text);
  }
  return text;
}

function scalar(value: unknown, quoted: Quoted): string | undefined {
  if (typeof value === 'string') return quote(value, quoted);
  if (typeof value === 'number') return formatYamlNumber(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value === null || value === undefined) return 'null';
  return undefined;
}

function write(value: unknown, indent: string, quoted: Quoted): string {
  const text = scalar(value, quoted);
  if (text !== undefined) return text;
  if (Array.isArray(value)) {
    // Lists of scalars stay on one line: `["q_proj", "v_proj"]`.
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i > 0 ? ', ' : '') + write(value[i], indent, quoted);
    return `${out}]`;
  }
  const map = value as Record<string, unknown>;
  const inner = `${indent}  `;
  let out = '';
  for (const key in map) {
    if (!Object.hasOwn(map, key)) continue;
    out += `${out === '' ? '{\n' : ',\n'}${inner}${quote(key, quoted)}: ${write(map[key], inner, quoted)}`;
  }
  return out === '' ? '{}' : `${out}\n${indent}}`;
}

export function paramsJson(value: Record<string, unknown>): string {
  const quoted: Quoted = new Map();
  // One piece per top-level entry (a node), joined once: no string of every node stays growing.
  const entries: string[] = [];
  for (const key in value) {
    if (Object.hasOwn(value, key)) entries.push(`  ${quote(key, quoted)}: ${write(value[key], '  ', quoted)}`);
  }
  return entries.length === 0 ? '{}\n' : `{\n${entries.join(',\n')}\n}\n`;
}
