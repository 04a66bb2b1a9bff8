/** The monitoring export: goldens, Grafana's dashboard model, the PrometheusRule CRD schema, thresholds from settings.alerts. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { GOLDEN_DOCUMENTS, goldenFiles, stubCatalog } from '../../../test/fixtures/compileFixtures.ts';
import { unknownFields } from '../../../test/fixtures/schemaCheck.ts';
import { catalog } from '../../../node-catalog/index.ts';
import { templateDocument } from '../../../node-catalog/templates/index.ts';
import type { PipelineDocument } from '../../pipeline/types.ts';
import { CompileError } from '../plan.ts';
import { dashboardUid } from './dashboard.ts';
import { compileMonitoring, MONITORING_FILES } from './index.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const smoke = () => templateDocument('korean-llm-smoke')!;
const compile = (doc: PipelineDocument) => compileMonitoring(doc, catalog);
const dashboardOf = (doc: PipelineDocument) => JSON.parse(compile(doc)['dashboard.json']) as Json;

/** The PrometheusRule CRD's schema, checked as the API server would (Go's `(?i)` flag read as JS's `i`). */
function prometheusRuleCheck(): (value: unknown) => string[] {
  const crd = parse(readFileSync(join(import.meta.dirname, '../../../test/fixtures/prometheus-operator/monitoring.coreos.com_prometheusrules.yaml'), 'utf8')) as Json;
  const schema = crd.spec.versions.find((v: Json) => v.name === 'v1').schema.openAPIV3Schema as Json;
  const goRegExp = (pattern: string, flags: string) => (pattern.startsWith('^(?i)') ? new RegExp(`^${pattern.slice(5)}`, `${flags}i`) : new RegExp(pattern, flags));
  goRegExp.code = 'goRegExp';
  const validate = new Ajv({ strict: false, allErrors: true, code: { regExp: goRegExp } }).compile(schema);
  return (value) => [...(validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'}: ${e.message}`)), ...unknownFields({}, schema, value, '')];
}

describe('compileMonitoring', () => {
  it.each(GOLDEN_DOCUMENTS)('matches the golden files of $name (UPDATE_GOLDENS=1 rewrites them)', ({ name, doc }) => {
    const files = compileMonitoring(doc, stubCatalog);
    expect(Object.keys(files).sort()).toEqual([...MONITORING_FILES].sort());
    expect(files).toEqual(goldenFiles(`monitoring/${name}`, files));
  });

  it('is deterministic', () => {
    expect(compile(smoke())).toEqual(compile(smoke()));
  });

  it('refuses a pipeline the compilers refuse, saying where', () => {
    const doc = smoke();
    doc.edges.push({ id: 'loop', source: 'eval', sourceHandle: 'metrics', target: 'corpus', targetHandle: 'dataset' });
    expect(() => compile(doc)).toThrow(CompileError);
  });
});

describe('dashboard.json against Grafana\'s dashboard model', () => {
  const dashboard = dashboardOf(templateDocument('korean-llm')!);
  const panels = dashboard.panels as Json[];
  const visual = panels.filter((p) => p.type !== 'row');
  const PROM = { type: 'prometheus', uid: '${DS_PROMETHEUS}' };

  it('is importable: __inputs names the Prometheus data source, every panel and target uses it', () => {
    expect(dashboard.__inputs).toEqual([expect.objectContaining({ name: 'DS_PROMETHEUS', type: 'datasource', pluginId: 'prometheus' })]);
    expect(dashboard.schemaVersion).toBe(39);
    expect(dashboard.uid).toBe(dashboardUid('korean-llm'));
    expect(dashboard.uid.length).toBeLessThanOrEqual(40);
    for (const p of visual) {
      expect(p.datasource, p.title).toEqual(PROM);
      for (const t of p.targets) expect(t).toMatchObject({ datasource: PROM, refId: 'A', expr: expect.any(String) });
    }
    const requires = new Set((dashboard.__requires as Json[]).filter((r) => r.type === 'panel').map((r) => r.id));
    for (const p of visual) expect(requires.has(p.type), p.type).toBe(true);
  });

  it('has the panels the tutorial asks for, of the types Grafana ships', () => {
    expect(visual.map((p) => p.title)).toEqual([
      'Steps by status', 'Step pods by phase', 'Argo workflows by phase',
      'Training loss by stage', 'Learning rate', 'Tokens per second', 'Training step', 'Progress', 'Last progress',
      'GPU utilization per step', 'GPU memory used per step',
      'Eval metrics', 'Step durations', 'Container restarts',
    ]);
    for (const p of visual) {
      expect(['timeseries', 'stat', 'bargauge']).toContain(p.type);
      expect(p.description, p.title).toMatch(/\S/);
      expect(p.fieldConfig).toMatchObject({ defaults: expect.any(Object), overrides: [] });
    }
    const expr = (title: string) => visual.find((p) => p.title === title)!.targets[0].expr as string;
    expect(expr('GPU utilization per step')).toContain('DCGM_FI_DEV_GPU_UTIL{namespace="$namespace"}');
    expect(expr('GPU memory used per step')).toContain('DCGM_FI_DEV_FB_USED');
    expect(expr('Argo workflows by phase')).toBe('sum by (phase) (argo_workflows_gauge{phase!=""}) or sum by (status) (argo_workflows_gauge{status!=""} or argo_workflows_count)');
    expect(expr('Step pods by phase')).toContain('kube_pod_status_phase{namespace="$namespace"}');
    expect(expr('Container restarts')).toContain('kube_pod_container_status_restarts_total{namespace="$namespace", container="main"}');
    expect(expr('Training loss by stage')).toBe('pipewright_train_loss{pipeline="korean-llm", run=~"$run", node=~"$node"}');
  });

  it('lays the panels out on the 24-column grid without overlaps, ids unique', () => {
    const ids = panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    const cells = new Set<string>();
    for (const p of panels) {
      const { x, y, w, h } = p.gridPos;
      for (const v of [x, y, w, h]) expect(Number.isInteger(v)).toBe(true);
      expect(x + w, p.title).toBeLessThanOrEqual(24);
      for (let i = x; i < x + w; i++) {
        for (let j = y; j < y + h; j++) {
          expect(cells.has(`${i},${j}`), `${p.title} overlaps at ${i},${j}`).toBe(false);
          cells.add(`${i},${j}`);
        }
      }
    }
  });

  it('defines every variable its queries use: data source, namespace, run and step (All = .*)', () => {
    const vars = dashboard.templating.list as Json[];
    expect(vars.map((v) => [v.name, v.type])).toEqual([['DS_PROMETHEUS', 'datasource'], ['namespace', 'textbox'], ['run', 'query'], ['node', 'query']]);
    expect(vars[1].query).toBe('kubeflow');
    for (const v of vars.slice(2)) expect(v).toMatchObject({ includeAll: true, multi: true, allValue: '.*', datasource: PROM });
    expect(vars[2].definition).toBe('label_values(pipewright_step_status{pipeline="korean-llm"}, run)');
    const defined = new Set(vars.map((v) => v.name));
    for (const p of visual) for (const m of (p.targets[0].expr as string).matchAll(/\$(\w+)/g)) expect(defined.has(m[1]), `${p.title}: $${m[1]}`).toBe(true);
  });
});

describe('prometheusrule.yaml', () => {
  const check = prometheusRuleCheck();

  it('checks what the CRD schema refuses (a check of the checker)', () => {
    const bad = { apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule', metadata: {}, spec: { groups: [{ name: 'g', rules: [{ alert: 'A', expr: 'up', for: '10 minutes', severity: 'x' }] }] } };
    expect(check(bad)).toEqual(expect.arrayContaining([expect.stringMatching(/\/spec\/groups\/0\/rules\/0\/for: must match pattern/), '/spec/groups/0/rules/0/severity: not a field of this object']));
    expect(check({ apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule', metadata: {} })).toEqual(["/: must have required property 'spec'"]);
  });

  it.each(GOLDEN_DOCUMENTS)('$name: valid against the PrometheusRule CRD, with the same groups as alert-rules.yaml', ({ doc }) => {
    const files = compile(doc);
    const rule = parse(files['prometheusrule.yaml']) as Json;
    expect(check(rule)).toEqual([]);
    expect(rule).toMatchObject({ apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule', metadata: { name: `pipewright-${doc.name}`, labels: { 'pipewright.dev/pipeline': doc.name } } });
    expect(rule.spec.groups).toEqual((parse(files['alert-rules.yaml']) as Json).groups);
  });

  it('takes its namespace from the pipeline settings', () => {
    const doc = smoke();
    expect((parse(compile(doc)['prometheusrule.yaml']) as Json).metadata.namespace).toBeUndefined();
    doc.settings = { namespace: 'ml-team' };
    expect((parse(compile(doc)['prometheusrule.yaml']) as Json).metadata.namespace).toBe('ml-team');
  });
});

describe('alert-rules.yaml', () => {
  const rules = (doc: PipelineDocument): Record<string, Json> => Object.fromEntries(((parse(compile(doc)["alert-rules.yaml"]) as Json).groups[0].rules as Json[]).map((r) => [r.alert, r]));

  it('has the tutorial\'s three alerts plus NaN/Inf loss and a stalled step, each with a severity and text naming pipeline, run and node', () => {
    const r = rules(smoke());
    expect(Object.keys(r)).toEqual(['PipewrightStepFailed', 'PipewrightPodFailed', 'PipewrightArgoWorkflowFailed', 'PipewrightGpuUnderutilized', 'PipewrightLossIncreasing', 'PipewrightLossNotFinite', 'PipewrightStepStalled']);
    for (const rule of Object.values(r)) {
      expect(['critical', 'warning']).toContain(rule.labels.severity);
      expect(rule.annotations.summary).toMatch(/\S/);
      if (rule.alert !== 'PipewrightArgoWorkflowFailed') expect(rule.annotations.description, rule.alert).toContain('run {{ $labels.run }}, node {{ $labels.node }}');
    }
    expect(r.PipewrightGpuUnderutilized).toMatchObject({ for: '10m', expr: expect.stringMatching(/ < 50$/) });
    expect(r.PipewrightLossIncreasing).toMatchObject({ expr: 'delta(pipewright_train_loss{pipeline="korean-llm-smoke"}[1h]) > 0.1' });
  });

  it('follows settings.alerts: GPU idle threshold and duration, stall minutes', () => {
    const doc = smoke();
    doc.settings = { namespace: 'ml-team', alerts: { gpuIdle: { utilization: 30, minutes: 5 }, stall: { minutes: 12.5 } } };
    const r = rules(doc);
    expect(r.PipewrightGpuUnderutilized).toMatchObject({ for: '5m', expr: expect.stringMatching(/^avg by \(pipeline, run, node\) \(DCGM_FI_DEV_GPU_UTIL\{namespace="ml-team"\} .* < 30$/) });
    expect(r.PipewrightStepStalled.expr).toContain('> 750)');
    expect(r.PipewrightStepStalled.annotations.summary).toContain('750s');
    expect(r.PipewrightPodFailed.expr).toContain('kube_pod_status_phase{namespace="ml-team", phase="Failed"}');
  });
});
