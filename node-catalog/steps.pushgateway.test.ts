/** Steps push their metrics to a real Pushgateway (Debian's prometheus-pushgateway) when PIPEWRIGHT_PUSHGATEWAY_URL is set. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseLogLine } from '../shared/runs/parse.ts';
import { freePort, startPushgateway } from '../test/fixtures/prometheusTools.ts';
import type { ServerProcess } from '../test/fixtures/prometheusTools.ts';
import { makeWorkdir, runStep, TINY_ARGS } from './steps.testkit.ts';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The Pushgateway's own /metrics, parsed (only what these tests need of the text format). */
async function scrape(gateway: ServerProcess): Promise<Sample[]> {
  const text = await (await fetch(`${gateway.url}/metrics`)).text();
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const pair of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[pair[1]] = pair[2].replace(/\\(.)/g, '$1');
    samples.push({ name: m[1], labels, value: ({ NaN, '+Inf': Infinity, '-Inf': -Infinity } as Record<string, number>)[m[3]] ?? Number(m[3]) });
  }
  return samples;
}

const pipewright = (samples: Sample[], name: string, labels: Record<string, string> = {}) =>
  samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));

const pushes = (samples: Sample[]) => pipewright(samples, 'pushgateway_http_requests_total', { handler: 'push', method: 'put', code: '200' }).reduce((n, s) => n + s.value, 0);

/** A step script made of the shared library and `body` (for records the catalog's steps never print). */
function libraryScript(dir: string, name: string, body: string): string {
  const lib = join(import.meta.dirname, '_lib');
  const common = readFileSync(join(lib, 'common.py'), 'utf8').replace('# pipewright:include pushgateway.py', readFileSync(join(lib, 'pushgateway.py'), 'utf8'));
  const file = join(dir, `${name}.py`);
  writeFileSync(file, `"""Pipewright step \`sft\`: a scripted stand-in."""\n${common}\n${body}\n`);
  return file;
}

describe('Pushgateway from the step scripts', () => {
  let gateway: ServerProcess;
  let work: ReturnType<typeof makeWorkdir>;
  let corpus: string;

  beforeAll(async () => {
    gateway = await startPushgateway();
    work = makeWorkdir();
    corpus = join(work.dir, 'corpus.jsonl');
    writeFileSync(corpus, Array.from({ length: 40 }, (_, i) => JSON.stringify({ text: `한국어 문장 ${i}: 오늘은 날씨가 맑고 바람이 붑니다.` })).join('\n'));
  });
  afterAll(async () => {
    await gateway?.stop();
    work?.cleanup();
  });
  beforeEach(async () => {
    await fetch(`${gateway.url}/api/v1/admin/wipe`, { method: 'PUT' }).catch(() => undefined);
  });

  const env = (extra: Record<string, string> = {}) => ({
    PIPEWRIGHT_PUSHGATEWAY_URL: gateway.url,
    PIPEWRIGHT_PIPELINE: 'korean-llm',
    PIPEWRIGHT_NODE_ID: 'cpt',
    PIPEWRIGHT_PUSHGATEWAY_INTERVAL: '1',
    ...extra,
  });

  it('a tiny CPT run pushes its last loss, learning rate, tokens/s, epoch and step under pipeline/run/node/stage', async () => {
    const out = join(work.dir, 'model-a');
    // A run id with '/' travels base64-encoded in the grouping key, as the Pushgateway API defines.
    const result = await runStep(work.script('cpt'), [...TINY_ARGS, '--max_steps', '6', '--in-dataset', corpus, '--out-model', out], { env: env({ PIPEWRIGHT_RUN_ID: 'run/42' }) });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).not.toContain('Pushgateway');
    const last = result.metrics[result.metrics.length - 1];
    const samples = await scrape(gateway);
    const group = { job: 'pipewright', pipeline: 'korean-llm', run: 'run/42', node: 'cpt', stage: 'cpt' };
    const value = (name: string) => pipewright(samples, name, group).map((s) => s.value);
    expect(value('pipewright_train_loss')).toEqual([last.loss]);
    expect(value('pipewright_train_learning_rate')).toEqual([last.learning_rate]);
    expect(value('pipewright_train_tokens_per_second')).toEqual([last.tokens_per_second]);
    expect(value('pipewright_train_epoch')).toEqual([last.epoch]);
    expect(value('pipewright_train_step')).toEqual([6]);
    expect(value('pipewright_step_progress_current')).toEqual([6]);
    expect(pipewright(samples, 'pipewright_step_status', { ...group, status: 'succeeded' }).map((s) => s.value)).toEqual([1]);
    expect(pipewright(samples, 'pipewright_step_status', { ...group, status: 'running' }).map((s) => s.value)).toEqual([0]);
    const [start] = value('pipewright_step_start_timestamp_seconds');
    const [end] = value('pipewright_step_end_timestamp_seconds');
    expect(end).toBeGreaterThan(start);
    expect(value('pipewright_step_duration_seconds')[0]).toBeCloseTo(end - start, 3);
  });

  it('pushes at most once per interval however fast records come, and once more at the end', async () => {
    const script = libraryScript(work.dir, 'burst', 'import time\nfor i in range(400):\n    emit_metric(i, loss=2.0 - i / 1000.0)\n    time.sleep(0.005)\n');
    const before = pushes(await scrape(gateway));
    const started = Date.now();
    const result = await runStep(script, [], { env: env({ PIPEWRIGHT_RUN_ID: 'burst', PIPEWRIGHT_PUSHGATEWAY_INTERVAL: '1' }) });
    const seconds = (Date.now() - started) / 1000;
    expect(result.code, result.stderr).toBe(0);
    expect(result.metrics).toHaveLength(400);
    const samples = await scrape(gateway);
    const count = pushes(samples) - before;
    expect(count).toBeGreaterThanOrEqual(2);
    expect(count).toBeLessThanOrEqual(Math.ceil(seconds) + 2);
    expect(pipewright(samples, 'pipewright_train_step', { run: 'burst' }).map((s) => s.value)).toEqual([399]);
  });

  it('a NaN loss is printed as "NaN", parsed as NaN, and pushed as NaN', async () => {
    const script = libraryScript(work.dir, 'diverge', "emit_metric(1, loss=2.5)\nemit_metric(2, loss=float('nan'), grad_norm=float('inf'))\n");
    const result = await runStep(script, [], { env: env({ PIPEWRIGHT_RUN_ID: 'nan' }) });
    expect(result.code, result.stderr).toBe(0);
    const line = result.stdout.split('\n').find((l) => l.includes('"step": 2'))!;
    expect(line).toBe('PIPEWRIGHT_METRIC {"step": 2, "loss": "NaN", "grad_norm": "Infinity"}');
    const parsed = parseLogLine(line).metric!;
    expect(parsed.values.loss).toBeNaN();
    expect(parsed.values.grad_norm).toBe(Infinity);
    const samples = await scrape(gateway);
    expect(pipewright(samples, 'pipewright_train_loss', { run: 'nan' })[0].value).toBeNaN();
    expect(pipewright(samples, 'pipewright_train_grad_norm', { run: 'nan' })[0].value).toBe(Infinity);
  });

  it('a step that fails before any record still pushes status failed', async () => {
    const result = await runStep(work.script('cpt'), [...TINY_ARGS, '--in-dataset', join(work.dir, 'missing.jsonl'), '--out-model', join(work.dir, 'm')], { env: env({ PIPEWRIGHT_RUN_ID: 'broken' }) });
    expect(result.code).toBe(3);
    const samples = await scrape(gateway);
    expect(pipewright(samples, 'pipewright_step_status', { run: 'broken', status: 'failed' }).map((s) => s.value)).toEqual([1]);
  });

  it('an unreachable Pushgateway is reported once and the step still succeeds', async () => {
    const port = await freePort();
    const script = libraryScript(work.dir, 'offline', 'import time\nfor i in range(30):\n    emit_metric(i, loss=1.0)\n    time.sleep(0.05)\n');
    const result = await runStep(script, [], { env: env({ PIPEWRIGHT_PUSHGATEWAY_URL: `http://127.0.0.1:${port}`, PIPEWRIGHT_PUSHGATEWAY_INTERVAL: '0.5' }) });
    expect(result.code, result.stderr).toBe(0);
    expect(result.metrics).toHaveLength(30);
    const warnings = result.stderr.split('\n').filter((l) => l.includes('Pushgateway'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^warning: pushing metrics to the Pushgateway at http:\/\/127\.0\.0\.1:\d+ failed \(.+\); the step goes on/);
  });

  it('only rank 0 pushes', async () => {
    const script = libraryScript(work.dir, 'ranked', 'emit_metric(1, loss=1.5)\n');
    const result = await runStep(script, [], { env: env({ PIPEWRIGHT_RUN_ID: 'ranks', RANK: '1', LOCAL_RANK: '1' }) });
    expect(result.code, result.stderr).toBe(0);
    expect(pipewright(await scrape(gateway), 'pipewright_train_loss', { run: 'ranks' })).toEqual([]);
  });

  it('reads the URL and the pipeline name from the params file when the environment has none (DVC stages)', async () => {
    const dir = join(work.dir, 'dvc');
    mkdirSync(dir, { recursive: true });
    const params = join(dir, 'params.yaml');
    writeFileSync(params, JSON.stringify({ _pipewright: { pushgateway_url: gateway.url, pipeline: 'from-params' }, cpt: { engine: 'tiny', max_steps: 2, logging_steps: 1, max_seq_length: 48, per_device_train_batch_size: 8, gradient_accumulation_steps: 1 } }));
    const result = await runStep(work.script('cpt'), ['--params-file', params, '--params-key', 'cpt', '--in-dataset', corpus, '--out-model', join(dir, 'model')], {
      env: { PIPEWRIGHT_PUSHGATEWAY_URL: '', PIPEWRIGHT_PIPELINE: '', PIPEWRIGHT_NODE_ID: '', PIPEWRIGHT_RUN_ID: 'dvc-1' },
    });
    expect(result.code, result.stderr).toBe(0);
    const samples = await scrape(gateway);
    expect(pipewright(samples, 'pipewright_train_step', { pipeline: 'from-params', node: 'cpt', run: 'dvc-1' }).map((s) => s.value)).toEqual([2]);
  });
});
