/** `pipewright lineage` over the four recorded runs of test/fixtures/lineageRuns.ts in a temporary history. */
import { describe, expect, it } from 'vitest';
import type { Lineage } from '../../shared/lineage/types.ts';
import { LINEAGE_RUNS, sha, writeLineageRuns } from '../fixtures/lineageRuns.ts';
import { cliWithHistory } from '../fixtures/cliRun.ts';

const { a, b, d } = LINEAGE_RUNS;

const { cli } = cliWithHistory('pw-lineage-', writeLineageRuns);

describe('pipewright lineage', () => {
  it("prints a node's upstream, downstream and the other runs (a unique run id beginning is enough)", async () => {
    const { status, stdout, stderr } = await cli('lineage', '20260104', 'sft');
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(stdout).toContain(`Lineage of node sft in run ${b} (korean-llm-smoke, argo, succeeded`);
    expect(stdout).toContain(`> sft "SFT (tiny)" [sft]: model sha256:${sha('S2').slice(0, 12)}; trained by cpt+sft from unsloth/Qwen2.5-7B-bnb-4bit; final_loss 2.1; registered korean-llm v7`);
    expect(stdout).toMatch(new RegExp(`corpus "Sample corpus" \\[dataset\\]: dataset sha256:${sha('D1').slice(0, 12)} .*\\n      also in runs ${d}, ${a}`));
    expect(stdout).toContain('accuracy 0.31');
    expect(stdout).toContain('deployed to inference/rollout pipewright-deploy (Healthy), model korean-llm v7');
    expect(stdout).toContain('Other runs (3)');
  });

  it('--json: the whole lineage; without a node, every node of the run', async () => {
    const { status, stdout } = await cli('lineage', a, '--json');
    expect(status).toBe(0);
    const lineage = JSON.parse(stdout) as Lineage;
    expect(lineage.focus).toBeUndefined();
    expect(lineage.steps).toHaveLength(9);
    expect(lineage.related.map((r) => r.id)).toEqual([d, LINEAGE_RUNS.c, b]);
    expect(lineage.steps.find((s) => s.nodeId === 'deploy')!.deploy).toMatchObject({ applied: false, phase: 'Rendered', model: { version: '6' } });
  });

  it('names an unknown run or node, exit 1', async () => {
    const missingRun = await cli('lineage', '2030');
    expect(missingRun.status).toBe(1);
    expect(missingRun.stderr).toContain('No run "2030" in the run history');
    const missingNode = await cli('lineage', b, 'train');
    expect(missingNode.status).toBe(1);
    expect(missingNode.stderr).toBe(`error  Run ${b} has no node "train" (its nodes: corpus, preprocess, cpt, instructions, sft, test-set, eval, ko-bench, deploy)\n`);
    const help = await cli('lineage', '--help');
    expect(help.stdout).toContain('pipewright lineage RUN [NODE] [--json]');
  });
});
