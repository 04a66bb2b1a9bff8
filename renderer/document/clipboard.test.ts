import { describe, expect, it } from 'vitest';
import type { PipelineDocument } from '../../shared/pipeline/types.ts';
import { copyNodes, parseClipboard, preparePaste } from './clipboard.ts';

const doc: PipelineDocument = {
  format: 'pipewright.pipeline/v2',
  name: 'p',
  nodes: [
    { id: 'data', type: 'dataset', position: { x: 0, y: 0 }, params: { uri: 's3://b/x' } },
    { id: 'prep', type: 'preprocess', position: { x: 300, y: 0 } },
    { id: 'cpt', type: 'cpt', position: { x: 600, y: 0 } },
  ],
  edges: [
    { id: 'e1', source: 'data', sourceHandle: 'dataset', target: 'prep', targetHandle: 'dataset' },
    { id: 'e2', source: 'prep', sourceHandle: 'dataset', target: 'cpt', targetHandle: 'dataset' },
  ],
};

describe('clipboard', () => {
  it('copies selected nodes with only the edges between them', () => {
    const payload = parseClipboard(copyNodes(doc, ['data', 'prep'])!);
    expect(payload?.nodes.map((n) => n.id)).toEqual(['data', 'prep']);
    expect(payload?.edges.map((e) => e.id)).toEqual(['e1']);
  });

  it('pastes with fresh ids, remapped edges and shifted positions', () => {
    const payload = parseClipboard(copyNodes(doc, ['data', 'prep'])!)!;
    const { nodes, edges } = preparePaste(doc, payload, { x: 40, y: 40 });
    expect(nodes.map((n) => n.id)).toEqual(['data-2', 'prep-2']);
    expect(nodes[1].position).toEqual({ x: 340, y: 40 });
    expect(edges).toEqual([{ id: 'e3', source: 'data-2', sourceHandle: 'dataset', target: 'prep-2', targetHandle: 'dataset' }]);
  });

  it('pastes into another document keeping ids that are free there', () => {
    const other: PipelineDocument = { format: 'pipewright.pipeline/v2', name: 'q', nodes: [], edges: [] };
    const { nodes } = preparePaste(other, parseClipboard(copyNodes(doc, ['cpt'])!)!, { x: 0, y: 0 });
    expect(nodes.map((n) => n.id)).toEqual(['cpt']);
  });

  it.each([
    ['plain text', 'hello'],
    ['other JSON', '{"nodes": []}'],
    ['a node without position', JSON.stringify({ format: 'pipewright.clipboard/v1', nodes: [{ id: 'a', type: 'x' }], edges: [] })],
  ])('refuses %s', (_name, text) => {
    expect(parseClipboard(text)).toBeNull();
  });

  it('copying nothing gives null', () => {
    expect(copyNodes(doc, [])).toBeNull();
  });
});
