/**
 * Run events folded into what the renderer keeps: run summaries (shared reducer), each run's
 * connection state, the shown run's metric series, and the canvas's per-node view. Pure functions.
 */
import { applyRunEvent } from '../../shared/runs/state.ts';
import type { MetricRecord, NodeHint, NodeRunState, RunEvent, RunSummary } from '../../shared/runs/types.ts';
import type { NodeRunView } from '../store/runViewSlice.ts';
import { SPARKLINE_POINTS } from '../store/runViewSlice.ts';
import { benchBars } from './benchBars.ts';

export interface RunConnection {
  state: 'connected' | 'disconnected';
  message?: string;
}

export interface RunsData {
  runs: Record<string, RunSummary>;
  /** Runs known only from their events so far (started elsewhere): the next list read fills them in. */
  stubRunIds: Record<string, true>;
  connections: Record<string, RunConnection>;
  /** Metric records per node of the run in `seriesRunId` (the run shown on the canvas). */
  series: Record<string, MetricRecord[]>;
  seriesRunId: string | null;
}

export interface FoldResult {
  data: RunsData;
  /** Nodes of the shown run whose view changed. */
  touchedNodes: Set<string>;
  /** Whether any run's summary changed (the runs list re-renders). */
  runsChanged: boolean;
}

/** Most points a node's series keeps; beyond it the older half is thinned to every other point. */
export const MAX_SERIES_POINTS = 4000;

export function appendSeries(series: readonly MetricRecord[], records: readonly MetricRecord[], cap = MAX_SERIES_POINTS): MetricRecord[] {
  let out = [...series, ...records];
  while (out.length > cap) {
    const half = Math.floor(out.length / 2);
    out = [...out.slice(0, half).filter((_, i) => i % 2 === 0), ...out.slice(half)];
  }
  return out;
}

function stubSummary(event: RunEvent): RunSummary {
  const at = 'at' in event ? event.at : new Date().toISOString();
  return { id: event.runId, pipelineName: '', target: 'local', phase: 'pending', createdAt: at, nodes: {} };
}

export function foldRunEvents(data: RunsData, events: readonly RunEvent[]): FoldResult {
  let { runs, stubRunIds, connections, series } = data;
  const touchedNodes = new Set<string>();
  let runsChanged = false;
  for (const event of events) {
    if (event.kind === 'log') continue;
    if (event.kind === 'connection') {
      connections = { ...connections, [event.runId]: { state: event.state, ...(event.message ? { message: event.message } : {}) } };
      continue;
    }
    let before = runs[event.runId];
    if (!before) {
      before = stubSummary(event);
      stubRunIds = { ...stubRunIds, [event.runId]: true };
    }
    const after = applyRunEvent(before, event);
    if (after !== before || !runs[event.runId]) {
      runs = { ...runs, [event.runId]: after };
      runsChanged = true;
    }
    // A run that reports again after a disconnect is connected again.
    if (connections[event.runId]?.state === 'disconnected' && (event.kind === 'node-phase' || event.kind === 'run-phase')) {
      connections = { ...connections, [event.runId]: { state: 'connected' } };
    }
    if (event.runId !== data.seriesRunId || event.kind === 'run-phase') continue;
    touchedNodes.add(event.nodeId);
    if (event.kind === 'metrics' && event.records.length > 0) {
      series = { ...series, [event.nodeId]: appendSeries(series[event.nodeId] ?? [], event.records) };
    }
  }
  return { data: { ...data, runs, stubRunIds, connections, series }, touchedNodes, runsChanged };
}

/** Runs from the back end's list, merged with what events already told: a run's freshest state wins. */
export function mergeRunList(data: RunsData, list: readonly RunSummary[]): RunsData {
  const runs: Record<string, RunSummary> = {};
  for (const summary of list) {
    const local = data.runs[summary.id];
    runs[summary.id] = !local ? summary : data.stubRunIds[summary.id] ? mergeStub(summary, local) : newer(summary, local);
  }
  // Runs that events announced after the list was read stay.
  for (const [id, run] of Object.entries(data.runs)) if (!runs[id] && data.stubRunIds[id]) runs[id] = run;
  const stubRunIds: Record<string, true> = {};
  for (const id of Object.keys(data.stubRunIds)) if (!list.some((s) => s.id === id)) stubRunIds[id] = true;
  return { ...data, runs, stubRunIds };
}

/** A run known from its events gets its identity from the list, and keeps the node states the events gave. */
export function mergeStub(server: RunSummary, local: RunSummary): RunSummary {
  return { ...server, phase: local.phase !== 'pending' ? local.phase : server.phase, ...(local.finishedAt ? { finishedAt: local.finishedAt } : {}), nodes: { ...server.nodes, ...local.nodes } };
}

const TERMINAL = new Set(['succeeded', 'failed', 'cancelled', 'error']);

function newer(server: RunSummary, local: RunSummary): RunSummary {
  // The list catches up what was missed while disconnected; live state is kept while the run goes on.
  if (TERMINAL.has(server.phase) && !TERMINAL.has(local.phase)) return server;
  if (server.phase === 'running' && local.phase === 'pending') return server;
  return local;
}

/** The newest run of this pipeline (by start time), or null. */
export function latestRunId(runs: Record<string, RunSummary>, pipelineName: string): string | null {
  let best: RunSummary | null = null;
  for (const run of Object.values(runs)) {
    if (run.pipelineName !== pipelineName) continue;
    if (!best || run.createdAt > best.createdAt || (run.createdAt === best.createdAt && run.id > best.id)) best = run;
  }
  return best?.id ?? null;
}

export function lossValues(records: readonly MetricRecord[] | undefined, max = SPARKLINE_POINTS): number[] | undefined {
  if (!records) return undefined;
  const out: number[] = [];
  for (let i = records.length - 1; i >= 0 && out.length < max; i--) {
    const v = records[i].values.loss;
    if (typeof v === 'number' && Number.isFinite(v)) out.push(v);
  }
  return out.length > 0 ? out.reverse() : undefined;
}

function progressOf(node: NodeRunState): number | undefined {
  if (node.phase === 'succeeded' || node.phase === 'cached') return node.progress ? 1 : undefined;
  const p = node.progress;
  return p && p.total > 0 ? Math.max(0, Math.min(1, p.current / p.total)) : undefined;
}

/** Evaluation results worth a place on the card. */
export const SCORE_KEYS = ['accuracy', 'eval_accuracy', 'perplexity', 'eval_perplexity'] as const;

function scoresOf(node: NodeRunState): Record<string, number> | undefined {
  const picked = SCORE_KEYS.filter((k) => typeof node.lastMetrics?.[k] === 'number').map((k) => [k, node.lastMetrics![k]] as const);
  return picked.length > 0 ? Object.fromEntries(picked) : undefined;
}

export function nodeView(node: NodeRunState, records: readonly MetricRecord[] | undefined): NodeRunView {
  const view: NodeRunView = { phase: node.phase };
  const progress = progressOf(node);
  if (progress !== undefined) view.progress = progress;
  // The time left is worked out from the progress line itself (renderer/estimate/NodeEta.tsx).
  if (node.phase === 'running' && node.progress) view.timing = { progress: node.progress, ...(node.startedAt ? { startedAt: node.startedAt } : {}) };
  const loss = lossValues(records);
  if (loss) view.loss = loss;
  if (node.engine) view.engine = node.engine;
  const hint: NodeHint | null | undefined = node.hint;
  if (hint) view.hint = hint;
  const scores = scoresOf(node);
  if (scores) view.scores = scores;
  const bench = benchBars(node.lastMetrics);
  if (bench) view.bench = bench;
  if (node.deploy) view.deploy = node.deploy;
  if (node.mlflow && (node.mlflow.runUrl || node.mlflow.modelUrl)) view.mlflow = node.mlflow;
  return view;
}

/** The canvas's view of `run`: every node, or only `only` (the rest kept from `previous`). */
export function runViewOf(run: RunSummary | undefined, series: Record<string, MetricRecord[]>, previous: Record<string, NodeRunView>, only?: ReadonlySet<string>): Record<string, NodeRunView> {
  if (!run) return {};
  if (!only) return Object.fromEntries(Object.entries(run.nodes).map(([id, node]) => [id, nodeView(node, series[id])]));
  const next = { ...previous };
  for (const id of only) {
    const node = run.nodes[id];
    if (node) next[id] = nodeView(node, series[id]);
  }
  return next;
}

function recordKey(r: MetricRecord): string {
  return `${r.step}:${JSON.stringify(r.values)}`;
}

/** Records read from disk, then the live ones that arrived while reading and are not on disk yet. */
export function mergeSeries(disk: readonly MetricRecord[], live: readonly MetricRecord[] | undefined): MetricRecord[] {
  if (!live || live.length === 0) return [...disk];
  const seen = new Set(disk.map(recordKey));
  return appendSeries(disk, live.filter((r) => !seen.has(recordKey(r))));
}

/** The node the run panel shows: the one selected on the canvas, else the one chosen in the panel, else the one at work. */
export function panelNodeFor(run: RunSummary, selected: string | null, chosen: string | null): string | null {
  if (selected && run.nodes[selected]) return selected;
  if (chosen && run.nodes[chosen]) return chosen;
  const entries = Object.entries(run.nodes);
  const pick = (phase: string) => entries.find(([, n]) => n.phase === phase)?.[0];
  // A node skipped or cancelled before it ran gets start = finish: it has nothing to show.
  const ran = (n: NodeRunState) => Boolean(n.startedAt) && (!n.finishedAt || n.startedAt! < n.finishedAt);
  const started = entries.filter(([, n]) => ran(n)).sort(([, x], [, y]) => (x.startedAt! < y.startedAt! ? 1 : -1))[0]?.[0];
  return pick('running') ?? pick('failed') ?? started ?? entries[0]?.[0] ?? null;
}
