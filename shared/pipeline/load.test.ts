import { describe, expect, it } from 'vitest';
import { parsePipelineText, serializePipeline, loadErrorToProblem, type LoadErrorCode } from './load.ts';
import { findJsonSyntaxError } from './loadJson.ts';
import type { PipelineDocument } from './types.ts';

const doc: PipelineDocument = {
  format: 'pipewright.pipeline/v2',
  name: 'korean-llm',
  nodes: [
    { id: 'raw', type: 'dataset', position: { x: 0, y: 0 }, params: { uri: 's3://corpus/ko', format: 'jsonl' } },
    { id: 'clean', type: 'preprocess', position: { x: 200, y: 0 }, params: { min_chars: 20 } },
  ],
  edges: [{ id: 'e1', source: 'raw', sourceHandle: 'dataset', target: 'clean', targetHandle: 'dataset' }],
};
const text = serializePipeline(doc);

function loadError(input: string, fileName?: string) {
  const result = parsePipelineText(input, fileName);
  if (result.ok) throw new Error('expected the load to fail');
  return result.error;
}

describe('parsePipelineText', () => {
  it('loads a v1 document whole', () => {
    const result = parsePipelineText(text, 'a.pipewright.json');
    expect(result).toEqual({ ok: true, document: doc });
  });

  it('ignores a byte-order mark', () => {
    expect(parsePipelineText(`\uFEFF${text}`).ok).toBe(true);
  });

  it.each<[string, string, LoadErrorCode, RegExp]>([
    ['empty', '  \n', 'empty', /"f.json" is empty/],
    ['a list', '[1, 2]', 'not-object', /holds a list, not a pipeline object/],
    ['a string', '"hello"', 'not-object', /holds a string/],
    ['null', 'null', 'not-object', /holds null/],
    ['no format', '{"name": "x", "nodes": [], "edges": []}', 'missing-format', /no "format" field.*pipewright\.pipeline\/v2/],
    ['a foreign format', '{"format": "kubeflow/v2"}', 'unknown-format', /format "kubeflow\/v2" is not a Pipewright pipeline format/],
    ['a numeric format', '{"format": 1}', 'unknown-format', /format "1"/],
    ['v1.1', '{"format": "pipewright.pipeline/v1.1"}', 'unknown-format', /not a Pipewright pipeline format/],
    ['v3', '{"format": "pipewright.pipeline/v3", "whatever": true}', 'format-too-new', /format pipewright\.pipeline\/v3, newer than this Pipewright understands \(up to pipewright\.pipeline\/v2\); update Pipewright/],
    ['v17', '{"format": "pipewright.pipeline/v17"}', 'format-too-new', /v17/],
    ['nodes missing', '{"format": "pipewright.pipeline/v2", "name": "x", "edges": []}', 'invalid-shape', /"nodes" is missing; it must be a list of nodes/],
    ['name a number', '{"format": "pipewright.pipeline/v2", "name": 5, "nodes": [], "edges": []}', 'invalid-shape', /"name" must be a string, found a number \(5\)/],
    ['node without position', '{"format": "pipewright.pipeline/v2", "name": "x", "nodes": [{"id": "a", "type": "dataset"}], "edges": []}', 'invalid-shape', /"nodes\[0\]\.position" is missing/],
    ['edge target a number', '{"format": "pipewright.pipeline/v2", "name": "x", "nodes": [], "edges": [{"id": "e", "source": "a", "sourceHandle": "p", "target": 3, "targetHandle": "q"}]}', 'invalid-shape', /"edges\[0\]\.target" must be a string/],
    ['parameters not a list', '{"format": "pipewright.pipeline/v2", "name": "x", "parameters": {"lr": 1}, "nodes": [], "edges": []}', 'invalid-shape', /"parameters" must be a list of pipeline parameters, found an object/],
    ['a bad v0 edge', '{"format": "pipewright.pipeline/v0", "name": "x", "nodes": [], "edges": [{"from": "a", "to": "b.dataset"}]}', 'migration-failed', /edges\[0\]\.from: expected "nodeId\.port", found "a"/],
  ])('refuses %s', (_label, input, code, message) => {
    const error = loadError(input, 'f.json');
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
    expect(error.fileName).toBe('f.json');
  });

  it('says which version is too new and which is supported', () => {
    const error = loadError('{"format": "pipewright.pipeline/v3"}');
    expect(error).toMatchObject({ code: 'format-too-new', format: 'pipewright.pipeline/v3', version: 3, supportedVersion: 2 });
    expect(error.message).toMatch(/^The pipeline file cannot be opened/);
  });

  it('gives line and column of a JSON syntax error', () => {
    const broken = text.replace('"name": "korean-llm",', '"name": "korean-llm"');
    const error = loadError(broken);
    expect(error.code).toBe('json-syntax');
    expect(error).toMatchObject({ line: 4, column: 3 });
    expect(error.message).toMatch(/line 4, column 3: expected "," or "}" but found "\\""/);
  });

  it('refuses JSON nested 5,000 deep with its line and column, without a stack overflow anywhere after', () => {
    const deep = `{"format": "pipewright.pipeline/v1", "name": "x", "nodes": [{"id": "a", "type": "dataset", "position": {"x": 0, "y": 0}, "params": {"uri": ${'['.repeat(5000)}${']'.repeat(5000)}}}], "edges": []}`;
    const error = loadError(deep, 'deep.json');
    expect(error).toMatchObject({ code: 'too-deep', line: 1, column: 236 });
    expect(error.message).toBe('"deep.json" nests objects and lists more than 100 levels deep (at line 1, column 236), deeper than any pipeline.');
    // Brackets inside strings do not count.
    const quoted = `{"format": "pipewright.pipeline/v1", "name": "x", "description": "${'['.repeat(5000)}", "nodes": [], "edges": []}`;
    expect(parsePipelineText(quoted).ok).toBe(true);
  });

  it('calls a cut-off file truncated', () => {
    const error = loadError(text.slice(0, Math.floor(text.length / 2)));
    expect(error.code).toBe('truncated');
    expect(error.message).toMatch(/ends early at line \d+, column \d+.*cut off/);
  });

  it('turns a load error into a problem with its location', () => {
    const problem = loadErrorToProblem(loadError('{"format": "pipewright.pipeline/v2", "name": "x", "nodes": {}, "edges": []}'));
    expect(problem).toMatchObject({ severity: 'error', code: 'load-invalid-shape', location: { field: 'nodes' } });
  });
});

describe('findJsonSyntaxError', () => {
  it.each([
    ['{"a": 1,}', 1, 9, /a property name in double quotes/, false],
    ['{"a" 1}', 1, 6, /":" after the property name/, false],
    ['[1, 2', 1, 6, /"," or "]" but found the end of the file/, true],
    ['{"a": "x', 1, 9, /closing quote/, true],
    ['{"a": tru}', 1, 10, /"true"/, false],
    ['{"a": 01}', 1, 8, /"," or "}"/, false],
    ['{"a": 1.}', 1, 9, /digit after the decimal point/, false],
    ['{"a": "\\x"}', 1, 9, /unknown escape \\x/, false],
    ['{"a": "\\u12G4"}', 1, 12, /four hex digits/, false],
    ['{"a": "line\nbreak"}', 1, 12, /raw control character/, false],
    ['{}\n}', 2, 1, /after the end of the JSON value/, false],
    ["{'a': 1}", 1, 2, /a property name in double quotes/, false],
  ])('%j', (input, line, column, message, truncated) => {
    expect(() => JSON.parse(input)).toThrow();
    const found = findJsonSyntaxError(input);
    expect(found).toMatchObject({ line, column, truncated });
    expect(found?.message).toMatch(message);
  });

  it('finds nothing wrong in valid JSON', () => {
    expect(findJsonSyntaxError(text)).toBeUndefined();
    expect(findJsonSyntaxError('{"a": [1, -2.5e+3, true, false, null, "\\u00e9\\n"]}')).toBeUndefined();
  });
});

describe('serializePipeline', () => {
  it('writes keys in a fixed order, sorts parameter maps, ends with a newline', () => {
    const shuffled = {
      edges: doc.edges.map((e) => ({ targetHandle: e.targetHandle, target: e.target, id: e.id, sourceHandle: e.sourceHandle, source: e.source })),
      nodes: [{ params: { normalize: true, dedupe: false }, position: { y: 1, x: 2 }, type: 'preprocess', id: 'p' }],
      name: 'n',
      format: 'pipewright.pipeline/v2',
    } as unknown as PipelineDocument;
    const out = serializePipeline(shuffled);
    expect(out.endsWith('}\n')).toBe(true);
    expect(Object.keys(JSON.parse(out))).toEqual(['format', 'name', 'nodes', 'edges']);
    expect(out).toContain('"id": "p",\n      "type": "preprocess",\n      "position": {\n        "x": 2,\n        "y": 1\n      },\n      "params": {\n        "dedupe": false,\n        "normalize": true\n      }');
    expect(Object.keys(JSON.parse(out).edges[0])).toEqual(['id', 'source', 'sourceHandle', 'target', 'targetHandle']);
  });

  it('writes v2 parameters after settings, a node image after its position, and bindings as they are', () => {
    const v2 = {
      ...doc,
      parameters: [{ description: 'peak', default: 1e-5, type: 'number', name: 'lr' }],
      nodes: [{ params: { learning_rate: { $param: 'lr' } }, image: 'acme/t:1', position: { x: 0, y: 0 }, type: 'cpt', id: 'c' }],
    } as unknown as PipelineDocument;
    const out = JSON.parse(serializePipeline(v2));
    expect(Object.keys(out)).toEqual(['format', 'name', 'parameters', 'nodes', 'edges']);
    expect(Object.keys(out.parameters[0])).toEqual(['name', 'type', 'default', 'description']);
    expect(Object.keys(out.nodes[0])).toEqual(['id', 'type', 'position', 'image', 'params']);
    expect(out.nodes[0].params).toEqual({ learning_rate: { $param: 'lr' } });
    expect(parsePipelineText(serializePipeline(v2))).toEqual({ ok: true, document: out });
  });

  it('keeps fields it does not know, after the known ones, and drops undefined', () => {
    const out = serializePipeline({ ...doc, zeta: 1, alpha: 2, description: undefined } as unknown as PipelineDocument);
    expect(Object.keys(JSON.parse(out))).toEqual(['format', 'name', 'nodes', 'edges', 'alpha', 'zeta']);
  });

  it('round-trips: load(serialize(doc)) is doc, and serializing again changes nothing', () => {
    const loaded = parsePipelineText(text);
    expect(loaded.ok && serializePipeline(loaded.document)).toBe(text);
  });
});
