/**
 * A run-time parameter value through the local runner: params.yaml written for the run, read by the real
 * preprocess step through --params-binding; the values kept in the run record; a bad value refused up front.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { PipelineDocument } from '../../shared/pipeline/types.ts';
import { createHarness } from './harness.ts';
import type { Harness } from './harness.ts';

let h: Harness;
afterEach(async () => h?.close());

function pipeline(file: string): PipelineDocument {
  return {
    format: 'pipewright.pipeline/v2',
    name: 'params-local',
    parameters: [{ name: 'min_chars', type: 'integer', default: 10, description: 'shortest record kept' }],
    nodes: [
      { id: 'corpus', type: 'dataset', position: { x: 0, y: 0 }, params: { uri: file, format: 'jsonl' } },
      { id: 'clean', type: 'preprocess', position: { x: 0, y: 0 }, params: { min_chars: { $param: 'min_chars' }, dedupe: false } },
    ],
    edges: [{ id: 'e1', source: 'corpus', sourceHandle: 'dataset', target: 'clean', targetHandle: 'dataset' }],
  };
}

describe('pipeline parameters on the local target', () => {
  it('a run value other than the default reaches the step; the record keeps the values', async () => {
    h = createHarness();
    const file = path.join(h.dataDir, 'corpus.jsonl');
    writeFileSync(file, ['x'.repeat(5), 'y'.repeat(50), 'z'.repeat(500)].map((text) => JSON.stringify({ text })).join('\n') + '\n');
    const doc = pipeline(file);
    const byDefault = await h.manager.waitForRun((await h.manager.startRun({ document: doc, target: 'local' })).id);
    expect(byDefault.phase).toBe('succeeded');
    const log = async (id: string) => (await h.manager.readLog(id, 'clean', 0, 200)).lines.map((l) => l.text).join('\n');
    expect(await log(byDefault.id)).toContain('read 3, kept 2');

    const given = await h.manager.waitForRun((await h.manager.startRun({ document: doc, target: 'local', parameterValues: { min_chars: 100 } })).id);
    expect(given.phase).toBe('succeeded');
    expect(await log(given.id)).toContain('--params-binding min_chars=min_chars');
    expect(await log(given.id)).toContain('read 3, kept 1');
    const record = await h.manager.getRun(given.id);
    expect(record.parameterValues).toEqual({ min_chars: 100 });
    expect(record.compiled['params.yaml']).toMatch(/"min_chars": 100/);
    expect((await h.manager.getRun(byDefault.id)).parameterValues).toEqual({ min_chars: 10 });
  });

  it('refuses a value outside the bound param’s range, or of the wrong type, naming the parameter', async () => {
    h = createHarness();
    const doc = pipeline(path.join(h.dataDir, 'none.jsonl'));
    await expect(h.manager.startRun({ document: doc, target: 'local', parameterValues: { min_chars: -1 } })).rejects.toThrow(/Parameter min_chars is -1, below its minimum 0 \(for min_chars of node "clean"\)/);
    await expect(h.manager.startRun({ document: doc, target: 'local', parameterValues: { min_chars: 'many' } })).rejects.toThrow(/Parameter min_chars is "many", but it must be a whole number/);
    await expect(h.manager.startRun({ document: doc, target: 'local', parameterValues: { min_char: 3 } })).rejects.toThrow(/no parameter "min_char" \(did you mean "min_chars"\?\)/);
    expect(await h.manager.listRuns()).toEqual([]);
  });
});
