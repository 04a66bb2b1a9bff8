/**
 * The monitoring export held to the real thing: the smoke template runs on this machine, its steps push
 * to a real Pushgateway (Debian's prometheus-pushgateway), a real Prometheus scrapes it, and every panel
 * of the generated dashboard that reads Pipewright's metrics returns data through /api/v1/query.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalog } from '../../node-catalog/index.ts';
import { templateDocument } from '../../node-catalog/templates/index.ts';
import { dashboardSections } from '../../shared/compile/monitoring/dashboard.ts';
import { compileMonitoring } from '../../shared/compile/monitoring/index.ts';
import type { PipelineDocument } from '../../shared/pipeline/types.ts';
import type { RunSummary } from '../../shared/runs/types.ts';
import { queryPrometheus, startPrometheus, startPushgateway } from '../fixtures/prometheusTools.ts';
import type { InstantSample, ServerProcess } from '../fixtures/prometheusTools.ts';
import { waitFor } from '../fixtures/waitFor.ts';
import { createHarness } from './harness.ts';
import type { Harness } from './harness.ts';

function smoke(pushgatewayUrl?: string): PipelineDocument {
  const doc = templateDocument('korean-llm-smoke')!;
  const shorter: Record<string, Record<string, number>> = { cpt: { max_steps: 10, logging_steps: 2 }, sft: { max_steps: 6, logging_steps: 2 }, eval: { max_samples: 3, max_new_tokens: 4 }, deploy: { max_perplexity: 0 } }; // a shortened run does not reach the template's perplexity gate
  for (const node of doc.nodes) node.params = { ...node.params, ...shorter[node.id] };
  if (pushgatewayUrl) doc.settings = { ...doc.settings, pushgatewayUrl };
  return doc;
}

/** Exporter metrics that only a cluster has (DCGM, kube-state-metrics, Argo's controller). */
const CLUSTER_ONLY = /DCGM_|kube_|argo_/;

describe('a local smoke run pushed to a real Pushgateway, scraped by a real Prometheus', () => {
  let gateway: ServerProcess;
  let prometheus: ServerProcess;
  let h: Harness;
  let run: RunSummary;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pw-prometheus-'));
  const query = (expr: string) => queryPrometheus(prometheus.url, expr);

  beforeAll(async () => {
    gateway = await startPushgateway();
    prometheus = await startPrometheus({ pushgateways: [new URL(gateway.url).host], dir });
    h = createHarness({ cache: false });
    run = await h.run(smoke(gateway.url));
    const nodes = Object.keys(run.nodes).length;
    await waitFor(async () => (await query(`pipewright_step_status{run="${run.id}", status="succeeded"} == 1`)).length === nodes, 20_000, `all ${nodes} steps' final status in Prometheus`, 250);
  }, 120_000);

  afterAll(async () => {
    await h?.close();
    await prometheus?.stop();
    await gateway?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs the smoke template to success, with no alert from its healthy curves (every rule on, defaults)', () => {
    expect(run.phase).toBe('succeeded');
    expect(run.alerts).toBeUndefined();
    expect(h.events.filter((e) => e.kind === 'alert')).toEqual([]);
  });

  it('every panel over Pipewright metrics returns data for the run, with the variables substituted', async () => {
    const panels = dashboardSections('korean-llm-smoke').flatMap((s) => s.panels).filter((p) => !CLUSTER_ONLY.test(p.expr));
    expect(panels.map((p) => p.title)).toEqual(['Steps by status', 'Training loss by stage', 'Learning rate', 'Tokens per second', 'Training step', 'Progress', 'Last progress', 'Eval metrics', 'Step durations']);
    const results = new Map<string, InstantSample[]>();
    for (const p of panels) {
      for (const [run_, node] of [[run.id, '.*'], ['.*', '.*']]) {
        const samples = await query(p.expr.replace(/\$run/g, run_).replace(/\$node/g, node).replace(/\$namespace/g, 'default'));
        expect(samples.length, `${p.title} (run=${run_}): ${p.expr}`).toBeGreaterThan(0);
        if (run_ === run.id) results.set(p.title, samples);
      }
    }
    const nodesOf = (title: string) => [...new Set(results.get(title)!.map((s) => s.metric.node))].sort();
    expect(nodesOf('Training loss by stage')).toEqual(['cpt', 'sft']);
    expect(results.get('Training loss by stage')!.map((s) => s.metric.stage).sort()).toEqual(['cpt', 'sft']);
    expect(nodesOf('Tokens per second')).toEqual(['cpt', 'sft']);
    expect(nodesOf('Eval metrics')).toEqual(['eval', 'ko-bench']);
    expect(nodesOf('Step durations')).toEqual(Object.keys(run.nodes).sort());
    expect(results.get('Steps by status')).toEqual([{ metric: { status: 'succeeded' }, value: Object.keys(run.nodes).length }]);
    expect(results.get('Training step')!.find((s) => s.metric.node === 'cpt')!.value).toBe(10);
    for (const s of results.get('Progress')!) expect(s.value).toBe(1);
  });

  it('the last loss Prometheus holds is the last loss Pipewright recorded', async () => {
    const recorded = (await h.manager.readMetrics(run.id, 'cpt')).filter((m) => 'loss' in m.values).at(-1)!.values.loss;
    const [sample] = await query(`pipewright_train_loss{pipeline="korean-llm-smoke", run="${run.id}", node="cpt"}`);
    expect(sample.value).toBe(recorded);
  });

  it('the exported rules load into this Prometheus and none fires on the healthy run', async () => {
    const rules = path.join(dir, 'rules.yaml');
    // The same rules, evaluated every second instead of every 30 s, so the test need not wait.
    writeFileSync(rules, compileMonitoring(smoke(), catalog)['alert-rules.yaml'].replace('interval: "30s"', 'interval: "1s"'));
    const checker = await startPrometheus({ pushgateways: [new URL(gateway.url).host], dir: path.join(dir, 'rules'), ruleFiles: [rules] });
    try {
      await waitFor(async () => {
        const body = (await (await fetch(`${checker.url}/api/v1/rules`)).json()) as { data: { groups: { rules: { health: string }[] }[] } };
        const all = body.data.groups.flatMap((g) => g.rules);
        return all.length === 7 && all.every((r) => r.health === 'ok');
      }, 20_000, 'the rules to be evaluated', 250);
      const alerts = (await (await fetch(`${checker.url}/api/v1/alerts`)).json()) as { data: { alerts: unknown[] } };
      expect(alerts.data.alerts).toEqual([]);
    } finally {
      await checker.stop();
    }
  });

  it('a local run without the setting still pushes when the runner has PIPEWRIGHT_PUSHGATEWAY_URL', async () => {
    const doc = smoke();
    const keep = new Set(['corpus', 'preprocess']);
    const mini = { ...doc, name: 'env-only', nodes: doc.nodes.filter((n) => keep.has(n.id)), edges: doc.edges.filter((e) => keep.has(e.source) && keep.has(e.target)) };
    process.env.PIPEWRIGHT_PUSHGATEWAY_URL = gateway.url;
    try {
      const result = await h.run(mini);
      expect(result.phase).toBe('succeeded');
    } finally {
      delete process.env.PIPEWRIGHT_PUSHGATEWAY_URL;
    }
    const groups = (await (await fetch(`${gateway.url}/api/v1/metrics`)).json()) as { data: { labels: Record<string, string> }[] };
    expect(groups.data.map((g) => g.labels).filter((l) => l.pipeline === 'env-only').map((l) => l.node).sort()).toEqual(['corpus', 'preprocess']);
  });
});
