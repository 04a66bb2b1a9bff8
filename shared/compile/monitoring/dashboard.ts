/**
 * The Grafana dashboard of a pipeline (Grafana's classic dashboard JSON model, schemaVersion 39, as
 * exported for sharing: `__inputs` names the Prometheus data source to pick at import, and the same
 * `${DS_PROMETHEUS}` is a data source variable when the file is provisioned as it is).
 */
import { ARGO, DCGM, KUBE_STATE, PIPEWRIGHT } from './metrics.ts';
import { namespaceMatcher, perStep, selector } from './promql.ts';
import type { Scope } from './promql.ts';

type Json = { [key: string]: unknown };

export const DATASOURCE = { type: 'prometheus', uid: '${DS_PROMETHEUS}' } as const;
export const GRAFANA_SCHEMA_VERSION = 39;

export type PanelType = 'timeseries' | 'stat' | 'bargauge';

export interface PanelSpec {
  title: string;
  description: string;
  type: PanelType;
  expr: string;
  legend: string;
  unit: string;
  /** Grid columns (of 24) and rows. */
  w: number;
  h: number;
  min?: number;
  max?: number;
}

export interface DashboardSection {
  title: string;
  panels: PanelSpec[];
}

/** The dashboard's panels, by section; every expression is scoped to the pipeline and the `$run` / `$node` variables. */
export function dashboardSections(pipeline: string): DashboardSection[] {
  const scope: Scope = { pipeline, variables: true };
  const sel = (metric: string, extra?: Record<string, string>) => selector(metric, scope, extra);
  const ns = namespaceMatcher(undefined, true);
  const podSel = (metric: string, extra: Record<string, string> = {}) => `${metric}{${Object.entries({ ...ns, ...extra }).map(([k, v]) => `${k}="${v}"`).join(', ')}}`;
  return [
    {
      title: 'Run status',
      panels: [
        { title: 'Steps by status', type: 'stat', unit: 'none', w: 8, h: 5, legend: '{{status}}', expr: `sum by (status) (${sel(PIPEWRIGHT.status)} == 1)`, description: 'How many steps of the selected runs are running, succeeded or failed, as the steps last pushed it.' },
        { title: 'Step pods by phase', type: 'bargauge', unit: 'none', w: 8, h: 5, legend: '{{phase}}', expr: `sum by (phase) (${perStep(`(${podSel(KUBE_STATE.podPhase)} == 1)`, scope)})`, description: 'kube-state-metrics: the phase of the pods running the selected steps (cluster runs).' },
        // The phase label is `phase` from Argo 3.7, `status` before (label_replace would need a `$1`, which Grafana takes for a variable).
        { title: 'Argo workflows by phase', type: 'stat', unit: 'none', w: 8, h: 5, legend: '{{phase}}{{status}}', expr: `sum by (phase) (${ARGO.workflows}{phase!=""}) or sum by (status) (${ARGO.workflows}{status!=""} or ${ARGO.workflowsLegacy})`, description: `Argo workflow-controller: workflows by phase, cluster-wide (${ARGO.workflows} since Argo 3.6, labelled phase from 3.7 and status in 3.6; ${ARGO.workflowsLegacy} before).` },
      ],
    },
    {
      title: 'Training',
      panels: [
        { title: 'Training loss by stage', type: 'timeseries', unit: 'none', w: 12, h: 8, legend: '{{node}} ({{stage}}) {{run}}', expr: sel(PIPEWRIGHT.loss), description: 'The loss of each training step (CPT, SFT) as its last logged record reported it.' },
        { title: 'Learning rate', type: 'timeseries', unit: 'none', w: 12, h: 8, legend: '{{node}} {{run}}', expr: sel(PIPEWRIGHT.learningRate), description: 'The learning rate schedule of each training step.' },
        { title: 'Tokens per second', type: 'timeseries', unit: 'none', w: 12, h: 8, legend: '{{node}} {{run}}', expr: sel(PIPEWRIGHT.tokensPerSecond), description: 'Training throughput of each step, in tokens per second.' },
        { title: 'Training step', type: 'timeseries', unit: 'none', w: 12, h: 8, legend: '{{node}} {{run}}', expr: sel(PIPEWRIGHT.step), description: 'The optimizer step each training step has reached.' },
        { title: 'Progress', type: 'bargauge', unit: 'percentunit', w: 12, h: 6, min: 0, max: 1, legend: '{{node}} {{run}}', expr: `${sel(PIPEWRIGHT.progressCurrent)} / ${sel(PIPEWRIGHT.progressTotal)}`, description: "How far each step's progress bar is." },
        { title: 'Last progress', type: 'stat', unit: 'dateTimeFromNow', w: 12, h: 6, legend: '{{node}} {{run}}', expr: `max by (node, run) (${sel(PIPEWRIGHT.lastProgress)}) * 1000`, description: 'When each step last reported a metric or progress record: a running step that stops moving is stalled.' },
      ],
    },
    {
      title: 'GPUs',
      panels: [
        { title: 'GPU utilization per step', type: 'timeseries', unit: 'percent', w: 12, h: 8, min: 0, max: 100, legend: '{{node}} {{run}}', expr: `avg by (pipeline, run, node) (${perStep(podSel(DCGM.gpuUtil), scope)})`, description: 'NVIDIA DCGM exporter: GPU utilization averaged over the GPUs of each running step (pod mapping on).' },
        { title: 'GPU memory used per step', type: 'timeseries', unit: 'mbytes', w: 12, h: 8, legend: '{{node}} {{run}}', expr: `sum by (pipeline, run, node) (${perStep(podSel(DCGM.memoryUsed), scope)})`, description: 'NVIDIA DCGM exporter: GPU memory in use by each running step, summed over its GPUs.' },
      ],
    },
    {
      title: 'Evaluation and durations',
      panels: [
        { title: 'Eval metrics', type: 'bargauge', unit: 'none', w: 8, h: 8, legend: '{{node}} {{metric}} {{run}}', expr: sel(PIPEWRIGHT.evalMetric), description: 'What the evaluation steps measured (accuracy, loss, perplexity...).' },
        { title: 'Step durations', type: 'bargauge', unit: 's', w: 8, h: 8, legend: '{{node}} {{run}}', expr: `max by (node, run) (${sel(PIPEWRIGHT.duration)})`, description: 'How long each step ran (so far, for running steps).' },
        { title: 'Container restarts', type: 'timeseries', unit: 'none', w: 8, h: 8, legend: '{{node}} {{run}}', expr: `max by (pipeline, run, node) (${perStep(podSel(KUBE_STATE.containerRestarts, { container: 'main' }), scope)})`, description: "kube-state-metrics: restarts of each step's main container (OOM kills, crashes)." },
      ],
    },
  ];
}

function fieldConfig(p: PanelSpec): Json {
  const defaults: Json = { unit: p.unit, color: { mode: p.type === 'timeseries' ? 'palette-classic' : 'thresholds' }, thresholds: { mode: 'absolute', steps: [{ color: 'green', value: null }] } };
  if (p.min !== undefined) defaults.min = p.min;
  if (p.max !== undefined) defaults.max = p.max;
  if (p.type === 'timeseries') defaults.custom = { drawStyle: 'line', lineWidth: 2, fillOpacity: 0, showPoints: 'auto', spanNulls: true };
  return { defaults, overrides: [] };
}

function options(type: PanelType): Json {
  const reduce = { reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false } };
  if (type === 'timeseries') return { legend: { displayMode: 'list', placement: 'bottom', showLegend: true }, tooltip: { mode: 'multi', sort: 'none' } };
  if (type === 'stat') return { ...reduce, colorMode: 'value', graphMode: 'none', justifyMode: 'auto', orientation: 'auto', textMode: 'auto' };
  return { ...reduce, displayMode: 'gradient', orientation: 'horizontal', showUnfilled: true };
}

function variable(name: string, label: string, query: string, allValue: boolean): Json {
  return {
    name,
    label,
    type: 'query',
    datasource: DATASOURCE,
    query: { query, refId: `${name}-variable` },
    definition: query,
    refresh: 2,
    sort: 1,
    multi: allValue,
    includeAll: allValue,
    ...(allValue ? { allValue: '.*', current: { selected: true, text: ['All'], value: ['$__all'] } } : {}),
    options: [],
    hide: 0,
  };
}

/** The dashboard object; `namespace` is the default of its `$namespace` variable. */
export function grafanaDashboard(pipeline: string, namespace: string | undefined): Json {
  const panels: Json[] = [];
  let id = 1;
  let y = 0;
  for (const section of dashboardSections(pipeline)) {
    panels.push({ id: id++, type: 'row', title: section.title, collapsed: false, gridPos: { h: 1, w: 24, x: 0, y }, panels: [] });
    y += 1;
    let x = 0;
    let rowHeight = 0;
    for (const p of section.panels) {
      if (x + p.w > 24) {
        x = 0;
        y += rowHeight;
        rowHeight = 0;
      }
      const instant = p.type !== 'timeseries';
      panels.push({
        id: id++,
        type: p.type,
        title: p.title,
        description: p.description,
        datasource: DATASOURCE,
        gridPos: { h: p.h, w: p.w, x, y },
        fieldConfig: fieldConfig(p),
        options: options(p.type),
        targets: [{ refId: 'A', datasource: DATASOURCE, editorMode: 'code', expr: p.expr, legendFormat: p.legend, range: !instant, instant }],
      });
      x += p.w;
      rowHeight = Math.max(rowHeight, p.h);
    }
    y += rowHeight;
  }
  const namespaceDefault = namespace ?? 'kubeflow';
  return {
    __inputs: [{ name: 'DS_PROMETHEUS', label: 'Prometheus', description: 'The Prometheus that scrapes the Pushgateway (honor_labels: true), the DCGM exporter, kube-state-metrics and Argo', type: 'datasource', pluginId: 'prometheus', pluginName: 'Prometheus' }],
    __requires: [
      { type: 'grafana', id: 'grafana', name: 'Grafana', version: '10.0.0' },
      { type: 'datasource', id: 'prometheus', name: 'Prometheus', version: '1.0.0' },
      { type: 'panel', id: 'bargauge', name: 'Bar gauge', version: '' },
      { type: 'panel', id: 'stat', name: 'Stat', version: '' },
      { type: 'panel', id: 'timeseries', name: 'Time series', version: '' },
    ],
    annotations: { list: [{ builtIn: 1, datasource: { type: 'grafana', uid: '-- Grafana --' }, enable: true, hide: true, iconColor: 'rgba(0, 211, 255, 1)', name: 'Annotations & Alerts', type: 'dashboard' }] },
    description: `Pipewright pipeline ${pipeline}: run status, training curves, GPUs, evaluation and step durations.`,
    editable: true,
    fiscalYearStartMonth: 0,
    graphTooltip: 1,
    id: null,
    links: [],
    liveNow: false,
    panels,
    refresh: '30s',
    schemaVersion: GRAFANA_SCHEMA_VERSION,
    tags: ['pipewright', pipeline],
    templating: {
      list: [
        { name: 'DS_PROMETHEUS', label: 'Data source', type: 'datasource', query: 'prometheus', current: {}, hide: 0, options: [], refresh: 1, regex: '' },
        { name: 'namespace', label: 'Namespace', type: 'textbox', query: namespaceDefault, current: { selected: true, text: namespaceDefault, value: namespaceDefault }, options: [{ selected: true, text: namespaceDefault, value: namespaceDefault }], hide: 0 },
        variable('run', 'Run', `label_values(${PIPEWRIGHT.status}{pipeline="${pipeline}"}, run)`, true),
        variable('node', 'Step', `label_values(${PIPEWRIGHT.status}{pipeline="${pipeline}", run=~"$run"}, node)`, true),
      ],
    },
    time: { from: 'now-6h', to: 'now' },
    timepicker: {},
    timezone: 'browser',
    title: `Pipewright: ${pipeline}`,
    uid: dashboardUid(pipeline),
    version: 1,
    weekStart: '',
  };
}

/** A stable uid of at most 40 characters (Grafana's limit), the same for every export of the pipeline. */
export function dashboardUid(pipeline: string): string {
  let hash = 2166136261;
  for (let i = 0; i < pipeline.length; i++) hash = Math.imul(hash ^ pipeline.charCodeAt(i), 16777619) >>> 0;
  return `pw-${pipeline.slice(0, 28)}-${hash.toString(36).padStart(7, '0').slice(-7)}`;
}
