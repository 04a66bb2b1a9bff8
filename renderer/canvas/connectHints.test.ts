import { describe, expect, it } from 'vitest';
import { catalog } from '../../node-catalog/index.ts';
import { templateDocument } from '../../node-catalog/templates/index.ts';
import { nodePorts } from '../../shared/pipeline/resolve.ts';
import { checkConnection } from '../document/connections.ts';
import { portHints } from './connectHints.ts';

const doc = templateDocument('korean-llm')!;
const ok = (hints: ReturnType<typeof portHints>) =>
  hints
    .filter((h) => h.ok)
    .map((h) => `${h.nodeId}.${h.port}`)
    .sort();

describe('portHints', () => {
  it('from a model output: the free model inputs downstream-safe, nothing of another kind', () => {
    // cpt.model already feeds sft.model; ko-bench and eval take sft's model; deploy's model input is taken too.
    expect(ok(portHints(doc, catalog, { nodeId: 'cpt', port: 'model', type: 'source' }))).toEqual([]);
    const extra = { ...doc, nodes: [...doc.nodes, { id: 'eval-2', type: 'eval', position: { x: 0, y: 0 } }] };
    expect(ok(portHints(extra, catalog, { nodeId: 'cpt', port: 'model', type: 'source' }))).toEqual(['eval-2.model']);
  });

  it('refuses the inputs of steps upstream (a cycle)', () => {
    const extra = { ...doc, nodes: [...doc.nodes, { id: 'p', type: 'preprocess', position: { x: 0, y: 0 } }] };
    const hints = portHints(extra, catalog, { nodeId: 'p', port: 'dataset', type: 'source' });
    expect(ok(hints)).toEqual([]);
    const fromCorpus = portHints(extra, catalog, { nodeId: 'corpus', port: 'dataset', type: 'source' });
    expect(ok(fromCorpus)).toEqual(['p.dataset']);
  });

  it('agrees with checkConnection for every pair of ports of the template, both ways', () => {
    const extra = {
      ...doc,
      nodes: [...doc.nodes, { id: 'p', type: 'preprocess', position: { x: 0, y: 0 } }, { id: 'e2', type: 'eval', position: { x: 0, y: 0 } }, { id: 's2', type: 'sft', position: { x: 0, y: 0 } }],
    };
    let compared = 0;
    for (const a of extra.nodes) {
      const ap = nodePorts(a, catalog.get(a.type)!);
      for (const out of ap.outputs) {
        for (const h of portHints(extra, catalog, { nodeId: a.id, port: out.name, type: 'source' })) {
          const refused = checkConnection(extra, catalog, { source: a.id, sourceHandle: out.name, target: h.nodeId, targetHandle: h.port });
          expect(h.ok, `${a.id}.${out.name} → ${h.nodeId}.${h.port}`).toBe(refused === null);
          compared++;
        }
      }
      for (const inp of ap.inputs) {
        for (const h of portHints(extra, catalog, { nodeId: a.id, port: inp.name, type: 'target' })) {
          const refused = checkConnection(extra, catalog, { source: h.nodeId, sourceHandle: h.port, target: a.id, targetHandle: inp.name });
          expect(h.ok, `${h.nodeId}.${h.port} → ${a.id}.${inp.name}`).toBe(refused === null);
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(200);
  });

  it('knows nothing of an unknown start port', () => {
    expect(portHints(doc, catalog, { nodeId: 'cpt', port: 'nope', type: 'source' })).toEqual([]);
  });
});
