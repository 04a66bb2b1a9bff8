/** The pipeline document, `*.pipewright.json`, format `pipewright.pipeline/v1` (see DESIGN.md). */

export const PIPELINE_FORMAT = 'pipewright.pipeline/v1';
export const PIPELINE_FORMAT_VERSION = 1;

export type ParamValue = string | number | boolean | string[];

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
  /** Missing parameters take the catalog default. */
  params?: Record<string, ParamValue>;
  resources?: NodeResources;
  retries?: number;
  cache?: boolean;
  /** Only for type `python`: the step's source code. */
  code?: string;
  /** Only for type `python`: its ports and parameters (additive to the v1 format). */
  interface?: CustomNodeInterface;
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
  nodes: PipelineNode[];
  edges: PipelineEdge[];
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
