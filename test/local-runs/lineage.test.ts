/**
 * Lineage from real local runs: each step's outputs get the content hash the app takes of inputs, a stage restored
 * from the cache records the same hash, and the lineage links the two runs by it.
 */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hashPath } from '../../electron/services/runs/inputHashes.ts';
import template from '../../node-catalog/templates/korean-llm-smoke.pipewright.json' with { type: 'json' };
import type { PipelineDocument } from '../../shared/pipeline/types.ts';
import { createHarness } from './harness.ts';

const h = createHarness();
afterAll(() => h.close());

function cleaningOnly(): PipelineDocument {
  const doc = structuredClone(template) as unknown as PipelineDocument;
  doc.nodes = doc.nodes.filter((n) => n.id === 'corpus' || n.id === 'preprocess');
  doc.edges = doc.edges.filter((e) => e.source === 'corpus' && e.target === 'preprocess');
  return doc;
}

describe('lineage of local runs', () => {
  it('records output hashes (also for a cached stage) and links runs that made the same data', async () => {
    const first = await h.run(cleaningOnly());
    expect(first.phase, first.message).toBe('succeeded');
    const record = await h.manager.getRun(first.id);
    const produced = await hashPath(path.join(record.external!.workspace!, 'data', 'preprocess', 'dataset'));
    expect(produced.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(record.nodes.preprocess.outputs).toEqual({ dataset: { sha256: produced.sha256, bytes: produced.bytes } });

    const second = await h.run(cleaningOnly());
    expect(h.phases(second.id).preprocess).toBe('cached');
    expect((await h.manager.getRun(second.id)).nodes.preprocess.outputs?.dataset.sha256).toBe(produced.sha256);

    const lineage = await h.manager.readLineage(second.id, 'preprocess');
    expect(lineage.steps.map((s) => [s.nodeId, s.relation])).toEqual([['corpus', 'upstream'], ['preprocess', 'focus']]);
    expect(lineage.steps[1].elsewhere.map((m) => [m.runId, m.nodeId, m.how, m.key])).toEqual([[first.id, 'preprocess', 'sha256', produced.sha256]]);
    expect(lineage.steps[0].elsewhere.map((m) => m.runId)).toEqual([first.id]);
    expect(lineage.related.map((r) => r.id)).toEqual([first.id]);
    await expect(h.manager.readLineage(second.id, 'cpt')).rejects.toThrow(`Run ${second.id} has no node "cpt" (its nodes: corpus, preprocess)`);
  });
});
