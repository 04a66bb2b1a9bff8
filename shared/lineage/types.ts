/** Lineage across runs: which data produced which model, evaluated how, deployed where (built by ./build.ts). */
import type { PortKind } from '../pipeline/types.ts';
import type { NodePhase, RunPhase, RunRecord, RunTarget } from '../runs/types.ts';

/** What the builder reads of a run: a RunRecord has all of it. */
export type LineageRunInput = Pick<RunRecord, 'id' | 'pipelineName' | 'target' | 'phase' | 'createdAt' | 'document' | 'nodes' | 'inputs' | 'parameterValues'>;

export interface LineageArtifact {
  /** The output port, or `uri` / `data_uri` / `code` for what a node reads from outside the run. */
  port: string;
  kind?: PortKind;
  sha256?: string;
  bytes?: number;
  /** A dataset's URI as the run resolved it. */
  uri?: string;
  /** Why there is no content hash. */
  unavailable?: string;
  /** Read from outside the run (a dataset's URI, ko-bench's data, a python step's code), not made by it. */
  input?: boolean;
}

/** Where the same thing shows up in another run. */
export interface LineageMatch {
  runId: string;
  nodeId: string;
  createdAt: string;
  phase: NodePhase;
  /** `sha256`: an artifact with the same content; `model-version`: the same registered model version. */
  how: 'sha256' | 'model-version';
  /** The shared content hash, or `name/version` of the model. */
  key: string;
}

export interface LineageDeploy {
  namespace: string;
  kind: 'Deployment' | 'Rollout';
  name?: string;
  /** The rollout's last phase (Rendered: a local run, nothing applied). */
  phase?: string;
  applied: boolean;
  model?: { name: string; version: string };
}

export interface LineageStep {
  nodeId: string;
  type: string;
  label?: string;
  phase: NodePhase;
  /** Relative to the node the lineage was asked for; `run` when it was asked for the whole run. */
  relation: 'upstream' | 'focus' | 'downstream' | 'run';
  /** The nodes of its run it reads from. */
  from: string[];
  artifacts: LineageArtifact[];
  /** A model's training steps, oldest first (cpt then sft). */
  trainedBy?: { nodeId: string; type: string }[];
  baseModel?: string;
  /** Its final metrics (last value of each). */
  metrics?: Record<string, number>;
  deploy?: LineageDeploy;
  /** The model version it registered (training) or serves (deploy), from MLflow. */
  model?: { name: string; version: string; url?: string };
  mlflowRun?: { id: string; url?: string };
  /** The same content or model version in other runs, newest first. */
  elsewhere: LineageMatch[];
}

export interface LineageRun {
  id: string;
  pipelineName: string;
  target: RunTarget;
  phase: RunPhase;
  createdAt: string;
}

/** Another run that shares something with the lineage, and what it made of it. */
export interface LineageRelatedRun extends LineageRun {
  shared: { here: string; there: string; how: LineageMatch['how']; key: string }[];
  /** Its steps downstream of what is shared that trained, evaluated, registered or deployed something. */
  steps: LineageStep[];
}

export interface Lineage {
  run: LineageRun;
  /** The node asked for; absent: the whole run. */
  focus?: string;
  /** The focus node's upstream, itself and its downstream (or every node), in dependency order. */
  steps: LineageStep[];
  /** Other runs sharing an artifact or model version with these steps, newest first. */
  related: LineageRelatedRun[];
}
