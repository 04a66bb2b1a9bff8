/** What the canvas shows of a run, keyed by node id. Filled by whoever follows run events. */
import type { StateCreator } from 'zustand';
import type { DeployStatus, MlflowLinks, NodeHint, NodePhase, Progress } from '../../shared/runs/types.ts';
import type { BenchBar } from '../runs/benchBars.ts';
import type { AppState } from './types.ts';

export const SPARKLINE_POINTS = 60;

export interface NodeRunView {
  phase: NodePhase;
  /** 0..1, or undefined when unknown. */
  progress?: number;
  /** A running node's last progress line and start, for its time left. */
  timing?: { progress: Progress; startedAt?: string };
  /** Most recent loss values, oldest first, at most SPARKLINE_POINTS. */
  loss?: number[];
  /** The engine that ran the step (tiny, transformers, unsloth), once it said. */
  engine?: string;
  /** Why the node is stuck or failed (Unschedulable, OOMKilled, ...). */
  hint?: NodeHint;
  /** Evaluation results the card shows (accuracy, perplexity), from the node's last metrics. */
  scores?: Record<string, number>;
  /** Benchmark accuracies (and the base model's) the card draws as bars. */
  bench?: BenchBar[];
  /** The deploy step's rollout as last reported. */
  deploy?: DeployStatus;
  /** Links to the step's MLflow run and model version. */
  mlflow?: MlflowLinks;
}

export interface RunViewSlice {
  runView: Record<string, NodeRunView>;
  setNodeRunView(nodeId: string, patch: Partial<NodeRunView>): void;
  appendLoss(nodeId: string, values: readonly number[]): void;
  clearRunView(): void;
}

export const createRunViewSlice: StateCreator<AppState, [], [], RunViewSlice> = (set, get) => ({
  runView: {},
  setNodeRunView(nodeId, patch) {
    const current = get().runView[nodeId] ?? { phase: 'pending' as const };
    set({ runView: { ...get().runView, [nodeId]: { ...current, ...patch } } });
  },
  appendLoss(nodeId, values) {
    const current = get().runView[nodeId] ?? { phase: 'running' as const };
    const loss = [...(current.loss ?? []), ...values].slice(-SPARKLINE_POINTS);
    set({ runView: { ...get().runView, [nodeId]: { ...current, loss } } });
  },
  clearRunView: () => set({ runView: {} }),
});
