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
    expect(() => formatVersion('pipewright.pipeline/v2')).toThrow(FormatTooNewError);
    expect(() => formatVersion('pipewright.pipeline/v2')).toThrow(/pipewright\.pipeline\/v2.*update Pipewright/);
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
    const migrated = migrateDocument(v0, 0);
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
    expect(result.document.format).toBe('pipewright.pipeline/v1');
    expect(result.document.edges.map((e) => e.id)).toEqual(['e2', 'e1']);
  });

  it('refuses an edge end without a port, naming the edge', () => {
    const bad = { ...v0, edges: [{ from: 'raw.dataset', to: 'clean' }] };
    expect(() => migrateDocument(bad, 0)).toThrow(/edges\[0\]\.to: expected "nodeId\.port", found "clean"/);
  });
});
