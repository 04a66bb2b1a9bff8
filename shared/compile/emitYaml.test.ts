import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { emitYaml, formatYamlNumber, ListEntries, MapEntries, sharedPart, sharedYaml, YamlStream } from './emitYaml.ts';
import type { YamlValue } from './emitYaml.ts';

const TRICKY = [
  '', ' ', 'yes', 'No', 'on', 'null', '~', 'true', '1e-5', '0x1F', '012', '1_000', '12:30', '.inf', '-', '- a', '? x', ': y',
  'a: b', '#c', 'x #y', '{a}', '[1]', '*ref', '&anchor', '!tag', '|', '>', '%x', '@x', '`x`', '"q"', "'s'", '\\', 'tab\there',
  'line\nnext', 'trailing\n', 'two\n\n', 'three\n\n\n', '\nleading', ' lead\nx', 'a\n  indented\n', 'last\n   ', 'crlf\r\nx',
  '한국어 텍스트\n둘째 줄', 'nel\u0085x', 'del\u007fx', 'bom\ufeffx', 'ls\u2028x', 'emoji 😀\nx', '---\nx', 'x\n---\ny', 'x\n...\n',
  '{{workflow.name}}', '${HOME}', '$(id)', '<<', '=', 'a b', 'a  b', 'a - b', 'yes no', 'a b ', 'a\tb', 'x -', 'NO x',
];

const valueArb: fc.Arbitrary<YamlValue> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.string(),
    fc.constantFrom(...TRICKY),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.string(), fc.constantFrom(...TRICKY)), tie('value'), { maxKeys: 4 }),
  ),
})).value as fc.Arbitrary<YamlValue>;

const rootArb = fc.dictionary(fc.oneof(fc.string({ minLength: 1 }), fc.constantFrom(...TRICKY)), valueArb, { maxKeys: 5 });

/** -0 and 0 print the same; JSON round trips compare the way YAML readers see numbers. */
const normalise = (v: unknown): unknown => JSON.parse(JSON.stringify(v, (_k, x) => (Object.is(x, -0) ? 0 : x)));

describe('emitYaml', () => {
  it('writes tricky strings so a YAML 1.2 reader gets them back exactly', () => {
    const doc = Object.fromEntries(TRICKY.map((s, i) => [`k${i}`, { [s || 'empty']: [s, { inner: s }] }]));
    expect(parse(emitYaml(doc))).toEqual(doc);
  });

  it('round-trips random JSON values through the yaml package (YAML 1.2 core schema)', () => {
    fc.assert(
      fc.property(rootArb, (doc) => {
        expect(normalise(parse(emitYaml(doc), { uniqueKeys: false }))).toEqual(normalise(doc));
      }),
      { numRuns: 400 },
    );
  });

  it('round-trips the same values through PyYAML (YAML 1.1), as Python tools read them', () => {
    const docs = fc.sample(rootArb, { numRuns: 150, seed: 7 }).map((d) => normalise(d) as Record<string, YamlValue>);
    docs.push(Object.fromEntries(TRICKY.map((s, i) => [`k${i}`, s])));
    const texts = docs.map((d) => emitYaml(d));
    const script = 'import json, sys, yaml\nprint(json.dumps([yaml.safe_load(t) for t in json.load(sys.stdin)]))';
    const run = spawnSync('/usr/bin/python3', ['-c', script], { input: JSON.stringify(texts), encoding: 'utf8', maxBuffer: 64 << 20 });
    expect(run.stderr).toBe('');
    const read = JSON.parse(run.stdout) as unknown[];
    read.forEach((r, i) => expect(normalise(r ?? {})).toEqual(docs[i]));
  });

  it('is deterministic and leaves undefined members out', () => {
    const doc = { b: 1, a: [{ x: undefined, v: 'z' }], c: undefined, d: {}, e: [] };
    expect(emitYaml(doc)).toBe('b: 1\na:\n  - v: z\nd: {}\ne: []\n');
    expect(emitYaml(doc)).toBe(emitYaml(doc));
  });

  it.each([
    [1e-5, '0.00001'],
    [1e-7, '1.0e-7'],
    [1.5e-7, '1.5e-7'],
    [1e21, '1.0e+21'],
    [0.1, '0.1'],
    [3, '3'],
  ])('writes %s as %s, the same number to YAML 1.1 and 1.2 readers', (n, text) => {
    expect(formatYamlNumber(n)).toBe(text);
  });

  it('uses a literal block for multi-line text', () => {
    expect(emitYaml({ script: 'import sys\nprint(1)\n' })).toBe('script: |\n  import sys\n  print(1)\n');
  });

  it('writes a shared subtree exactly as an unshared copy, at every depth and after a dash', () => {
    const part = () => ({ name: 'x', script: 'a\n\nb\n', list: [{ k: 'v' }, [1, 'yes']], empty: {} });
    const layout = (p: () => YamlValue) => ({ top: p(), deeper: { a: [p(), { in: p() }], b: p() }, again: p() });
    const shared = sharedYaml(part());
    expect(emitYaml(layout(() => shared))).toBe(emitYaml(layout(part)));
    const list = sharedYaml(['p', { q: 'r' }]);
    expect(emitYaml({ a: list, b: { c: list }, d: [list] })).toBe(emitYaml({ a: ['p', { q: 'r' }], b: { c: ['p', { q: 'r' }] }, d: [['p', { q: 'r' }]] }));
  });

  it('writes a streamed mapping or list (entries written as they come) exactly as the plain value', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...TRICKY, 'a', 'b-c'), valueArb, { maxKeys: 6 }), fc.array(valueArb, { maxLength: 6 }), (map, list) => {
        const entries = new MapEntries(true, 2);
        for (const [k, v] of Object.entries(map)) entries.set(k, v);
        const items = new ListEntries(true, 2);
        const moreItems = new ListEntries(true, 2);
        for (const v of list) {
          items.push(v);
          moreItems.push(v);
        }
        // Keys at level 2 under `x.m`; dashes at level 2 under `x.l`; a list stream among items stands for its items.
        const streamed = emitYaml({ x: { m: entries.value(), l: items.value(), both: ['first', ...moreItems.items(), 'last'] } });
        const plain = emitYaml({ x: { m: map, l: list, both: ['first', ...list, 'last'] } });
        expect(streamed).toBe(plain);
        const plainEntries = new MapEntries(false, 2);
        for (const [k, v] of Object.entries(map)) plainEntries.set(k, v);
        expect(plainEntries.value()).toEqual(map);
        expect(plainEntries.empty).toBe(!Object.values(map).some((v) => v !== undefined));
      }),
      { numRuns: 300 },
    );
  });

  it('writes keys and values past what its caches keep (thousands of node ids) as it writes the first ones', () => {
    // 5,000 distinct keys and short values, each used twice, streamed and plain: the caches stop growing
    // at a few thousand entries, and what they no longer keep must come out the same.
    const map: Record<string, YamlValue> = {};
    for (let i = 0; i < 5000; i++) map[`node-${i}`] = { out: `data/node-${i}/model`, again: `data/node-${i}/model`, yes: i % 2 === 0 ? 'yes' : 'plain' };
    const stream = YamlStream.map(1);
    for (const [k, v] of Object.entries(map)) stream.set(k, v);
    const text = emitYaml({ stages: stream });
    expect(text).toBe(emitYaml({ stages: map }));
    expect(parse(text)).toEqual({ stages: map });
    expect(text.split('\n').filter((line) => line === '  node-4999:')).toHaveLength(1);
  });

  it('sharedPart keeps a part per key until it holds a few thousand, then makes new keys\' parts afresh, written alike', () => {
    const parts = new Map<string, { v: string }>();
    let made = 0;
    const get = (key: string) => sharedPart(parts, key, () => (made++, { v: key }));
    expect(get('a')).toBe(get('a'));
    expect(made).toBe(1);
    for (let i = 0; i < 3000; i++) get(`k${i}`);
    const kept = parts.size;
    expect(kept).toBeLessThan(3001);
    // A key past the limit is made each time it is asked for, and not kept.
    expect(get('late')).not.toBe(get('late'));
    expect(parts.size).toBe(kept);
    // Kept parts are shared (written once per place); fresh ones are plain: the text is the same.
    const all = Array.from({ length: 3000 }, (_, i) => get(`k${i}`));
    expect(emitYaml({ all: [...all, get('a'), get('late')] })).toBe(emitYaml({ all: [...all.map((p) => ({ ...p })), { v: 'a' }, { v: 'late' }] }));
  });

  it('refuses a streamed mapping placed at another level than it was written for', () => {
    const entries = YamlStream.map(1);
    entries.set('k', 'v');
    expect(emitYaml({ a: entries })).toBe('a:\n  k: v\n');
    expect(() => emitYaml({ a: { b: entries } })).toThrow(/made for level 1 was placed at level 2/);
    expect(emitYaml({ a: YamlStream.map(1), b: YamlStream.list(1) })).toBe('a: {}\nb: []\n');
  });
});
