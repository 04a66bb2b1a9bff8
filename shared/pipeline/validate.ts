/**
 * validatePipeline: every problem of a loaded document against a node catalog, each with a
 * severity, a stable code (validateCodes.ts), a plain-English message and a location. Pure;
 * defensive about values of the wrong type, since documents come from files people edit.
 */
import { checkAlertSettings } from '../alerts/config.ts';
import type { NodeCatalog } from './catalog.ts';
import { nodeParamSpecs } from './resolve.ts';
import { problem, show } from './validateCodes.ts';
import { checkCycles, checkEdges, checkInputs, portsById } from './validateGraph.ts';
import { isDns1123Label, isDns1123Subdomain, isEnvVarName, isSecretKey, nameRuleViolation } from './validateNames.ts';
import { checkStepImage } from './imageCheck.ts';
import { parameterDefaults } from './parameters.ts';
import type { ParameterValues } from './parameters.ts';
import { resolveNode } from './resolve.ts';
import { checkParameters } from './validateParameters.ts';
import { checkInterface, checkParams } from './validateParams.ts';
import { checkGpuResource, checkResources, checkRetries } from './validateResources.ts';
import type { ParamSpec, PipelineDocument, PipelineNode, Problem } from './types.ts';

export { PROBLEM_CODES, PROBLEM_CODE_LIST, type ProblemCode, type ProblemCodeInfo } from './validateCodes.ts';

const DOCUMENT_FIELDS = ['format', 'name', 'description', 'settings', 'parameters', 'nodes', 'edges'];
const SETTINGS_FIELDS = ['namespace', 'image', 'pipelineRoot', 'mlflowTrackingUri', 'mlflowExperiment', 'registeredModelName', 'checkpointPvc', 'secretEnv', 'pushgatewayUrl', 'alerts'];
const NODE_FIELDS = ['id', 'type', 'label', 'position', 'image', 'params', 'resources', 'retries', 'cache', 'code', 'interface', 'alerts'];
/** A container image reference: no spaces, no `{{` (Argo and KFP would read it as a placeholder). */
const IMAGE_REFERENCE = /^(?!.*\{\{)\S+$/;
// eslint-disable-next-line no-control-regex -- names shown in MLflow and passed as env values: no control characters
const PLAIN_TEXT = /^[^\u0000-\u001f\u007f]+$/;
// It reaches env values and params.yaml as it is: no spaces, quotes, `$`, braces or backslashes.
const PUSHGATEWAY_URL = /^https?:\/\/[^\s"'`$\\{}]+$/;
const HAS_SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:\S*$/;
const SCHEME_PREFIX = /^[A-Za-z][A-Za-z0-9+.-]*:/;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function unknownFields(obj: Record<string, unknown>, known: readonly string[], where: string, location: { nodeId?: string }, prefix = ''): Problem[] {
  return Object.keys(obj)
    .filter((key) => !known.includes(key))
    .map((key) => problem('field-unknown', `${where} has an unknown field "${key}"; it is ignored.`, { ...location, field: `${prefix}${key}` }));
}

function checkSettings(settings: Record<string, unknown>): Problem[] {
  const problems = unknownFields(settings, SETTINGS_FIELDS, 'The pipeline settings', {}, 'settings.');
  const bad = (field: string, detail: string) => problems.push(problem('settings-invalid', `settings.${field} is ${show(settings[field])}; ${detail}.`, { field: `settings.${field}` }));
  const { namespace, image, pipelineRoot, mlflowTrackingUri, mlflowExperiment, registeredModelName, checkpointPvc, secretEnv } = settings;
  if (namespace !== undefined && !isDns1123Label(namespace)) bad('namespace', 'a namespace is lowercase letters, digits and "-", starting and ending with a letter or digit, at most 63 characters');
  if (image !== undefined && !(typeof image === 'string' && IMAGE_REFERENCE.test(image))) bad('image', 'it must be a container image reference without spaces or "{{"');
  if (mlflowExperiment !== undefined && !(typeof mlflowExperiment === 'string' && PLAIN_TEXT.test(mlflowExperiment) && mlflowExperiment.trim() !== '' && !mlflowExperiment.includes('{{'))) {
    bad('mlflowExperiment', 'it must be a non-empty experiment name on one line, without "{{" (leave it out to use the pipeline name)');
  }
  if (registeredModelName !== undefined && !(typeof registeredModelName === 'string' && PLAIN_TEXT.test(registeredModelName) && registeredModelName.trim() !== '' && !/[/:]|\{\{/.test(registeredModelName))) {
    bad('registeredModelName', 'it must be a non-empty model name on one line, without "/", ":" or "{{" (MLflow refuses those)');
  }
  if (checkpointPvc !== undefined && !isDns1123Subdomain(checkpointPvc)) bad('checkpointPvc', 'a PersistentVolumeClaim name is lowercase letters, digits, "-" and ".", at most 253 characters');
  if (pipelineRoot !== undefined && !(typeof pipelineRoot === 'string' && /^[A-Za-z][A-Za-z0-9+.-]*:\/\/\S+$/.test(pipelineRoot))) {
    bad('pipelineRoot', 'it must be a URI such as "s3://bucket/prefix" or "gs://bucket/prefix"');
  }
  if (mlflowTrackingUri !== undefined && !(typeof mlflowTrackingUri === 'string' && HAS_SCHEME.test(mlflowTrackingUri))) {
    bad('mlflowTrackingUri', 'it must be a URI such as "http://mlflow-server:5000"');
  }
  if (settings.pushgatewayUrl !== undefined && !(typeof settings.pushgatewayUrl === 'string' && PUSHGATEWAY_URL.test(settings.pushgatewayUrl))) {
    bad('pushgatewayUrl', 'it must be an http:// or https:// URL such as "http://pushgateway.monitoring:9091", without spaces, quotes, "$" or braces');
  }
  if (settings.alerts !== undefined) problems.push(...checkAlertSettings(settings.alerts, 'settings.alerts'));
  const envs = new Map<string, number>();
  (Array.isArray(secretEnv) ? secretEnv : []).forEach((entry, i) => {
    const field = `settings.secretEnv.${i}`;
    const report = (sub: string, detail: string) => problems.push(problem('secret-env-invalid', `Secret environment entry ${i + 1}: ${detail}.`, { field: `${field}${sub}` }));
    if (!isObject(entry)) return report('', `${show(entry)} is not an object {"secret", "key", "env"}`);
    if (!isDns1123Subdomain(entry.secret)) report('.secret', `secret ${show(entry.secret)} is not a Kubernetes Secret name (lowercase letters, digits, "-" and ".")`);
    if (!isSecretKey(entry.key)) report('.key', `key ${show(entry.key)} is not a valid Secret key (letters, digits, "-", "_" and ".")`);
    if (!isEnvVarName(entry.env)) report('.env', `env ${show(entry.env)} is not a valid environment variable name (letters, digits and "_", not starting with a digit)`);
    else if (envs.has(entry.env as string)) {
      problems.push(problem('secret-env-duplicate', `Environment variable ${entry.env} is set by secret entries ${envs.get(entry.env as string)! + 1} and ${i + 1}.`, { field: `${field}.env` }));
    } else envs.set(entry.env as string, i);
    problems.push(...unknownFields(entry, ['secret', 'key', 'env'], `Secret environment entry ${i + 1}`, {}, `${field}.`));
  });
  return problems;
}

function checkDocument(doc: PipelineDocument): Problem[] {
  const problems = unknownFields(doc as unknown as Record<string, unknown>, DOCUMENT_FIELDS, 'The pipeline', {});
  const why = nameRuleViolation(doc.name);
  if (why) problems.push(problem('name-invalid', `The pipeline name ${show(doc.name)} is not allowed: ${why}.`, { field: 'name' }));
  if (isObject(doc.settings)) problems.push(...checkSettings(doc.settings));
  if (doc.nodes.length === 0) problems.push(problem('pipeline-empty', 'The pipeline has no nodes yet.'));
  return problems;
}

/** `params` specs a node's values are checked against (well-formed ones only for python nodes). */
function paramSpecsOf(node: PipelineNode, catalog: NodeCatalog): ParamSpec[] | undefined {
  const spec = catalog.get(node.type);
  if (!spec) return undefined;
  const specs = nodeParamSpecs(node, spec);
  return Array.isArray(specs) ? specs.filter((s) => isObject(s) && typeof s.name === 'string') : [];
}

function checkNode(node: PipelineNode, catalog: NodeCatalog, seenIds: Set<string>, doc: PipelineDocument, values: ParameterValues): Problem[] {
  const nodeId = node.id;
  const raw = node as unknown as Record<string, unknown>;
  const problems = unknownFields(raw, NODE_FIELDS, `Node "${nodeId}"`, { nodeId });
  const why = nameRuleViolation(nodeId);
  if (why) problems.push(problem('node-id-invalid', `Node id ${show(nodeId)} is not allowed: ${why}.`, { nodeId, field: 'id' }));
  if (seenIds.has(nodeId)) problems.push(problem('node-id-duplicate', `Node id "${nodeId}" is used by more than one node; node ids must be unique.`, { nodeId, field: 'id' }));
  seenIds.add(nodeId);
  if (raw.label !== undefined && typeof raw.label !== 'string') problems.push(problem('node-field-invalid', `label of node "${nodeId}" is ${show(raw.label)}, not text.`, { nodeId, field: 'label' }));
  if (raw.cache !== undefined && typeof raw.cache !== 'boolean') problems.push(problem('node-field-invalid', `cache of node "${nodeId}" is ${show(raw.cache)}, not true or false.`, { nodeId, field: 'cache' }));
  if (raw.image !== undefined && !(typeof raw.image === 'string' && IMAGE_REFERENCE.test(raw.image))) {
    problems.push(problem('image-invalid', `image of node "${nodeId}" is ${show(raw.image)}; it must be a container image reference without spaces or "{{" (leave it out for the type's default).`, { nodeId, field: 'image' }));
  }
  problems.push(...checkRetries(nodeId, raw.retries));
  if (raw.alerts !== undefined) problems.push(...checkAlertSettings(raw.alerts, 'alerts', { nodeId }));
  if (isObject(raw.resources)) problems.push(...checkResources(nodeId, raw.resources));

  const spec = catalog.get(node.type);
  if (!spec) {
    const known = [...catalog.types.keys()].join(', ');
    problems.push(problem('node-type-unknown', `Node "${nodeId}" has type ${show(node.type)}, which is not in the node catalog (known types: ${known}).`, { nodeId, field: 'type' }));
    return problems;
  }
  const isPython = spec.type === 'python';
  if (!isPython && raw.code !== undefined) problems.push(problem('code-not-allowed', `Node "${nodeId}" is a ${spec.type} node and cannot carry code; only python nodes run their own code.`, { nodeId, field: 'code' }));
  if (!isPython && raw.interface !== undefined) problems.push(problem('interface-not-allowed', `Node "${nodeId}" is a ${spec.type} node; only python nodes declare their own ports and parameters.`, { nodeId, field: 'interface' }));
  if (isPython) {
    if (raw.code !== undefined && typeof raw.code !== 'string') problems.push(problem('node-field-invalid', `code of node "${nodeId}" is ${show(raw.code)}, not text.`, { nodeId, field: 'code' }));
    else if (typeof raw.code !== 'string' || raw.code.trim() === '') problems.push(problem('python-code-missing', `Python node "${nodeId}" has no code to run.`, { nodeId, field: 'code' }));
    if (isObject(raw.interface)) problems.push(...checkInterface(nodeId, raw.interface));
  }
  const params = isObject(raw.params) ? raw.params : {};
  problems.push(...checkParams(nodeId, params, paramSpecsOf(node, catalog) ?? []));
  const merged = { ...spec.defaultResources, ...(isObject(raw.resources) ? raw.resources : {}) };
  problems.push(...checkGpuResource(nodeId, merged));
  const resolved = isObject(raw.params) || raw.params === undefined ? resolveNode(node, catalog, values) : undefined;
  if (resolved && (raw.image === undefined || typeof raw.image === 'string')) problems.push(...checkStepImage(resolved, isObject(doc.settings) ? doc.settings : undefined, catalog));
  if (spec.type === 'dataset' && typeof params.uri === 'string' && params.uri.trim() !== '' && !params.uri.startsWith('/') && !SCHEME_PREFIX.test(params.uri)) {
    problems.push(
      problem('dataset-uri-relative', `Dataset node "${nodeId}" reads ${show(params.uri)}, a relative path that depends on where the pipeline runs; use an absolute path or a URI (s3://, gs://, https://, sample://).`, {
        nodeId,
        param: 'uri',
      }),
    );
  }
  return problems;
}

/** Every problem of `doc`, in a stable order: document, parameters, nodes, edges, inputs, cycles. */
export function validatePipeline(doc: PipelineDocument, catalog: NodeCatalog): Problem[] {
  const problems = checkDocument(doc);
  problems.push(...checkParameters(doc, catalog));
  const seenIds = new Set<string>();
  const values = parameterDefaults(doc);
  for (const node of doc.nodes) problems.push(...checkNode(node, catalog, seenIds, doc, values));
  const ports = portsById(doc, catalog);
  problems.push(...checkEdges(doc, ports), ...checkInputs(doc, ports), ...checkCycles(doc));
  return problems;
}

/** True when no problem is an error (warnings do not block compiling or running). */
export function hasErrors(problems: readonly Problem[]): boolean {
  return problems.some((p) => p.severity === 'error');
}
