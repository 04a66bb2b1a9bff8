/** The pipeline document, `*.pipewright.json`, format `pipewright.pipeline/v2` (see DESIGN.md). */
import type { AlertSettings } from '../alerts/types.ts';

export const PIPELINE_FORMAT = 'pipewright.pipeline/v2';
export const PIPELINE_FORMAT_VERSION = 2;

export type ParamValue = string | number | boolean | string[];

/** A node parameter that takes the run's value of a pipeline parameter: `{ "$param": "cpt_learning_rate" }`. */
export interface ParamBinding {
  $param: string;
}

/** What a node's `params` entry holds: a value, or a binding to a pipeline parameter. */
export type NodeParamValue = ParamValue | ParamBinding;

export type PipelineParameterType = 'number' | 'integer' | 'string' | 'boolean';
export const PIPELINE_PARAMETER_TYPES: readonly PipelineParameterType[] = ['number', 'integer', 'string', 'boolean'];

/** A value a pipeline parameter can hold. */
export type PipelineParameterValue = number | string | boolean;

/** A run-time pipeline parameter (format v2): set per run, bound to node params with `{ "$param": name }`. */
export interface PipelineParameter {
  /** Lowercase letters, digits and '_', starting with a letter; at most 63 characters. */
  name: string;
  type: PipelineParameterType;
  /** Without one, every run must give a value. */
  default?: PipelineParameterValue;
  description?: string;
}

export interface Position {
  x: number;
  y: number;
}

export interface SecretEnvRef {
  /** Kubernetes Secret name. */
  secret: string;
  /** Key inside the Secret. */
  key: string;
  /** Environment variable the step sees. */
  env: string;
}

export interface PipelineSettings {
  namespace?: string;
  image?: string;
  pipelineRoot?: string;
  mlflowTrackingUri?: string;
  secretEnv?: SecretEnvRef[];
  /** MLflow experiment the steps log to; default: the pipeline's name. */
  mlflowExperiment?: string;
  /** When set, the trained model is registered in MLflow as a new version of this model. */
  registeredModelName?: string;
  /** Cluster targets: the PersistentVolumeClaim training steps checkpoint to. */
  checkpointPvc?: string;
  /** Steps push their metrics to this Prometheus Pushgateway (PIPEWRIGHT_PUSHGATEWAY_URL), e.g. `http://pushgateway.monitoring:9091`. */
  pushgatewayUrl?: string;
  /** What Pipewright watches for while a run goes, and whether it only notifies or stops the run. */
  alerts?: AlertSettings;
}

export interface Toleration {
  key?: string;
  operator?: 'Exists' | 'Equal';
  value?: string;
  effect?: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
  tolerationSeconds?: number;
}

export interface NodeResources {
  gpus?: number;
  gpuResource?: string;
  gpuProduct?: string;
  cpu?: string;
  memory?: string;
  tolerations?: Toleration[];
}

export type PortKind = 'dataset' | 'model' | 'metrics' | 'endpoint';
export const PORT_KINDS: readonly PortKind[] = ['dataset', 'model', 'metrics', 'endpoint'];

export interface PortSpec {
  name: string;
  kind: PortKind;
  /** An optional input may stay unconnected. Outputs ignore it. */
  optional?: boolean;
  title?: LocalizedText;
}

export interface LocalizedText {
  en: string;
  ko: string;
}

export type ParamType = 'number' | 'integer' | 'string' | 'boolean' | 'enum' | 'string-list';

export interface ParamSpec {
  name: string;
  type: ParamType;
  default?: ParamValue;
  required?: boolean;
  min?: number;
  max?: number;
  /** Suggested increment for number inputs. */
  step?: number;
  enum?: string[];
  unit?: string;
  title: LocalizedText;
  help: LocalizedText;
}

/** Ports and parameters a custom `python` node declares for itself. */
export interface CustomNodeInterface {
  inputs: PortSpec[];
  outputs: PortSpec[];
  parameters: ParamSpec[];
}

export interface PipelineNode {
  /** Unique; lowercase letters, digits, '-'. Also the task / stage name in every target. */
  id: string;
  type: string;
  label?: string;
  position: Position;
  /** Missing parameters take the catalog default; a binding takes the run's value of a pipeline parameter. */
  params?: Record<string, NodeParamValue>;
  resources?: NodeResources;
  retries?: number;
  cache?: boolean;
  /** Only for type `python`: the step's source code. */
  code?: string;
  /** Only for type `python`: its ports and parameters (additive to the v1 format). */
  interface?: CustomNodeInterface;
  /** Container image of this step; else the type's default, else `settings.image` (see shared/pipeline/image.ts). */
  image?: string;
  /** This node's alert rules, over the pipeline's `settings.alerts`. */
  alerts?: AlertSettings;
}

export interface PipelineEdge {
  id: string;
  source: string;
  sourceHandle: string;
  target: string;
  targetHandle: string;
}

export interface PipelineDocument {
  format: typeof PIPELINE_FORMAT;
  /** Lowercase letters, digits, '-'; at most 63 characters. */
  name: string;
  description?: string;
  settings?: PipelineSettings;
  /** Run-time pipeline parameters (format v2). */
  parameters?: PipelineParameter[];
  nodes: PipelineNode[];
  edges: PipelineEdge[];
}

/** True for a `{ "$param": NAME }` binding (and nothing else). */
export function isParamBinding(value: unknown): value is ParamBinding {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && keys[0] === '$param' && typeof (value as ParamBinding).$param === 'string';
}

export type Severity = 'error' | 'warning';

/** Where a problem is: the most specific of these that apply. */
export interface ProblemLocation {
  nodeId?: string;
  edgeId?: string;
  /** A parameter name. */
  param?: string;
  /** Any other field, dotted: `resources.gpus`, `name`, `settings.secretEnv.0.key`. */
  field?: string;
  /** Every node involved, when there are several (a cycle names all of its nodes). */
  nodeIds?: string[];
  /** Every edge involved, when there are several (the edges into an input with two sources). */
  edgeIds?: string[];
}

export interface Problem {
  severity: Severity;
  /** Stable machine-readable code, e.g. `param-out-of-range`. */
  code: string;
  message: string;
  location: ProblemLocation;
}
