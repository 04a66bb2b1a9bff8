/**
 * The quickstart pipeline (the Korean LLM smoke template) on this machine with the tiny engine,
 * shortened (a few training steps, a few eval samples) so the suite stays quick. Needs PyTorch for
 * /usr/bin/python3 (Debian's python3-torch, installed by `npm test` / .ci/run).
 */
import { existsSync, promises as fs, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { templateDocument } from '../../node-catalog/templates/index.ts';
import type { PipelineDocument } from '../../shared/pipeline/types.ts';
import type { RunSummary } from '../../shared/runs/types.ts';
import { createHarness } from './harness.ts';
import type { Harness } from './harness.ts';

function shortened(overrides: Record<string, Record<string, number>> = {}): PipelineDocument {
  const doc = templateDocument('korean-llm-smoke')!;
  const shorter: Record<string, Record<string, number>> = {
    cpt: { max_steps: 6, logging_steps: 2 },
    sft: { max_steps: 4, logging_steps: 2 },
    eval: { max_samples: 3, max_new_tokens: 4 },
    // Ten steps of training do not reach the template's perplexity gate (its full run does: templates.test.ts); off here.
    deploy: { max_perplexity: 0 },
  };
  for (const node of doc.nodes) node.params = { ...node.params, ...shorter[node.id], ...overrides[node.id] };
  return doc;
}

describe.skipIf(!existsSync('/usr/bin/python3'))('the Korean LLM smoke template on this machine', () => {
  let h: Harness;
  let first: RunSummary;

  beforeAll(async () => {
    h = createHarness();
    first = await h.run(shortened());
  }, 180_000);
  afterAll(async () => h.close());

  it('runs every stage with the tiny engine and records the metrics', async () => {
    expect(first.message).toBeUndefined();
    expect(first.phase).toBe('succeeded');
    for (const [id, node] of Object.entries(first.nodes)) expect([id, node.phase]).toEqual([id, 'succeeded']);
    expect(first.nodes.cpt.engine).toBe('tiny');
    expect(first.nodes.sft.engine).toBe('tiny');
    const loss = (await h.manager.readMetrics(first.id, 'cpt')).filter((m) => 'loss' in m.values);
    expect(loss.length).toBeGreaterThanOrEqual(2);
    expect(Number.isFinite(loss[0].values.loss)).toBe(true);
    expect(first.nodes.eval.lastMetrics).toHaveProperty('accuracy');
    // The Korean benchmarks on the bundled samples, for the model and its base: scores per benchmark and KMMLU category.
    expect(first.nodes['ko-bench'].engine).toBe('tiny');
    const bench = first.nodes['ko-bench'].lastMetrics!;
    for (const name of ['kmmlu', 'kobest_boolq', 'kobest_copa', 'kobest_hellaswag', 'kobest_sentineg', 'kobest_wic', 'haerae']) {
      expect(bench[`${name}/acc`]).toBeGreaterThanOrEqual(0);
      expect(bench[`delta/${name}/acc`]).toBeCloseTo(bench[`${name}/acc`] - bench[`base/${name}/acc`], 5);
    }
    expect(Object.keys(bench).filter((k) => /^kmmlu\/[a-z_]+\/acc$/.test(k)).sort()).toEqual(['kmmlu/applied_science/acc', 'kmmlu/humss/acc', 'kmmlu/other/acc', 'kmmlu/stem/acc']);
    const scores = JSON.parse(await fs.readFile(path.join(first.external!.workspace!, 'data', 'ko-bench', 'metrics', 'metrics.json'), 'utf8'));
    expect(scores.benchmarks.kmmlu.acc).toBeCloseTo(bench['kmmlu/acc'], 5);
    const workspace = first.external!.workspace!;
    const deployed = readdirSync(path.join(workspace, 'data', 'deploy'), { recursive: true }).map(String);
    expect(deployed.some((f) => f.endsWith('.yaml'))).toBe(true);
    const log = (await h.manager.readLog(first.id, 'cpt', 0, 1000)).lines.map((l) => l.text);
    expect(log.some((t) => t.startsWith('PIPEWRIGHT_METRIC'))).toBe(true);
    expect(await fs.readFile(path.join(workspace, 'dvc.yaml'), 'utf8')).toContain('cpt:');
  });

  it('caches every stage of an unchanged second run', async () => {
    const second = await h.run(shortened());
    expect(second.phase).toBe('succeeded');
    expect(Object.values(second.nodes).map((n) => n.phase)).toEqual(Object.values(second.nodes).map(() => 'cached'));
    expect(second.nodes.eval.lastMetrics).toEqual(first.nodes.eval.lastMetrics);
  }, 60_000);

  it('re-runs only the stage whose parameter changed and the stages fed by it', async () => {
    const third = await h.run(shortened({ sft: { learning_rate: 0.001 } }));
    expect(third.phase).toBe('succeeded');
    const phases = Object.fromEntries(Object.entries(third.nodes).map(([id, n]) => [id, n.phase]));
    expect(phases).toEqual({
      corpus: 'cached',
      preprocess: 'cached',
      cpt: 'cached',
      instructions: 'cached',
      'test-set': 'cached',
      sft: 'succeeded',
      eval: 'succeeded',
      'ko-bench': 'succeeded',
      deploy: 'succeeded',
    });
  }, 120_000);
});
