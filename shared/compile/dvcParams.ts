/** params.yaml text: JSON that YAML 1.2 (DVC) and YAML 1.1 (PyYAML in the step scripts) read identically. */
import { formatYamlNumber, quoteYamlString } from './emitYaml.ts';
import { TextChunks } from './textChunks.ts';

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

/**
 * params.yaml's top-level entries written as they come: a node's section is flat text as soon as it is
 * added (a section kept as an object, or as the many-piece string write() builds, stayed alive until the
 * end of the compile, and a large pipeline's thousands of them were copied and promoted by the garbage
 * collector). The run settings and pipeline parameters come first (`head`); a node whose id is also a
 * parameter's name (the validator refuses that) takes its place, as an object spread would.
 */
export class ParamsJson {
  private readonly quoted: Quoted = new Map();
  private readonly head: string[] = [];
  private readonly headKeys = new Map<string, number>();
  private readonly body = new TextChunks();
  private bodyEntries = 0;

  /** A run setting or pipeline parameter: before every node. */
  addHead(key: string, value: unknown): void {
    const at = this.headKeys.get(key);
    if (at === undefined) this.headKeys.set(key, this.head.length);
    this.setHead(at ?? this.head.length, key, value);
  }

  /** A node's section. */
  add(key: string, value: unknown): void {
    const at = this.headKeys.get(key);
    if (at !== undefined) return this.setHead(at, key, value);
    if (this.bodyEntries++ > 0) this.body.write(',\n');
    this.body.write('  ');
    this.body.write(quote(key, this.quoted));
    this.body.write(': ');
    this.body.write(write(value, '  ', this.quoted));
  }

  private setHead(at: number, key: string, value: unknown): void {
    this.head[at] = `  ${quote(key, this.quoted)}: ${write(value, '  ', this.quoted)}`;
  }

  text(): string {
    if (this.head.length === 0 && this.bodyEntries === 0) return '{}\n';
    const head = this.head.join(',\n');
    const separator = this.head.length > 0 && this.bodyEntries > 0 ? ',\n' : '';
    return `{\n${head}${separator}${this.body.text()}\n}\n`;
  }
}

/** params.yaml text of a whole mapping, entries in its key order. */
export function paramsJson(value: Record<string, unknown>): string {
  const out = new ParamsJson();
  for (const key in value) if (Object.hasOwn(value, key)) out.add(key, value[key]);
  return out.text();
}
