import { describe, expect, it } from 'vitest';
import { parsePipelineText } from './load.ts';
import { CURRENT_VERSION, formatVersion, FormatTooNewError, migrateDocument, MIGRATIONS, UnknownFormatError } from './migrations.ts';
import { PIPELINE_FORMAT, PIPELINE_FORMAT_VERSION } from './types.ts';

describe('the migration registry', () => {
  it('is one migration per version, a contiguous chain ending at the format this build writes', () => {
    MIGRATIONS.forEach((m, i) => {
      expect(m.to).toBe(m.from + 1);
      if (i > 0) expect(m.from).toBe(MIGRATIONS[i - 1].to);
    });
    expect(CURRENT_VERSION).toBe(PIPELINE_FORMAT_VERSION);
    expect(PIPELINE_FORMAT).toBe(`pipewright.pipeline/v${CURRENT_VERSION}`);
  });

  it.each([
    ['pipewright.pipeline/v0', 0],
    ['pipewright.pipeline/v1', 1],
    ['pipewright.pipeline/v2', 2],
  ])('knows %s', (format, version) => {
    expect(formatVersion(format)).toBe(version);
  });

  it.each(['pipewright.pipeline/v01', 'pipewright.pipeline/v', 'pipewright.pipeline/v-1', 'Pipewright.pipeline/v1', 'pipewright.pipeline/v1 '])(
    'calls %j unknown',
    (format) => {
      expect(() => formatVersion(format)).toThrow(UnknownFormatError);
    },
  );

  it('calls a newer version too new, naming it', () => {
    expect(() => formatVersion('pipewright.pipeline/v3')).toThrow(FormatTooNewError);
    expect(() => formatVersion('pipewright.pipeline/v3')).toThrow(/pipewright\.pipeline\/v3.*update Pipewright/);
  });

  it('leaves a current document untouched', () => {
    const doc = { format: PIPELINE_FORMAT, name: 'x', nodes: [], edges: [] };
    expect(migrateDocument(doc, CURRENT_VERSION)).toBe(doc);
  });
});

describe('v0 → v1', () => {
  const v0 = {
    format: 'pipewright.pipeline/v0',
    name: 'draft',
    nodes: [
      { id: 'raw', type: 'dataset', position: { x: 0, y: 0 }, parameters: { uri: 's3://b/ko.jsonl' } },
      { id: 'clean', type: 'preprocess', position: { x: 1, y: 0 }, parameters: { min_chars: 5 }, retries: 1 },
      { id: 'cpt', type: 'cpt', position: { x: 2, y: 0 } },
    ],
    edges: [
      { from: 'raw.dataset', to: 'clean.dataset' },
      { id: 'e1', from: 'clean.dataset', to: 'cpt.dataset' },
    ],
  };

  it('renames parameters to params and splits edge ends into node and handle, giving every edge an id', () => {
    const migrated = MIGRATIONS[0].migrate(v0);
    expect(migrated).toEqual({
      format: 'pipewright.pipeline/v1',
      name: 'draft',
      nodes: [
        { id: 'raw', type: 'dataset', position: { x: 0, y: 0 }, params: { uri: 's3://b/ko.jsonl' } },
        { id: 'clean', type: 'preprocess', position: { x: 1, y: 0 }, params: { min_chars: 5 }, retries: 1 },
        { id: 'cpt', type: 'cpt', position: { x: 2, y: 0 } },
      ],
      edges: [
        { id: 'e2', source: 'raw', sourceHandle: 'dataset', target: 'clean', targetHandle: 'dataset' },
        { id: 'e1', source: 'clean', sourceHandle: 'dataset', target: 'cpt', targetHandle: 'dataset' },
      ],
    });
    expect(v0.nodes[0]).toHaveProperty('parameters');
  });

  it('opens through the loader, which reports where the document came from', () => {
    const result = parsePipelineText(JSON.stringify(v0));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.migratedFrom).toBe('pipewright.pipeline/v0');
    expect(result.document.format).toBe('pipewright.pipeline/v2');
    expect(result.document.edges.map((e) => e.id)).toEqual(['e2', 'e1']);
  });

  it('refuses an edge end without a port, naming the edge', () => {
    const bad = { ...v0, edges: [{ from: 'raw.dataset', to: 'clean' }] };
    expect(() => migrateDocument(bad, 0)).toThrow(/edges\[0\]\.to: expected "nodeId\.port", found "clean"/);
  });
});

describe('v1 → v2', () => {
  const v1 = {
    format: 'pipewright.pipeline/v1',
    name: 'korean',
    settings: { namespace: 'ml', image: 'acme/train:1.2' },
    nodes: [
      { id: 'raw', type: 'dataset', position: { x: 0, y: 0 }, params: { uri: 's3://b/ko.jsonl' } },
      { id: 'cpt', type: 'cpt', position: { x: 1, y: 0 }, params: { learning_rate: 1e-5 }, resources: { gpus: 4 } },
      { id: 'mine', type: 'python', position: { x: 2, y: 0 }, code: 'print(1)' },
    ],
    edges: [{ id: 'e1', source: 'raw', sourceHandle: 'dataset', target: 'cpt', targetHandle: 'dataset' }],
  };

  it('gives every node the image settings.image gave it in v1, so each step keeps running in the same image', () => {
    const migrated = MIGRATIONS[1].migrate(v1);
    expect(migrated).toEqual({
      ...v1,
      format: 'pipewright.pipeline/v2',
      nodes: v1.nodes.map((n) => ({ ...n, image: 'acme/train:1.2' })),
    });
    expect(v1.nodes[0]).not.toHaveProperty('image');
  });

  it('changes nothing but the format when settings.image is unset (the type defaults applied in v1 too)', () => {
    const plain = { ...v1, settings: { namespace: 'ml' } };
    expect(MIGRATIONS[1].migrate(plain)).toEqual({ ...plain, format: 'pipewright.pipeline/v2' });
  });

  it('keeps an image a node already names', () => {
    const own = { ...v1, nodes: [{ ...v1.nodes[1], image: 'acme/other:3' }] };
    expect((MIGRATIONS[1].migrate(own).nodes as { image: string }[])[0].image).toBe('acme/other:3');
  });

  it('opens a v0 file through both migrations', () => {
    const result = parsePipelineText(JSON.stringify({ format: 'pipewright.pipeline/v0', name: 'x', settings: { image: 'a/b:1' }, nodes: [{ id: 'n', type: 'python', position: { x: 0, y: 0 }, parameters: {} }], edges: [] }));
    expect(result.ok && result.document).toMatchObject({ format: PIPELINE_FORMAT, nodes: [{ id: 'n', params: {}, image: 'a/b:1' }] });
  });
});
