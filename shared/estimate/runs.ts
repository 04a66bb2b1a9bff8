/**
 * The estimate and runs: the characters preprocess counted in earlier runs (so the next estimate uses
 * real counts), a running node's time left from its progress lines, and the pipeline's time left
 * (the critical path of what remains, with the estimate for nodes not started yet).
 */
import type { PipelineDocument } from '../pipeline/types.ts';
import { TERMINAL_NODE_PHASES, type NodeRunState, type Progress, type RunSummary } from '../runs/types.ts';
import type { PipelineEstimate } from './types.ts';

/** Per node id, the characters and records the latest run of `pipelineName` counted (preprocess's `chars` and `kept`). */
export function preprocessCountsFromRuns(runs: readonly RunSummary[], pipelineName: string): Record<string, { chars: number; records?: number }> {
  const out: Record<string, { chars: number; records?: number }> = {};
  const latestFirst = runs.filter((r) => r.pipelineName === pipelineName).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  for (const run of latestFirst) {
    for (const [id, node] of Object.entries(run.nodes)) {
      const chars = node.lastMetrics?.chars;
      if (out[id] || node.phase !== 'succeeded' || typeof chars !== 'number' || !(chars > 0)) continue;
      const kept = node.lastMetrics?.kept;
      out[id] = typeof kept === 'number' && kept > 0 ? { chars, records: kept } : { chars };
    }
  }
  return out;
}

/** A progress bar as first seen: the pace since then leaves out the start-up and model loading before it. */
export interface ProgressAnchor {
  atMs: number;
  current: number;
  total: number;
  label?: string;
}

/**
 * The anchor to keep for `p`: the old one while the bar has the same total and has not gone back, else a new
 * one at `p`. Labels are not compared: a training step prints the Trainer's own tqdm bar (no label) and its
 * step/max_steps lines (`train`) over the same steps, one after the other.
 */
export function nextAnchor(anchor: ProgressAnchor | null, p: Progress, seenAtMs: number): ProgressAnchor {
  if (anchor && anchor.total === p.total && p.current >= anchor.current) return anchor;
  return { atMs: seenAtMs, current: p.current, total: p.total, ...(p.label !== undefined ? { label: p.label } : {}) };
}

/** Whether `anchor` was taken on a bar of the same total as `p`, and the bar has moved since. */
function movedSince(anchor: ProgressAnchor | undefined, p: Progress): anchor is ProgressAnchor {
  return anchor !== undefined && anchor.total === p.total && p.current > anchor.current;
}

/**
 * Seconds a running node has left: tqdm's own estimate, else its rate, else the pace since the bar was
 * first seen (`anchor`, when it has moved since), else the pace since the node started.
 * `seenAtMs` is when this progress arrived: the figure counts down from then until the next line.
 * A finished bar (loading checkpoint shards, a datasets map) says nothing of the work after it: unknown.
 */
export function nodeSecondsLeft(node: Pick<NodeRunState, 'phase' | 'progress' | 'startedAt'>, nowMs: number, seenAtMs?: number, anchor?: ProgressAnchor): number | undefined {
  const p = node.progress;
  if (node.phase !== 'running' || !p || !(p.total > 0)) return undefined;
  const left = p.total - p.current;
  if (!(left > 0)) return undefined;
  const seen = seenAtMs ?? nowMs;
  const since = Math.max(0, (nowMs - seen) / 1000);
  if (p.etaSeconds !== undefined && Number.isFinite(p.etaSeconds)) return Math.max(0, p.etaSeconds - since);
  if (p.rate !== undefined && p.rate > 0) return Math.max(0, left / p.rate - since);
  if (movedSince(anchor, p) && seen > anchor.atMs) return Math.max(0, (((seen - anchor.atMs) / 1000) * left) / (p.current - anchor.current) - since);
  const started = node.startedAt ? Date.parse(node.startedAt) : NaN;
  if (!(p.current > 0) || Number.isNaN(started)) return undefined;
  return Math.max(0, ((nowMs - started) / 1000) * (left / p.current));
}

export interface RemainingTime {
  /** Seconds until the last node should finish, along the critical path of what remains. */
  seconds: number;
  /** Some GPU node's remaining time is unknown (no estimate, no progress yet): the figure is a lower bound. */
  partial: boolean;
}

/** Time left for a run: finished nodes count nothing, running ones their progress (or the estimate less the time spent), pending ones the estimate. */
export function runSecondsLeft(
  doc: PipelineDocument,
  run: RunSummary,
  estimate: PipelineEstimate,
  nowMs: number,
  /** A running node's time left from its progress (the app passes one that knows when each line arrived). */
  fromProgressOf: (nodeId: string, state: NodeRunState) => number | undefined = (_id, state) => nodeSecondsLeft(state, nowMs),
): RemainingTime {
  const estimated = new Map(estimate.nodes.map((n) => [n.id, n.hours === null ? undefined : n.hours * 3600]));
  let partial = false;
  const left = new Map<string, number>();
  for (const node of doc.nodes) {
    const state = run.nodes[node.id] ?? { phase: 'pending' as const };
    if (TERMINAL_NODE_PHASES.includes(state.phase)) continue;
    const fromProgress = fromProgressOf(node.id, state);
    const planned = estimated.get(node.id);
    const spent = state.startedAt ? Math.max(0, (nowMs - Date.parse(state.startedAt)) / 1000) : 0;
    const seconds = fromProgress ?? (planned === undefined ? undefined : Math.max(0, planned - (state.phase === 'running' ? spent : 0)));
    if (seconds === undefined && estimated.has(node.id)) partial = true;
    left.set(node.id, seconds ?? 0);
  }
  const sources = new Map<string, string[]>();
  for (const e of doc.edges) sources.set(e.target, [...(sources.get(e.target) ?? []), e.source]);
  const finish = new Map<string, number>();
  const visit = (id: string, depth = 0): number => {
    const known = finish.get(id);
    if (known !== undefined) return known;
    if (depth > doc.nodes.length) return 0;
    const before = (sources.get(id) ?? []).reduce((max, source) => Math.max(max, visit(source, depth + 1)), 0);
    const value = before + (left.get(id) ?? 0);
    finish.set(id, value);
    return value;
  };
  const seconds = doc.nodes.reduce((max, n) => Math.max(max, visit(n.id)), 0);
  return { seconds, partial };
}

/**
 * Remembers, per node, when its current progress line arrived and where its bar was first seen, so its
 * time left counts down between lines and its pace leaves out what came before the bar.
 */
export class ProgressClock {
  private readonly seen = new Map<string, { progress: Progress; atMs: number; anchor: ProgressAnchor }>();

  /** Seconds `node` has left from its progress, as of `nowMs`. */
  secondsLeft(key: string, node: Pick<NodeRunState, 'phase' | 'progress' | 'startedAt'>, nowMs: number): number | undefined {
    const p = node.progress;
    if (!p) return nodeSecondsLeft(node, nowMs);
    let entry = this.seen.get(key);
    if (!entry || entry.progress !== p) {
      entry = { progress: p, atMs: nowMs, anchor: nextAnchor(entry?.anchor ?? null, p, nowMs) };
      this.seen.set(key, entry);
    }
    return nodeSecondsLeft(node, Math.max(nowMs, entry.atMs), entry.atMs, entry.anchor);
  }
}
