import { describe, expect, it } from 'vitest';
import { catalog } from '../../node-catalog/index.ts';
import { LINEAGE_RUNS, lineageRuns, sha } from '../../test/fixtures/lineageRuns.ts';
import { buildLineage } from './build.ts';
import { formatLineageText } from './formatText.ts';
import { headlineMetrics } from './summary.ts';

const { a, b, c, d } = LINEAGE_RUNS;
const step = (l: ReturnType<typeof buildLineage>, id: string) => l.steps.find((s) => s.nodeId === id)!;

describe('buildLineage', () => {
  it("a model's upstream data, its training chain and registration, its evaluation and deployment, in dependency order", () => {
    const l = buildLineage(lineageRuns(), b, 'sft', catalog);
    expect(l.run).toMatchObject({ id: b, target: 'argo', phase: 'succeeded' });
    expect(l.steps.map((s) => [s.nodeId, s.relation])).toEqual([
      ['corpus', 'upstream'], ['preprocess', 'upstream'], ['cpt', 'upstream'], ['instructions', 'upstream'],
      ['sft', 'focus'], ['eval', 'downstream'], ['ko-bench', 'downstream'], ['deploy', 'downstream'],
    ]);
    const sft = step(l, 'sft');
    expect(sft.artifacts).toEqual([{ port: 'model', kind: 'model', sha256: sha('S2'), bytes: 121_000 }, { port: 'metrics', kind: 'metrics' }]);
    expect(sft.trainedBy).toEqual([{ nodeId: 'cpt', type: 'cpt' }, { nodeId: 'sft', type: 'sft' }]);
    expect(sft.baseModel).toBe('unsloth/Qwen2.5-7B-bnb-4bit');
    expect(sft.model).toMatchObject({ name: 'korean-llm', version: '7' });
    expect(step(l, 'corpus').artifacts).toEqual([{ port: 'uri', input: true, kind: 'dataset', sha256: sha('D1'), bytes: 10_240, uri: 'sample://ko_corpus.jsonl' }]);
    expect(step(l, 'eval').metrics).toMatchObject({ accuracy: 0.31 });
    expect(step(l, 'deploy').deploy).toEqual({ namespace: 'inference', kind: 'Rollout', name: 'pipewright-deploy', phase: 'Healthy', applied: true, model: { name: 'korean-llm', version: '7' } });
    // The test set feeds eval, not this model.
    expect(step(l, 'test-set')).toBeUndefined();
  });

  it('finds the same data in other runs by content hash, and the same model version by the registry', () => {
    const l = buildLineage(lineageRuns(), b, 'sft', catalog);
    // Newest first; the cleaned data is shared with A and D, the instructions with every other run.
    expect(step(l, 'corpus').elsewhere.map((m) => [m.runId, m.nodeId, m.how])).toEqual([[d, 'corpus', 'sha256'], [a, 'corpus', 'sha256']]);
    expect(step(l, 'preprocess').elsewhere.map((m) => m.runId)).toEqual([d, a]);
    expect(step(l, 'instructions').elsewhere.map((m) => m.runId)).toEqual([d, c, a]);
    expect(step(l, 'cpt').elsewhere).toEqual([]);
    // D's registry watcher serves v7 again: B's model is deployed there too.
    expect(step(l, 'sft').elsewhere).toEqual([{ runId: d, nodeId: 'deploy', createdAt: '2026-01-06T09:00:00.000Z', phase: 'succeeded', how: 'model-version', key: 'korean-llm/7' }]);
    expect(l.related.map((r) => r.id)).toEqual([d, c, a]);
    const relA = l.related.find((r) => r.id === a)!;
    // The benchmarks' data is the same in every run, but it is not what this model came from: not a link.
    expect(relA.shared.map((s) => [s.here, s.there])).toEqual([['corpus', 'corpus'], ['preprocess', 'preprocess'], ['instructions', 'instructions']]);
    // What A made of the shared data: its models, scores and a deployment that was only rendered.
    expect(relA.steps.map((s) => s.nodeId)).toEqual(['cpt', 'sft', 'eval', 'ko-bench', 'deploy']);
    expect(relA.steps.find((s) => s.nodeId === 'eval')!.metrics).toMatchObject({ accuracy: 0.25 });
    expect(relA.steps.find((s) => s.nodeId === 'deploy')!.deploy).toMatchObject({ applied: false, phase: 'Rendered', model: { version: '6' } });
    // C shares only the instructions: its failed sft and skipped steps are listed as they ended.
    const relC = l.related.find((r) => r.id === c)!;
    expect(relC.shared.map((s) => s.here)).toEqual(['instructions']);
    expect(relC.steps.map((s) => [s.nodeId, s.phase])).toEqual([['sft', 'failed'], ['eval', 'skipped'], ['ko-bench', 'skipped'], ['deploy', 'skipped']]);
  });

  it('from a dataset: every model trained on it, across runs', () => {
    const l = buildLineage(lineageRuns(), a, 'corpus', catalog);
    expect(l.steps.filter((s) => s.relation === 'upstream')).toEqual([]);
    expect(l.steps.map((s) => s.nodeId)).toEqual(['corpus', 'preprocess', 'cpt', 'sft', 'eval', 'ko-bench', 'deploy']);
    expect(l.related.map((r) => r.id)).toEqual([d, b]);
    const models = l.related.flatMap((r) => r.steps.filter((s) => s.type === 'sft').map((s) => [r.id, s.artifacts[0].sha256, s.model?.version]));
    expect(models).toEqual([[d, sha('S4'), '8'], [b, sha('S2'), '7']]);
  });

  it('the whole run without a node; a record without output hashes still links its datasets', () => {
    const runs = lineageRuns();
    for (const node of Object.values(runs[0].nodes)) delete node.outputs;
    const l = buildLineage(runs, a, undefined, catalog);
    expect(l.focus).toBeUndefined();
    expect(new Set(l.steps.map((s) => s.relation))).toEqual(new Set(['run']));
    expect(step(l, 'cpt').artifacts).toEqual([{ port: 'model', kind: 'model' }, { port: 'metrics', kind: 'metrics' }]);
    expect(step(l, 'corpus').elsewhere.map((m) => m.runId)).toEqual([d, b]);
    expect(formatLineageText(l)).toContain('  cpt "CPT (tiny)" [cpt]: model (no content hash recorded); trained by cpt from unsloth/Qwen2.5-7B-bnb-4bit; final_loss 3.1\n');
  });

  it('an empty output is no evidence of shared origin', () => {
    const runs = lineageRuns();
    const empty = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
    runs[0].nodes.cpt.outputs = { model: { sha256: empty, bytes: 0 } };
    runs[2].nodes.cpt.outputs = { model: { sha256: empty, bytes: 0 } };
    expect(step(buildLineage(runs, a, 'cpt', catalog), 'cpt').elsewhere).toEqual([]);
  });

  it('names an unknown run or node and what exists', () => {
    expect(() => buildLineage(lineageRuns(), 'nope', undefined, catalog)).toThrow('No run "nope" in the run history');
    expect(() => buildLineage(lineageRuns(), a, 'sfft', catalog)).toThrow(`Run ${a} has no node "sfft" (its nodes: corpus, preprocess, cpt, instructions, sft, test-set, eval, ko-bench, deploy)`);
  });

  it('reads as text: hashes, chain, metrics, registry, deployment, other runs', () => {
    const text = formatLineageText(buildLineage(lineageRuns(), b, 'sft', catalog));
    expect(text).toContain(`Lineage of node sft in run ${b} (korean-llm-smoke, argo, succeeded, 2026-01-04T09:00:00.000Z)`);
    expect(text).toContain(`  corpus "Sample corpus" [dataset]: dataset sha256:${sha('D1').slice(0, 12)} (sample://ko_corpus.jsonl, 10 KiB)\n      also in runs ${d}, ${a}\n`);
    expect(text).toContain(`> sft "SFT (tiny)" [sft]: model sha256:${sha('S2').slice(0, 12)}; trained by cpt+sft from unsloth/Qwen2.5-7B-bnb-4bit; final_loss 2.1; registered korean-llm v7\n      also in run ${d} (deploy)\n`);
    expect(text).toContain('  eval "Evaluate" [eval]: metrics sha256:');
    expect(text).toContain('accuracy 0.31, exact_match 0.155');
    expect(text).toContain('deployed to inference/rollout pipewright-deploy (Healthy), model korean-llm v7');
    expect(text).toContain(`Other runs (3)\n  ${d} (korean-llm-smoke, argo, succeeded, 2026-01-06T09:00:00.000Z)\n`);
    expect(text).toContain('instructions (sha256:' + sha('I1').slice(0, 12) + '), sft = deploy (model korean-llm v7), deploy (model korean-llm v7)\n');
    expect(text).toContain('      deploy [deploy]: rendered for inference/rollout pipewright-deploy, not applied, model korean-llm v6');
    // C's sft failed: its skipped deploy says only that.
    expect(text).toContain('      sft [sft]: model (no content hash recorded); trained by cpt+sft from unsloth/Qwen2.5-7B-bnb-4bit; failed\n      eval [eval]: skipped\n');
    expect(text).toContain('      deploy [deploy]: skipped\n');
    expect(text).toContain(`  cpt "CPT (tiny)" [cpt]: model sha256:${sha('M2').slice(0, 12)}; trained by cpt from unsloth/Qwen2.5-7B-bnb-4bit; final_loss 3.1\n`);
  });
});

describe('headlineMetrics', () => {
  it('accuracy and benchmark scores first, the loss once, no baselines', () => {
    expect(headlineMetrics({ metrics: { loss: 2, final_loss: 2, learning_rate: 1e-5 } })).toEqual([['final_loss', 2]]);
    expect(headlineMetrics({ metrics: { 'base/kmmlu/acc': 0.2, 'kmmlu/acc': 0.3, 'kobest_boolq/acc': 0.6, accuracy: 0.4 } })).toEqual([['accuracy', 0.4], ['kmmlu/acc', 0.3], ['kobest_boolq/acc', 0.6]]);
    expect(headlineMetrics({ metrics: { tokens_per_second: 10 } })).toEqual([]);
  });
});
