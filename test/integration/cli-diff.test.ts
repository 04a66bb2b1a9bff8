/** `pipewright diff` over two runs recorded in a temporary history (and a run against a pipeline file). */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { serializePipeline } from '../../shared/pipeline/load.ts';
import type { RunDiff } from '../../shared/runs/diff/types.ts';
import { runDocument, writeRecordedRun } from '../fixtures/recordedRuns.ts';
import { cliWithHistory } from '../fixtures/cliRun.ts';

const A = '20260103-090000-aaaa';
const B = '20260103-100000-bbbb';

const { cli, dir } = cliWithHistory('pw-diff-', async (runs) => {
  await writeRecordedRun(runs, { id: A, variant: 'a' });
  await writeRecordedRun(runs, { id: B, variant: 'b' });
});

describe('pipewright diff', () => {
  it('prints each section, what improved and what regressed', async () => {
    const { status, stdout, stderr } = await cli('diff', A, B);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(stdout).toContain(`A: run ${A} (korean-llm-smoke, local, succeeded`);
    expect(stdout).toMatch(/node\s+deploy \(deploy\)\s+removed/);
    expect(stdout).toMatch(/node\s+extra-corpus \(dataset\)\s+added/);
    expect(stdout).toMatch(/node\s+cpt \(cpt\)\s+changed: params\.learning_rate/);
    expect(stdout).toMatch(/edge\s+cpt\.model -> deploy\.model\s+removed|edge\s+\S+ -> deploy\.\S+\s+removed/);
    expect(stdout).toMatch(/cpt\s+params\.learning_rate\s+0\.003\s+0\.001\s+changed/);
    expect(stdout).toMatch(/instructions\s+uri\s+sample:\/\/ko_instructions\.jsonl sha256:\w{12} \(\d+ B\)\s+sample:\/\/ko_test\.jsonl sha256:\w{12} \(\d+ B\)\s+changed/);
    expect(stdout).toMatch(/cpt\s+loss\s+2\.9\s+2\.15\s+-0\.75\s+better/);
    expect(stdout).toMatch(/eval\s+accuracy\s+0\.25\s+0\.2\s+-0\.05\s+WORSE/);
    expect(stdout).toMatch(/ko-bench\s+kmmlu\/acc\s+0\.3\s+0\.35\s+\+0\.05\s+better/);
    expect(stdout).toMatch(/cpt\s+1m 00s\s+40\.0 s\s+-20\.0 s\s+better/);
    expect(stdout).toMatch(/GPU-hours\nNODE\s+A\s+B\s+CHANGE\s*\ncpt\s+0\.01667\s+0\.01111\s+-0\.005556\s+better/);
    expect(stdout).toMatch(/Engines\n[^]*cpt\s+engine\s+tiny\s+tiny/);
    expect(stdout).toContain('Curves (in --json): cpt/loss, cpt/learning_rate');
  });

  it('--json is the whole diff with both runs\' curves', async () => {
    const { status, stdout } = await cli('diff', A.slice(0, 17), B, '--json');
    expect(status).toBe(0);
    const d = JSON.parse(stdout) as RunDiff;
    expect(d.a.label).toBe(A);
    expect(d.metrics.find((m) => m.key === 'loss')).toMatchObject({ nodeId: 'cpt', verdict: 'improved', group: 'training' });
    expect(d.metrics.find((m) => m.key === 'kmmlu/acc')).toMatchObject({ group: 'benchmark', verdict: 'improved' });
    const loss = d.curves.find((c) => c.key === 'loss')!;
    expect(loss.series.map((s) => [s.label, s.steps.length])).toEqual([[A, 8], [B, 8]]);
    expect(d.score.regressed).toBeGreaterThan(0);
  });

  it('a run against a pipeline file; errors for unknown runs and files; --help', async () => {
    await writeFile(join(dir(), 'next.pipewright.json'), serializePipeline(runDocument('b')));
    const file = await cli('diff', B, 'next.pipewright.json');
    expect(file.status).toBe(0);
    expect(file.stdout).toContain('B: next.pipewright.json (korean-llm-smoke, not run)');
    expect(file.stdout).toContain('Graph: no difference');
    const unknown = await cli('diff', A, 'nope');
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('No run "nope" in the run history');
    const missing = await cli('diff', A, 'missing.json');
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('Cannot read "missing.json": there is no such file.');
    const usage = await cli('diff', A);
    expect(usage.status).toBe(2);
    const help = await cli('diff', '--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('pipewright diff RUN_A RUN_B [--json]');
  });
});
