/**
 * The exported rules and queries held to Debian's real promtool: `check rules` accepts them, every
 * dashboard query parses, and `test rules` proves each alert fires on a synthetic series and stays
 * quiet on a healthy one. A missing promtool fails these tests (apt-get install prometheus).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { GOLDEN_DOCUMENTS } from '../../../test/fixtures/compileFixtures.ts';
import { runTool } from '../../../test/fixtures/prometheusTools.ts';
import { catalog } from '../../../node-catalog/index.ts';
import { templateDocument } from '../../../node-catalog/templates/index.ts';
import { emitYaml } from '../emitYaml.ts';
import type { YamlValue } from '../emitYaml.ts';
import { dashboardSections } from './dashboard.ts';
import { compileMonitoring } from './index.ts';

const work = mkdtempSync(join(tmpdir(), 'pipewright-promtool-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const file = join(work, name);
  writeFileSync(file, text);
  return file;
}

describe('promtool check rules', () => {
  it.each(GOLDEN_DOCUMENTS)('accepts alert-rules.yaml and the PrometheusRule groups of $name', async ({ name, doc }) => {
    const files = compileMonitoring(doc, catalog);
    const plain = write(`${name}-rules.yaml`, files['alert-rules.yaml']);
    const groups = (parse(files['prometheusrule.yaml']) as { spec: { groups: YamlValue[] } }).spec.groups;
    const fromCrd = write(`${name}-crd-rules.yaml`, emitYaml({ groups }));
    const result = await runTool('promtool', ['check', 'rules', plain, fromCrd]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain('SUCCESS: 7 rules found');
  });

  it('refuses a broken rule (a check of the checker)', async () => {
    const broken = write('broken.yaml', emitYaml({ groups: [{ name: 'g', rules: [{ alert: 'A', expr: 'rate(x[5m]' }] }] }));
    const result = await runTool('promtool', ['check', 'rules', broken]);
    expect(result.code).toBe(1);
  });

  it('parses every dashboard query, with the variables as Grafana substitutes them', async () => {
    const panels = dashboardSections('korean-llm').flatMap((s) => s.panels);
    const rules = panels.map((p, i) => ({ record: `pipewright:panel_${i}`, expr: p.expr.replace(/\$namespace/g, 'kubeflow').replace(/\$run|\$node/g, '.*') }));
    const result = await runTool('promtool', ['check', 'rules', write('panels.yaml', emitYaml({ groups: [{ name: 'panels', rules }] }))]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain(`SUCCESS: ${panels.length} rules found`);
  });

  it('counts Argo workflows by phase whichever Argo labelled them (3.7 phase, 3.6 status, <= 3.5 count), with no phase-less total', async () => {
    const panel = dashboardSections('korean-llm').flatMap((s) => s.panels).find((p) => p.title === 'Argo workflows by phase')!;
    const unit = {
      rule_files: [],
      tests: [
        {
          interval: '1m',
          input_series: [
            { series: 'argo_workflows_gauge{phase="Running",job="argo"}', values: '2x5' },
            { series: 'argo_workflows_gauge{phase="Running",job="argo",namespace="team-b"}', values: '0x5' },
            { series: 'argo_workflows_gauge{phase="Failed",job="argo"}', values: '1x5' },
            { series: 'argo_workflows_gauge{status="Running",job="argo-36"}', values: '3x5' },
            { series: 'argo_workflows_count{status="Succeeded",job="argo-35"}', values: '4x5' },
          ],
          promql_expr_test: [{ expr: panel.expr, eval_time: '2m', exp_samples: [{ labels: '{phase="Running"}', value: 2 }, { labels: '{phase="Failed"}', value: 1 }, { labels: '{status="Running"}', value: 3 }, { labels: '{status="Succeeded"}', value: 4 }] }],
        },
      ],
    };
    const result = await runTool('promtool', ['test', 'rules', write('argo-phase.test.yaml', emitYaml(unit))]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
  });
});

/** Series labels of one step of the smoke pipeline, as the Pushgateway exposes them. */
const step = (run: string, node = 'cpt', extra = '') => `pipeline="korean-llm-smoke",run="${run}",node="${node}",stage="${node}",job="pipewright"${extra}`;
const WHERE = (run: string, node = 'cpt') => `pipeline korean-llm-smoke, run ${run}, node ${node}`;
const labels = (run: string, node = 'cpt') => ({ pipeline: 'korean-llm-smoke', run, node });

/**
 * One promtool test per alert: series that must make it fire (`bad` runs) next to healthy ones, and the
 * exact alerts expected, annotations included. `interval` is 1m: `0+60x40` is a timestamp moving with time.
 */
const TESTS = [
  {
    name: 'a failed step fires; a succeeded one and a failure from long ago do not',
    alert: 'PipewrightStepFailed',
    evalTime: '5m',
    series: [
      [`pipewright_step_status{${step('bad', 'cpt', ',status="failed"')}}`, '1x10'],
      [`pipewright_step_end_timestamp_seconds{${step('bad')}}`, '120x10'],
      [`pipewright_step_status{${step('ok', 'cpt', ',status="failed"')}}`, '0x10'],
      [`pipewright_step_status{${step('ok', 'cpt', ',status="succeeded"')}}`, '1x10'],
      [`pipewright_step_end_timestamp_seconds{${step('ok')}}`, '120x10'],
      [`pipewright_step_status{${step('old', 'cpt', ',status="failed"')}}`, '1x10'],
      [`pipewright_step_end_timestamp_seconds{${step('old')}}`, '-30000x10'],
    ],
    expected: [
      {
        exp_labels: { ...labels('bad'), severity: 'critical' },
        exp_annotations: { summary: 'Pipewright step cpt of korean-llm-smoke failed', description: `The step failed (${WHERE('bad')}); see its log in Pipewright. The alert clears 6 hours after the step ended.` },
      },
    ],
  },
  {
    name: "a Failed pod of one of the pipeline's steps fires; running pods and other pipelines' pods do not",
    alert: 'PipewrightPodFailed',
    evalTime: '5m',
    series: [
      ['kube_pod_status_phase{namespace="default",pod="smoke-x1-cpt-1",phase="Failed"}', '1x10'],
      ['kube_pod_status_phase{namespace="default",pod="smoke-x1-cpt-1",phase="Running"}', '0x10'],
      ['kube_pod_status_phase{namespace="default",pod="smoke-x1-sft-2",phase="Running"}', '1x10'],
      ['kube_pod_status_phase{namespace="default",pod="someone-else",phase="Failed"}', '1x10'],
      [`pipewright_step_info{${step('smoke-x1', 'cpt', ',pod="smoke-x1-cpt-1",host="smoke-x1-cpt-1"')}}`, '1x10'],
      [`pipewright_step_info{${step('smoke-x1', 'sft', ',pod="smoke-x1-sft-2",host="smoke-x1-sft-2"')}}`, '1x10'],
      [`pipewright_step_info{${step('local-run', 'cpt', ',host="laptop"')}}`, '1x10'],
    ],
    expected: [
      {
        exp_labels: { ...labels('smoke-x1'), namespace: 'default', pod: 'smoke-x1-cpt-1', phase: 'Failed', severity: 'critical' },
        exp_annotations: { summary: 'A pod of korean-llm-smoke failed (cpt)', description: `Pod smoke-x1-cpt-1 of ${WHERE('smoke-x1')} is Failed (OOM kill, eviction, crash): a killed step cannot report its own failure.` },
      },
    ],
  },
  {
    name: 'an Argo workflow entering Failed fires; succeeding ones do not',
    alert: 'PipewrightArgoWorkflowFailed',
    evalTime: '5m',
    series: [
      ['argo_workflows_total_count{namespace="default",phase="Failed"}', '0 0 0 1 1 1 1 1 1 1'],
      ['argo_workflows_total_count{namespace="default",phase="Succeeded"}', '0+1x10'],
      ['argo_workflows_total_count{namespace="other",phase="Failed"}', '2x10'],
    ],
    expected: [
      {
        exp_labels: { namespace: 'default', severity: 'warning' },
        exp_annotations: { summary: 'An Argo workflow failed in namespace default', description: "Argo's workflow-controller (v3.6 or later) counted 1 workflow(s) entering Failed or Error in the last 10 minutes in default." },
      },
    ],
  },
  {
    name: 'GPUs under 50 % for 10 minutes fire; busy GPUs and a dip shorter than 10 minutes do not',
    alert: 'PipewrightGpuUnderutilized',
    evalTime: '20m',
    series: [
      ['DCGM_FI_DEV_GPU_UTIL{namespace="default",pod="idle-1",container="main",gpu="0",UUID="GPU-0"}', '20x25'],
      ['DCGM_FI_DEV_GPU_UTIL{namespace="default",pod="idle-1",container="main",gpu="1",UUID="GPU-1"}', '30x25'],
      ['DCGM_FI_DEV_GPU_UTIL{namespace="default",pod="busy-2",container="main",gpu="2",UUID="GPU-2"}', '95x25'],
      ['DCGM_FI_DEV_GPU_UTIL{namespace="default",pod="dip-3",container="main",gpu="3",UUID="GPU-3"}', '90x14 10x11'],
      ['DCGM_FI_DEV_GPU_UTIL{namespace="default",gpu="4",UUID="GPU-4"}', '0x25'],
      [`pipewright_step_info{${step('idle', 'cpt', ',pod="idle-1"')}}`, '1x25'],
      [`pipewright_step_info{${step('busy', 'cpt', ',pod="busy-2"')}}`, '1x25'],
      [`pipewright_step_info{${step('dip', 'cpt', ',pod="dip-3"')}}`, '1x25'],
      [`pipewright_step_info{${step('local', 'cpt', ',host="laptop"')}}`, '1x25'],
    ],
    expected: [
      {
        exp_labels: { ...labels('idle'), severity: 'warning' },
        exp_annotations: { summary: 'GPUs of cpt (korean-llm-smoke) under 50% for 10m', description: `DCGM reports 25% average GPU utilization for ${WHERE('idle')}: the step pays for GPUs it does not use.` },
      },
    ],
  },
  {
    name: 'a loss rising 0.3 in an hour fires; a falling loss does not',
    alert: 'PipewrightLossIncreasing',
    evalTime: '90m',
    series: [
      [`pipewright_train_loss{${step('up')}}`, '1+0.005x120'],
      [`pipewright_train_loss{${step('down')}}`, '2.5-0.01x120'],
      [`pipewright_train_loss{${step('flat')}}`, '1.2x120'],
    ],
    expected: [
      {
        exp_labels: { ...labels('up'), stage: 'cpt', job: 'pipewright', severity: 'warning' },
        exp_annotations: { summary: 'Training loss of cpt (korean-llm-smoke) rose by more than 0.1 in an hour', description: `The loss of ${WHERE('up')} went up by 0.300 over the last hour.` },
      },
    ],
  },
  {
    name: 'a NaN loss and an infinite loss fire; a finite one does not',
    alert: 'PipewrightLossNotFinite',
    evalTime: '5m',
    series: [
      [`pipewright_train_loss{${step('nan')}}`, '2.1 2.0 NaN NaN NaN NaN NaN NaN'],
      [`pipewright_train_loss{${step('inf')}}`, '2.1 Inf Inf Inf Inf Inf Inf Inf'],
      [`pipewright_train_loss{${step('fine')}}`, '2.1 2.0 1.9 1.8 1.7 1.6 1.5 1.4'],
    ],
    expected: [
      {
        exp_labels: { ...labels('inf'), stage: 'cpt', job: 'pipewright', severity: 'critical' },
        exp_annotations: { summary: 'Training loss of cpt (korean-llm-smoke) is NaN or infinite', description: `The loss of ${WHERE('inf')} is +Inf: training has diverged; stop it and lower the learning rate or check the data.` },
      },
      {
        exp_labels: { ...labels('nan'), stage: 'cpt', job: 'pipewright', severity: 'critical' },
        exp_annotations: { summary: 'Training loss of cpt (korean-llm-smoke) is NaN or infinite', description: `The loss of ${WHERE('nan')} is NaN: training has diverged; stop it and lower the learning rate or check the data.` },
      },
    ],
  },
  {
    name: 'a running step silent for over 30 minutes fires; a moving one and a finished one do not',
    alert: 'PipewrightStepStalled',
    evalTime: '35m',
    series: [
      [`pipewright_step_last_progress_timestamp_seconds{${step('stuck')}}`, '0x40'],
      [`pipewright_step_status{${step('stuck', 'cpt', ',status="running"')}}`, '1x40'],
      [`pipewright_step_last_progress_timestamp_seconds{${step('moving')}}`, '0+60x40'],
      [`pipewright_step_status{${step('moving', 'cpt', ',status="running"')}}`, '1x40'],
      [`pipewright_step_last_progress_timestamp_seconds{${step('done')}}`, '0x40'],
      [`pipewright_step_status{${step('done', 'cpt', ',status="running"')}}`, '0x40'],
    ],
    expected: [
      {
        exp_labels: { ...labels('stuck'), stage: 'cpt', job: 'pipewright', severity: 'warning' },
        exp_annotations: { summary: 'Step cpt of korean-llm-smoke made no progress for 30m', description: `No metric or progress record from ${WHERE('stuck')} for 35m 0s while it is running (hung, deadlocked, or killed without a word).` },
      },
    ],
  },
];

describe('promtool test rules: each alert fires on a synthetic series and stays quiet on a healthy one', () => {
  const rules = write('smoke-rules.yaml', compileMonitoring(templateDocument('korean-llm-smoke')!, catalog)['alert-rules.yaml']);

  it('covers every alert of the file', () => {
    const alerts = (parse(compileMonitoring(templateDocument('korean-llm-smoke')!, catalog)['alert-rules.yaml']) as { groups: { rules: { alert: string }[] }[] }).groups[0].rules.map((r) => r.alert);
    expect(TESTS.map((t) => t.alert).sort()).toEqual([...alerts].sort());
  });

  it.each(TESTS)('$alert: $name', async (t) => {
    const unit = {
      rule_files: [rules],
      evaluation_interval: '30s',
      tests: [
        {
          interval: '1m',
          input_series: t.series.map(([series, values]) => ({ series, values })),
          alert_rule_test: [{ eval_time: t.evalTime, alertname: t.alert, exp_alerts: t.expected }],
        },
      ],
    };
    const ok = await runTool('promtool', ['test', 'rules', write(`${t.alert}.test.yaml`, emitYaml(unit))]);
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    // The same test expecting silence must fail: the alert really fires, rather than the test passing vacuously.
    const quiet = { ...unit, tests: [{ ...unit.tests[0], alert_rule_test: [{ eval_time: t.evalTime, alertname: t.alert, exp_alerts: [] }] }] };
    const silent = await runTool('promtool', ['test', 'rules', write(`${t.alert}.quiet.test.yaml`, emitYaml(quiet))]);
    expect(silent.code).toBe(1);
  });
});
