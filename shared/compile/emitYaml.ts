/**
 * A small, fast YAML emitter for the compilers' JSON-like output: block style, deterministic, and
 * read identically by YAML 1.2 parsers (js `yaml`, sigs.k8s.io/yaml) and YAML 1.1 ones (PyYAML).
 * The general-purpose `yaml` package needs ~150 ms for a 1,000-node workflow; this takes a few.
 */

export type YamlValue = string | number | boolean | null | readonly YamlValue[] | { readonly [key: string]: YamlValue | undefined };

// Plain (unquoted) only for names, paths and space-separated words that every YAML version reads as that string.
const PLAIN = /^[A-Za-z_/](?:[A-Za-z0-9_./ -]*[A-Za-z0-9_./-])?$/;
const YAML11_WORDS = /^(?:y|n|yes|no|true|false|on|off|null)$/i;
// Characters YAML parsers refuse raw (C0/C1 controls, DEL, BOM, non-characters) or that JS tools mangle.
const NEEDS_ESCAPE = /[\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/g;
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const BLOCK_UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]/;

/** A JSON string literal made safe for YAML 1.1 readers too (escapes what JSON leaves raw). */
export function quoteYamlString(s: string): string {
  const json = JSON.stringify(s);
  NEEDS_ESCAPE.lastIndex = 0;
  if (!NEEDS_ESCAPE.test(json)) return json;
  return json.replace(NEEDS_ESCAPE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A number in a form that YAML 1.1 also reads as a number (`1e-5` is a string there; `1.0e-5` is not). */
export function formatYamlNumber(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`cannot write ${n} as a YAML or JSON number`);
  const text = String(n);
  const e = text.indexOf('e');
  if (e < 0) return text;
  const mantissa = text.slice(0, e);
  const exponent = text.slice(e + 1);
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}e${exponent.startsWith('-') || exponent.startsWith('+') ? exponent : `+${exponent}`}`;
}

function scalarKey(key: string): string {
  return PLAIN.test(key) && !YAML11_WORDS.test(key) ? key : quoteYamlString(key);
}

function isBlockCandidate(s: string): boolean {
  return s.length > 1 && s.includes('\n') && s[0] !== ' ' && s[0] !== '\n' && !BLOCK_UNSAFE.test(s);
}

/** A literal block scalar (`|`), lines indented by `indent`; the chomping indicator keeps trailing newlines exact. */
function literalBlock(s: string, indent: string): string {
  let end = s.length;
  while (end > 0 && s[end - 1] === '\n') end--;
  const trailing = s.length - end;
  const chomp = trailing === 0 ? '-' : trailing === 1 ? '' : '+';
  const body = s.slice(0, end);
  const lines = body.split('\n').map((line) => (line === '' ? '' : indent + line));
  return `|${chomp}\n${lines.join('\n')}${'\n'.repeat(trailing === 0 ? 1 : trailing)}`;
}

function emitScalar(value: string | number | boolean | null): string {
  if (typeof value === 'string') return value !== '' && PLAIN.test(value) && !YAML11_WORDS.test(value) ? value : quoteYamlString(value);
  if (typeof value === 'number') return formatYamlNumber(value);
  return value === null ? 'null' : String(value);
}

function isEmptyCollection(value: YamlValue): string | undefined {
  if (Array.isArray(value)) return value.length === 0 ? '[]' : undefined;
  if (value !== null && typeof value === 'object') return Object.values(value).some((v) => v !== undefined) ? undefined : '{}';
  return undefined;
}

/** Appends `value` placed after `prefix` (a key with its colon, or a list dash) to `out`. */
function emitValue(out: string[], prefix: string, value: YamlValue, indent: string): void {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'string' && isBlockCandidate(value)) {
      out.push(`${prefix} ${literalBlock(value, indent + '  ')}`);
    } else {
      out.push(`${prefix} ${emitScalar(value)}\n`);
    }
    return;
  }
  const empty = isEmptyCollection(value);
  if (empty) {
    out.push(`${prefix} ${empty}\n`);
    return;
  }
  out.push(`${prefix}\n`);
  emitCollection(out, value, indent + '  ');
}

function emitCollection(out: string[], value: readonly YamlValue[] | { readonly [key: string]: YamlValue | undefined }, indent: string): void {
  if (Array.isArray(value)) {
    for (const item of value as readonly YamlValue[]) emitItem(out, item, indent);
    return;
  }
  for (const [key, v] of Object.entries(value)) {
    if (v !== undefined) emitValue(out, `${indent}${scalarKey(key)}:`, v, indent);
  }
}

/** A list item: a mapping starts on the dash line, the rest of it indented under the dash. */
function emitItem(out: string[], item: YamlValue, indent: string): void {
  if (item !== null && typeof item === 'object' && !isEmptyCollection(item)) {
    const start = out.length;
    emitCollection(out, item, indent + '  ');
    out[start] = `${indent}- ${out[start].slice(indent.length + 2)}`;
    return;
  }
  emitValue(out, `${indent}-`, item, indent);
}

/** YAML text of a JSON-like value whose top level is a mapping; `undefined` members are left out. */
export function emitYaml(value: { readonly [key: string]: YamlValue | undefined }): string {
  const out: string[] = [];
  emitCollection(out, value, '');
  return out.length ? out.join('') : '{}\n';
}
