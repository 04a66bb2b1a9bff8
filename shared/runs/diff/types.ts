/** The run diff (issue 12): what changed between two runs, or a run and the current document, and whether it got better. */
import type { PipelineDocument } from '../../pipeline/types.ts';
import type { InputHash, MetricRecord, RunSummary } from '../types.ts';

/** One side of a diff: a recorded run (summary, inputs, parameter values), or the document being edited (no run). */
export interface DiffSide {
  /** The run id, or a name for the document ("current document"). */
  label: string;
  document: PipelineDocument;
  run?: RunSummary & { inputs?: InputHash[]; parameterValues?: Record<string, string | number | boolean> };
  /** Full metric records per node (for the curves); absent = final values only. */
  curves?: Readonly<Record<string, readonly MetricRecord[]>>;
}

export type Change = 'added' | 'removed' | 'changed' | 'same';
/** Better, worse, or neither (a value without a direction, or no difference). */
export type Verdict = 'improved' | 'regressed' | 'neutral';

export interface NodeChange {
  nodeId: string;
  type: string;
  change: Change;
  /** For `changed`: which fields (`params.learning_rate`, `resources.gpus`, `image`, `code`, `type`, ...). */
  fields: string[];
}

export interface EdgeChange {
  /** `source.sourceHandle -> target.targetHandle` (edge ids are not compared: they are arbitrary). */
  key: string;
  source: string;
  target: string;
  change: Exclude<Change, 'changed'>;
}

/** A value shown side by side, as text; undefined where that side has none. */
export interface ValueRow {
  /** The node it belongs to; absent for pipeline-wide rows. */
  nodeId?: string;
  field: string;
  a?: string;
  b?: string;
  change: Change;
}

/** A number side by side, with the change and whether it is better. */
export interface NumberRow {
  /** The node; absent for the pipeline's total. */
  nodeId?: string;
  key: string;
  a?: number;
  b?: number;
  /** b - a, when both are known. */
  delta?: number;
  verdict: Verdict;
}

export type MetricGroup = 'training' | 'evaluation' | 'benchmark';

export interface MetricRow extends NumberRow {
  nodeId: string;
  group: MetricGroup;
}

export interface CurveSeries {
  label: string;
  steps: number[];
  values: number[];
}

/** One chart: a node's metric, a curve per run that logged it. */
export interface CurveSet {
  nodeId: string;
  key: string;
  series: CurveSeries[];
}

export interface DiffSideInfo {
  label: string;
  kind: 'run' | 'document';
  pipelineName: string;
  phase?: string;
  target?: string;
  createdAt?: string;
}

export interface RunDiff {
  a: DiffSideInfo;
  b: DiffSideInfo;
  graph: { nodes: NodeChange[]; edges: EdgeChange[] };
  /** Node fields that differ (catalog defaults and pipeline parameter values filled in). */
  fields: ValueRow[];
  /** Pipeline parameters: the run's value (else the default) on each side. */
  parameters: ValueRow[];
  images: ValueRow[];
  resources: ValueRow[];
  /** Content hashes of dataset inputs and python code. */
  inputs: ValueRow[];
  /** The engine each step ran with (the `engine` parameter on a side that did not run). */
  engines: ValueRow[];
  /** Seconds per step and in total: lower is better. */
  durations: NumberRow[];
  /** GPUs x hours per step and in total: lower is better. */
  gpuHours: NumberRow[];
  metrics: MetricRow[];
  curves: CurveSet[];
  /** How many rows improved and regressed (metrics, durations, GPU-hours). */
  score: { improved: number; regressed: number };
}
