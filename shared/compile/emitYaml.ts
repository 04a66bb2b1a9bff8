/**
 * A small, fast YAML emitter for the compilers' JSON-like output: block style, deterministic, and
 * read identically by YAML 1.2 parsers (js `yaml`, sigs.k8s.io/yaml) and YAML 1.1 ones (PyYAML).
 * The general-purpose `yaml` package needs ~150 ms for a 1,000-node workflow; this takes a few.
 */

import { largeTextMemo } from './largeText.ts';
import { TextChunks } from './textChunks.ts';

export type YamlValue = string | number | boolean | null | readonly YamlValue[] | YamlStream | { readonly [key: string]: YamlValue | undefined };

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


const LINE_START = /\n(?=[^\n])/g;

/** A string this long (a step script, a sample) is written through largeInline. */
const LARGE = 4096;
const LARGE_INLINE: ((value: string) => string)[] = [];

/** What follows `key:` or `-` at `level` for a large string, remembered across calls (see largeText.ts). */
function largeInline(level: number): (value: string) => string {
  return (LARGE_INLINE[level] ??= largeTextMemo((value) =>
    isBlockCandidate(value) ? ` ${literalBlock(value, indentOf(level + 1))}` : ` ${scalarText(value)}\n`,
  ));
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
  // Every line but the empty ones is indented; the first is never empty (isBlockCandidate).
  const body = indent + s.slice(0, end).replace(LINE_START, `\n${indent}`);
  return `|${chomp}\n${body}${'\n'.repeat(trailing === 0 ? 1 : trailing)}`;
}

/** The plain or quoted form of a string (without the newline or indentation around it). */
function scalarText(value: string): string {
  return value !== '' && PLAIN.test(value) && !YAML11_WORDS.test(value) ? value : quoteYamlString(value);
}

function emitScalar(value: string | number | boolean | null): string {
  if (typeof value === 'string') return scalarText(value);
  if (typeof value === 'number') return formatYamlNumber(value);
  return value === null ? 'null' : String(value);
}

type YamlMap = { readonly [key: string]: YamlValue | undefined };

/**
 * Entries each of Texts' caches holds at most. Names, flags and paths that repeat are met in the first
 * nodes; a large pipeline's node ids and its other one-off strings would only grow the tables (and the
 * data a compile keeps alive, which the garbage collector then copies and promotes) without a hit.
 */
const CACHE_LIMIT = 2048;

/** What one emitYaml call has worked out once: keys and short strings as written. */
class Texts {
  /** Per indentation level and dash: each key with its indentation (or dash) and colon. */
  readonly keyLines: Map<string, string>[] = [];
  /** Short string values as written after `key:` or `-`. */
  readonly values = new Map<string, string>();
  /** Per shared subtree, its text per indentation level and dash. */
  readonly shared = new Map<object, string[]>();
}

const INDENTS: string[] = [''];
function indentOf(level: number): string {
  while (INDENTS.length <= level) INDENTS.push(`${INDENTS[INDENTS.length - 1]}  `);
  return INDENTS[level];
}

/** `- ` after the indentation of `level`: a list item whose first member goes on the dash line. */
const DASHES: string[] = [];
function dashOf(level: number): string {
  while (DASHES.length <= level) DASHES.push(`${indentOf(DASHES.length)}- `);
  return DASHES[level];
}

/** `-` after the indentation of `level`: a list item whose value follows on the same line or below. */
const ITEMS: string[] = [];
function itemOf(level: number): string {
  while (ITEMS.length <= level) ITEMS.push(`${indentOf(ITEMS.length)}-`);
  return ITEMS[level];
}

function hasMembers(map: YamlMap): boolean {
  for (const key in map) if (map[key] !== undefined) return true;
  return false;
}

/** Writes what follows `key:` or `-` when it fits there (a scalar, a literal block, an empty collection); false for a nested one. */
function writeInline(out: TextChunks, texts: Texts, value: YamlValue, level: number): boolean {
  if (typeof value === 'string') {
    // Names, flags and paths repeat once per node; short strings are looked up instead of re-checked.
    const cached = texts.values.get(value);
    if (cached !== undefined) out.write(cached);
    else if (value.length >= LARGE) out.write(largeInline(level)(value));
    else if (isBlockCandidate(value)) {
      out.write(' ');
      out.write(literalBlock(value, indentOf(level + 1)));
    } else {
      const text = ` ${scalarText(value)}\n`;
      if (value.length <= 64 && texts.values.size < CACHE_LIMIT) texts.values.set(value, text);
      out.write(text);
    }
    return true;
  }
  if (value === null || typeof value !== 'object') {
    out.write(` ${emitScalar(value)}\n`);
    return true;
  }
  if (value instanceof YamlStream) {
    if (!value.empty) return false;
    out.write(value.list ? ' []\n' : ' {}\n');
    return true;
  }
  if (Array.isArray(value)) {
    if (value.length > 0) return false;
    out.write(' []\n');
    return true;
  }
  if (hasMembers(value as YamlMap)) return false;
  out.write(' {}\n');
  return true;
}

/**
 * A mapping or list written as YAML text while the compiler builds it, one entry at a time: a per-node
 * entry (a KFP task, an Argo template, a DVC stage) is garbage as soon as it is written, instead of
 * living, with thousands like it, until the whole document is written. That live set is what made a
 * 5,000-node compile cost more per node than a 1,000-node one (the young generation copied it again and
 * again). The text is the same as for the plain value; `level` is the indentation the value has in the
 * document (a mapping's keys, a list's dashes): the emitter refuses the stream anywhere else.
 */
export class YamlStream {
  private readonly out = new TextChunks();
  private readonly texts = new Texts();
  private count = 0;

  private constructor(
    readonly list: boolean,
    readonly level: number,
  ) {}

  /** A mapping whose keys sit at `level`. */
  static map(level: number): YamlStream {
    return new YamlStream(false, level);
  }

  /** A list whose dashes sit at `level`; in another list it stands for its items. */
  static list(level: number): YamlStream {
    return new YamlStream(true, level);
  }

  get empty(): boolean {
    return this.count === 0;
  }

  /** Adds `key: value` to a mapping stream; `undefined` is left out, as in a mapping. */
  set(key: string, value: YamlValue | undefined): void {
    if (this.list) throw new Error('YamlStream.set on a list');
    if (value === undefined) return;
    // Not writeMap of `{ [key]: value }`: a node id as a property name gives each such object a hidden
    // class of its own, and thousands of them made every property lookup in the emitter slower.
    writeMember(this.out, this.texts, key, value, this.level, false);
    this.count++;
  }

  /** Adds an item to a list stream. */
  push(item: YamlValue): void {
    if (!this.list) throw new Error('YamlStream.push on a mapping');
    writeSeq(this.out, this.texts, [item], this.level);
    this.count++;
  }

  /** @internal the emitter's: the text, where the document puts the stream at `level`. */
  writeTo(out: TextChunks, level: number, dash: boolean): void {
    if (level !== this.level || dash) throw new Error(`a YamlStream made for level ${this.level} was placed at level ${level}${dash ? ' in a list item' : ''}`);
    for (const part of this.out.parts()) out.write(part);
  }
}

/** Per-node entries of a mapping: written as they come (a YamlStream) when `stream`, else kept as a plain mapping for a caller that reads the data. */
export class MapEntries {
  private readonly plain: { [key: string]: YamlValue | undefined } | undefined;
  private readonly stream: YamlStream | undefined;

  constructor(stream: boolean, level: number) {
    if (stream) this.stream = YamlStream.map(level);
    else this.plain = {};
  }

  set(key: string, value: YamlValue | undefined): void {
    if (this.stream) this.stream.set(key, value);
    else this.plain![key] = value;
  }

  get empty(): boolean {
    return this.stream ? this.stream.empty : !hasMembers(this.plain!);
  }

  /** The mapping, to put where `level` said. */
  value(): YamlValue {
    return this.stream ?? this.plain!;
  }
}

/** Per-node items of a list, as MapEntries are of a mapping (in another list a stream stands for its items). */
export class ListEntries {
  private readonly plain: YamlValue[] | undefined;
  private readonly stream: YamlStream | undefined;

  constructor(stream: boolean, level: number) {
    if (stream) this.stream = YamlStream.list(level);
    else this.plain = [];
  }

  push(item: YamlValue): void {
    if (this.stream) this.stream.push(item);
    else this.plain!.push(item);
  }

  get empty(): boolean {
    return this.stream ? this.stream.empty : this.plain!.length === 0;
  }

  /** The list; `items()` for its items inside another list. */
  value(): YamlValue {
    return this.stream ?? this.plain!;
  }

  items(): YamlValue[] {
    return this.stream ? [this.stream] : this.plain!;
  }
}

const SHARED = new WeakSet<object>();

/**
 * Marks a mapping or list the compiler puts in many places (one per node): the emitter writes its text
 * once per indentation and copies it after that. The value must not change while it is being written.
 */
export function sharedYaml<T extends YamlMap | readonly YamlValue[]>(value: T): T {
  SHARED.add(value);
  return value;
}

/**
 * The part `key` names from `parts`, made by `make` and marked shared the first time. Once `parts` holds
 * CACHE_LIMIT entries a new key's part is made afresh and not kept: one-off values (a node's own
 * constant) would only grow the table.
 */
export function sharedPart<T extends YamlMap | readonly YamlValue[]>(parts: Map<string, T>, key: string, make: () => T): T {
  let part = parts.get(key);
  if (part !== undefined) return part;
  part = make();
  if (parts.size < CACHE_LIMIT) parts.set(key, sharedYaml(part));
  return part;
}

function keyLine(texts: Texts, key: string, level: number, dash: boolean): string {
  const slot = 2 * level + (dash ? 1 : 0);
  const lines = (texts.keyLines[slot] ??= new Map());
  let line = lines.get(key);
  if (line === undefined) {
    line = `${dash ? dashOf(level - 1) : indentOf(level)}${scalarText(key)}:`;
    if (lines.size < CACHE_LIMIT) lines.set(key, line);
  }
  return line;
}

/** A nested mapping or list: its lines at `level`; a mapping in a list item starts on the dash line. */
function writeBlock(out: TextChunks, texts: Texts, value: YamlMap | readonly YamlValue[], level: number, dash: boolean): void {
  if (value instanceof YamlStream) return value.writeTo(out, level, dash);
  if (!SHARED.has(value)) return writeBlockOf(out, texts, value, level, dash);
  let known = texts.shared.get(value);
  if (known === undefined) texts.shared.set(value, (known = []));
  const slot = 2 * level + (dash ? 1 : 0);
  let text = known[slot];
  if (text === undefined) {
    const own = new TextChunks();
    writeBlockOf(own, texts, value, level, dash);
    known[slot] = text = own.text();
  }
  out.write(text);
}

function writeBlockOf(out: TextChunks, texts: Texts, value: YamlMap | readonly YamlValue[], level: number, dash: boolean): void {
  if (Array.isArray(value)) writeSeq(out, texts, value as readonly YamlValue[], level);
  else writeMap(out, texts, value as YamlMap, level, dash);
}

/** Appends a mapping at `level`; inside a list item its first key goes on the dash line. */
function writeMap(out: TextChunks, texts: Texts, map: YamlMap, level: number, dash: boolean): void {
  let first = dash;
  for (const key in map) {
    const value = map[key];
    if (value === undefined) continue;
    writeMember(out, texts, key, value, level, first);
    first = false;
  }
}

/** One `key: value` of a mapping at `level`; `dash` puts the key on a list item's dash line. */
function writeMember(out: TextChunks, texts: Texts, key: string, value: YamlValue, level: number, dash: boolean): void {
  out.write(keyLine(texts, key, level, dash));
  if (writeInline(out, texts, value, level)) return;
  out.write('\n');
  writeBlock(out, texts, value as YamlMap, level + 1, false);
}

function writeSeq(out: TextChunks, texts: Texts, items: readonly YamlValue[], level: number): void {
  for (const item of items) {
    // A list stream among a list's items stands for its own items.
    if (item instanceof YamlStream) {
      if (!item.list) throw new Error('a mapping YamlStream cannot be a list item');
      item.writeTo(out, level, false);
      continue;
    }
    if (item !== null && typeof item === 'object' && !Array.isArray(item) && hasMembers(item as YamlMap)) {
      writeBlock(out, texts, item as YamlMap, level + 1, true);
      continue;
    }
    out.write(itemOf(level));
    if (writeInline(out, texts, item, level)) continue;
    out.write('\n');
    writeBlock(out, texts, item as readonly YamlValue[], level + 1, false);
  }
}

/** YAML text of a JSON-like value whose top level is a mapping; `undefined` members are left out. */
export function emitYaml(value: YamlMap): string {
  return emitYamlParts(value).join('');
}

/** emitYaml's text in pieces, for a caller that joins several documents: the text is copied only once. */
export function emitYamlParts(value: YamlMap): string[] {
  const out = new TextChunks();
  writeMap(out, new Texts(), value, 0, false);
  const parts = out.parts();
  return parts.length > 0 ? parts : ['{}\n'];
}
