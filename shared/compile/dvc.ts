/**
 * Pipeline document -> DVC project files: `dvc.yaml` (one stage per node, named by its id), `params.yaml`
 * (JSON text: node id -> parameters), `steps/*.py` and `samples/*`. A stage's cmd holds only node ids,
 * port names and fixed paths; every user value reaches the step through params.yaml, so neither the
 * shell nor DVC's `${...}` interpolation ever sees one. The Pushgateway URL and the pipeline name, which
 * other targets pass as env, go into params.yaml's `_pipewright` section, which no stage lists as a param.
 */
import type { NodeCatalog } from '../pipeline/catalog.ts';
import type { PipelineDocument } from '../pipeline/types.ts';
import { emitYaml, MapEntries } from './emitYaml.ts';
import type { YamlValue } from './emitYaml.ts';
import { datasetSource, paramSamples, planPipeline, sampleText } from './plan.ts';
import type { ParamSample, PlannedNode } from './plan.ts';
import { ParamsJson } from './dvcParams.ts';
import type { CompiledFiles } from './types.ts';
import { parameterDefaults } from '../pipeline/parameters.ts';
import type { ParameterValues } from '../pipeline/parameters.ts';

type YamlMap = { [key: string]: YamlValue | undefined };

export const DVC_PARAMS_FILE = 'params.yaml';

/** Where an output port's artifact lives: a directory the step creates. */
export function artifactPath(nodeId: string, port: string): string {
  return `data/${nodeId}/${port}`;
}

/** The metrics file an evaluation step writes inside its metrics directory. */
export function metricsFilePath(nodeId: string, port: string): string {
  return `${artifactPath(nodeId, port)}/metrics.json`;
}

/**
 * The script file of a node: one per catalog type, one per custom `python` node. A custom node whose
 * id is also a type name gets `custom_<id>.py` (ids never hold '_'), so the two cannot collide.
 */
export function stepScriptPath(p: PlannedNode, catalog: NodeCatalog): string {
  if (p.resolved.spec.type !== 'python') return `steps/${p.resolved.spec.type}.py`;
  return catalog.get(p.id) ? `steps/custom_${p.id}.py` : `steps/${p.id}.py`;
}

/** Catalog steps that promise a `metrics.json` for their metrics ports (custom steps promise nothing). */
function writesMetricsFile(p: PlannedNode, kind: string): boolean {
  return kind === 'metrics' && p.resolved.spec.type !== 'python';
}

function stage(p: PlannedNode, script: string, samples: readonly ParamSample[]): YamlMap {
  const cmd = ['python3', '-u', script, '--params-file', DVC_PARAMS_FILE, '--params-key', p.id];
  // A bound param is read from the pipeline parameter's top-level key; both names are plain identifiers.
  const { bindings } = p.resolved;
  for (const name of Object.keys(p.resolved.params)) if (Object.hasOwn(bindings, name)) cmd.push('--params-binding', `${name}=${bindings[name]}`);
  const deps = [script];
  for (const input of p.inputs) {
    const path = artifactPath(input.source, input.sourcePort);
    cmd.push(`--in-${input.port}`, path);
    deps.push(path);
  }
  const outs: string[] = [];
  const metrics: YamlMap[] = [];
  for (const output of p.resolved.outputs) {
    cmd.push(`--out-${output.name}`, artifactPath(p.id, output.name));
    if (writesMetricsFile(p, output.kind)) metrics.push({ [metricsFilePath(p.id, output.name)]: { cache: false } });
    else outs.push(artifactPath(p.id, output.name));
  }
  deps.push(...datasetDeps(p));
  for (const sample of samples) deps.push(`samples/${sample.name}`);
  // DVC wants each dep once; two inputs may read the same upstream output.
  const uniqueDeps = [...new Set(deps)];
  const params: string[] = [];
  for (const name of Object.keys(p.resolved.params)) {
    const param = Object.hasOwn(bindings, name) ? bindings[name] : `${p.id}.${name}`;
    if (!params.includes(param)) params.push(param);
  }
  return {
    cmd: cmd.join(' '),
    deps: uniqueDeps,
    params: params.length ? params : undefined,
    outs: outs.length ? outs : undefined,
    metrics: metrics.length ? metrics : undefined,
  };
}

/** A dataset's local file or bundled sample, tracked so DVC reruns the fetch when it changes. */
function datasetDeps(p: PlannedNode): string[] {
  const uri = p.resolved.spec.importer ? p.resolved.params.uri : undefined;
  if (typeof uri !== 'string' || uri === '') return [];
  const source = datasetSource(uri);
  if (source.kind === 'sample') return [`samples/${source.name}`];
  // DVC would read `${` in a dep path as interpolation; such a path is still fetched, just not tracked.
  if (source.kind === 'local' && source.path !== '' && !source.path.includes('${')) return [source.path];
  return [];
}

/**
 * `parameterValues`: a run's values of the pipeline parameters (the local runner's); params.yaml holds
 * them under their own names, each parameter's default where none is given.
 */
export function compileDvc(doc: PipelineDocument, catalog: NodeCatalog, parameterValues?: ParameterValues): CompiledFiles {
  const values = { ...parameterDefaults(doc), ...parameterValues };
  const plan = planPipeline(doc, catalog, values);
  const files: CompiledFiles = {};
  // Written as YAML text stage by stage: dvc.yaml's `stages` keys sit at level 1.
  const stages = new MapEntries(true, 1);
  // params.yaml: the run settings, the pipeline parameters, then each node's section as it is planned.
  const params = new ParamsJson();
  const settings = runSettings(doc);
  if (settings) params.addHead(RUN_SETTINGS_KEY, settings);
  for (const [name, value] of Object.entries(pipelineParameters(doc, values))) params.addHead(name, value);
  const scripts: Record<string, string> = {};
  for (const p of plan.nodes) {
    const script = stepScriptPath(p, catalog);
    scripts[script] = p.resolved.script;
    const samples = paramSamples(p, catalog.samples);
    stages.set(p.id, stage(p, script, samples));
    params.add(p.id, unboundParams(p));
    const uri = p.resolved.spec.importer ? p.resolved.params.uri : undefined;
    const source = typeof uri === 'string' ? datasetSource(uri) : undefined;
    if (source?.kind === 'sample') files[`samples/${source.name}`] = sampleText(catalog.samples, source.name, p.id);
    for (const sample of samples) files[`samples/${sample.name}`] = sample.text;
  }
  files['dvc.yaml'] = emitYaml({ stages: stages.value() });
  files[DVC_PARAMS_FILE] = params.text();
  for (const path of Object.keys(scripts).sort()) files[path] = scripts[path];
  return sortedFiles(files);
}

/**
 * A node's own section of params.yaml: its params that are not bound to a pipeline parameter. A custom
 * `python` node keeps a copy of its bound values too, for step code written before --params-binding.
 */
function unboundParams(p: PlannedNode): Record<string, unknown> {
  const { params, bindings } = p.resolved;
  if (p.resolved.spec.type === 'python') return params;
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(params)) if (!Object.hasOwn(bindings, name)) out[name] = params[name];
  return out;
}

/** Every pipeline parameter that has a value, at params.yaml's top level under its own name. */
function pipelineParameters(doc: PipelineDocument, values: ParameterValues): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const parameter of Array.isArray(doc.parameters) ? doc.parameters : []) {
    if (Object.hasOwn(values, parameter.name)) out[parameter.name] = values[parameter.name];
  }
  return out;
}

/** The settings steps read besides their parameters (DVC has no env): a key no node id or pipeline parameter can take, listed by no stage. */
export const RUN_SETTINGS_KEY = '_pipewright';

function runSettings(doc: PipelineDocument): Record<string, unknown> | undefined {
  const url = doc.settings?.pushgatewayUrl;
  return url ? { pipeline: doc.name, pushgateway_url: url } : undefined;
}

function sortedFiles(files: CompiledFiles): CompiledFiles {
  const out: CompiledFiles = {};
  for (const key of Object.keys(files).sort()) out[key] = files[key];
  return out;
}
