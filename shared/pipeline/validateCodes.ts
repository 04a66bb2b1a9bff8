/** Every problem the validator can report: a stable code, its severity and what it means. */
import type { Problem, ProblemLocation, Severity } from './types.ts';

export const PROBLEM_CODES = {
  'name-invalid': ['error', 'The pipeline name breaks the naming rule (lowercase letters, digits, "-"; starts with a letter; ends with a letter or digit; at most 63 characters).'],
  'pipeline-empty': ['warning', 'The pipeline has no nodes.'],
  'field-unknown': ['warning', 'A field this version does not know (often a typo); it is ignored.'],
  'settings-invalid': ['error', 'A pipeline setting is malformed: namespace not a DNS-1123 label, image empty or with spaces, pipelineRoot or mlflowTrackingUri without a scheme, mlflowExperiment or registeredModelName empty or with control characters, checkpointPvc not a PVC name, pushgatewayUrl not an http(s) URL.'],
  'secret-env-invalid': ['error', 'A settings.secretEnv entry is malformed: secret not a DNS-1123 name, key not a valid Secret key, env not a valid environment variable name.'],
  'secret-env-duplicate': ['error', 'Two settings.secretEnv entries set the same environment variable.'],
  'node-id-invalid': ['error', 'A node id breaks the naming rule (the same rule as the pipeline name).'],
  'node-id-duplicate': ['error', 'Two nodes share an id.'],
  'node-type-unknown': ['error', 'A node type that is not in the node catalog.'],
  'node-field-invalid': ['error', 'A node field has the wrong type (label not text, cache not true/false).'],
  'code-not-allowed': ['error', 'A node other than a python node carries code.'],
  'python-code-missing': ['error', 'A python node has no code.'],
  'interface-not-allowed': ['error', 'A node other than a python node declares its own ports and parameters.'],
  'python-interface-invalid': ['error', 'A python node declares a malformed port or parameter (name, kind, type, default, range, enum, duplicates).'],
  'retries-invalid': ['error', 'retries is not a whole number from 0 to 10.'],
  'param-unknown': ['error', 'A parameter the node type does not declare.'],
  'param-type': ['error', 'A parameter value of the wrong type (text for a number, a fraction for an integer...).'],
  'param-out-of-range': ['error', 'A parameter value below its minimum or above its maximum.'],
  'param-not-in-enum': ['error', 'A parameter value that is not one of its allowed choices.'],
  'param-required': ['error', 'A required parameter without a value or default.'],
  'resources-gpus-invalid': ['error', 'resources.gpus is not a whole number of 0 or more.'],
  'resources-cpu-invalid': ['error', 'resources.cpu is not a positive Kubernetes quantity ("32", "500m", "1.5").'],
  'resources-memory-invalid': ['error', 'resources.memory is not a positive Kubernetes quantity ("200Gi", "512Mi", "1e9").'],
  'resources-memory-tiny': ['warning', 'resources.memory is under 1 MiB, usually "m" (milli) written for "Mi".'],
  'resources-gpu-resource-invalid': ['error', 'resources.gpuResource is not an extended resource name like nvidia.com/gpu.'],
  'resources-gpu-product-invalid': ['error', 'resources.gpuProduct is not a valid Kubernetes label value.'],
  'resources-toleration-invalid': ['error', 'A toleration is malformed (operator, value, effect, key, tolerationSeconds).'],
  'gpu-resource-missing': ['warning', 'The node asks for GPUs but names no gpuResource.'],
  'dataset-uri-relative': ['warning', 'A dataset URI is a relative path, which depends on where the pipeline runs.'],
  'edge-id-invalid': ['error', 'An edge id is empty, too long or holds spaces or control characters.'],
  'edge-id-duplicate': ['error', 'Two edges share an id.'],
  'edge-node-missing': ['error', 'An edge starts or ends at a node that does not exist.'],
  'edge-port-missing': ['error', 'An edge names a port (handle) its node does not have.'],
  'edge-kind-mismatch': ['error', 'An edge joins ports of different kinds (dataset, model, metrics, endpoint).'],
  'input-multiple-sources': ['error', 'An input port has more than one incoming edge.'],
  'input-unconnected': ['error', 'A required input port has no incoming edge.'],
  'parameter-invalid': ['error', 'A pipeline parameter is malformed: name not lowercase letters, digits and "_", type not number, integer, string or boolean, description not text.'],
  'parameter-duplicate': ['error', 'Two pipeline parameters share a name.'],
  'parameter-name-taken': ['error', 'A pipeline parameter has the name of a node id (DVC keeps both at the top of params.yaml).'],
  'parameter-value-type': ['error', "A pipeline parameter's value (its default or a run's) does not fit its type, or holds a control character."],
  'parameter-unused': ['warning', 'A pipeline parameter no node parameter is bound to.'],
  'param-binding-invalid': ['error', 'A node parameter holds an object with "$param" that is not exactly {"$param": "<name>"}.'],
  'param-binding-unknown': ['error', 'A node parameter is bound to a pipeline parameter that does not exist.'],
  'param-binding-type': ['error', "A node parameter is bound to a pipeline parameter whose type does not fit (a whole-number parameter bound to a number, a list to anything)."],
  'param-binding-not-allowed': ['error', "A parameter of a dataset node is bound: it decides at compile time how the data is fetched."],
  'image-invalid': ['error', "A node's image is empty, holds spaces or \"{{\"."],
  'image-lacks-packages': ['warning', "A step's image is known not to carry the Python packages its engine imports (e.g. PyTorch's plain image for Unsloth)."],
  'alerts-invalid': ['error', 'An alert setting (settings.alerts or a node\'s alerts) is malformed: action not notify/cancel, enabled not true/false, a threshold out of range.'],
  cycle: ['error', 'Nodes that depend on each other in a loop; a pipeline must flow one way.'],
  'gpu-memory-exceeded': ['error', 'A step needs more GPU memory per GPU than its GPU product has (estimate, docs/estimate.md).'],
  'gpu-memory-tight': ['warning', 'A step needs more than 90 % of its GPU product memory (estimate): little room for spikes.'],
  'model-unknown': ['warning', 'The base model is neither in the estimate table nor a local folder with a readable config.json: memory and time are not estimated.'],
  'gpu-product-unknown': ['warning', 'The GPU product is not in the estimate table: memory fit and time are not checked.'],
} as const satisfies Record<string, readonly [Severity, string]>;

export type ProblemCode = keyof typeof PROBLEM_CODES;

export interface ProblemCodeInfo {
  code: ProblemCode;
  severity: Severity;
  description: string;
}

/** All codes with their severity and a short description, in a stable order. */
export const PROBLEM_CODE_LIST: readonly ProblemCodeInfo[] = (Object.keys(PROBLEM_CODES) as ProblemCode[]).map((code) => ({
  code,
  severity: PROBLEM_CODES[code][0],
  description: PROBLEM_CODES[code][1],
}));

export function problem(code: ProblemCode, message: string, location: ProblemLocation = {}): Problem {
  return { severity: PROBLEM_CODES[code][0], code, message, location };
}

/** A value as it appears in a message: strings quoted, everything else as JSON. */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
