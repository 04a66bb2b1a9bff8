/** Pure helpers behind the parameters editor, bindings and the run dialog's parameter fields. */
import type { NodeCatalog } from '../../shared/pipeline/catalog.ts';
import { PARAMETER_NAME, parameterText, parseParameterText, runParameterValues } from '../../shared/pipeline/parameters.ts';
import type { SampleTarget } from '../../shared/pipeline/runSamples.ts';
import { isParamBinding } from '../../shared/pipeline/types.ts';
import type { PipelineDocument, PipelineParameter, PipelineParameterType, PipelineParameterValue } from '../../shared/pipeline/types.ts';

export interface RunParameterCheck {
  /** Every parameter's value for the run, when none has a problem. */
  values: Record<string, PipelineParameterValue>;
  /** Why a field's text cannot be used, by parameter name. */
  problems: Record<string, RunParameterProblem>;
}

/** `type`: the text is not a value of the type; `missing`: no value and no default; `value`: refused by a bound param (message in English, naming it). */
export type RunParameterProblem = { kind: 'type'; text: string } | { kind: 'missing' } | { kind: 'value'; message: string };

/** The dialog's texts (by name; a missing one is the default) parsed and checked as `pipewright run --param` checks them. */
export function checkRunParameters(doc: PipelineDocument, catalog: NodeCatalog, texts: Readonly<Record<string, string>>, target?: SampleTarget): RunParameterCheck {
  const problems: Record<string, RunParameterProblem> = {};
  const given: Record<string, PipelineParameterValue> = {};
  for (const p of doc.parameters ?? []) {
    const text = Object.hasOwn(texts, p.name) ? texts[p.name] : undefined;
    if (text === undefined) continue;
    if (text === '' && p.type !== 'string') {
      if (p.default === undefined) problems[p.name] = { kind: 'missing' };
      continue;
    }
    const parsed = parseParameterText(p.type, text);
    if ('error' in parsed) problems[p.name] = { kind: 'type', text };
    else given[p.name] = parsed.value;
  }
  const checked = runParameterValues(doc, catalog, given, target);
  for (const problem of checked.problems) problems[problem.parameter] ??= { kind: 'value', message: problem.message };
  return { values: checked.values, problems };
}

/** The text a run field starts with: the default, or empty. */
export function initialTexts(doc: PipelineDocument): Record<string, string> {
  return Object.fromEntries((doc.parameters ?? []).map((p) => [p.name, parameterText(p.default)]));
}

/** A name not used yet: `param_1`, `param_2`, ... */
export function freshParameterName(doc: PipelineDocument): string {
  const taken = new Set((doc.parameters ?? []).map((p) => p.name));
  let n = 1;
  while (taken.has(`param_${n}`)) n++;
  return `param_${n}`;
}

export function nameProblem(doc: PipelineDocument, index: number, name: string): 'nameTaken' | 'nameShape' | null {
  if (!PARAMETER_NAME.test(name)) return 'nameShape';
  return (doc.parameters ?? []).some((p, i) => i !== index && p.name === name) ? 'nameTaken' : null;
}

function mapBindings(doc: PipelineDocument, name: string, replace: (node: PipelineDocument['nodes'][number], param: string) => PipelineDocument['nodes'][number]['params']): PipelineDocument['nodes'] {
  return doc.nodes.map((node) => {
    const params = node.params;
    if (!params || !Object.values(params).some((v) => isParamBinding(v) && v.$param === name)) return node;
    let next = node;
    for (const [param, value] of Object.entries(params)) if (isParamBinding(value) && value.$param === name) next = { ...next, params: replace(next, param) };
    return next;
  });
}

/** The document with parameter `index` changed; a rename follows every binding to it. */
export function updateParameter(doc: PipelineDocument, index: number, patch: Partial<PipelineParameter>): PipelineDocument {
  const list = doc.parameters ?? [];
  const old = list[index];
  if (!old) return doc;
  const next: PipelineParameter = { ...old, ...patch };
  if (next.default === undefined) delete next.default;
  if (!next.description) delete next.description;
  const parameters = list.map((p, i) => (i === index ? next : p));
  const nodes = patch.name !== undefined && patch.name !== old.name ? mapBindings(doc, old.name, (node, param) => ({ ...node.params, [param]: { $param: patch.name! } })) : doc.nodes;
  return { ...doc, parameters, nodes };
}

/** Changing the type: the default converted where it can be (text `5` -> 5), else dropped. */
export function retypeDefault(value: PipelineParameterValue | undefined, type: PipelineParameterType): PipelineParameterValue | undefined {
  if (value === undefined) return undefined;
  const parsed = parseParameterText(type, String(value));
  return 'value' in parsed ? parsed.value : undefined;
}

export function addParameter(doc: PipelineDocument): PipelineDocument {
  return { ...doc, parameters: [...(doc.parameters ?? []), { name: freshParameterName(doc), type: 'string', default: '' }] };
}

/** The document without parameter `index`; each param bound to it takes the parameter's default (or its own type default). */
export function removeParameter(doc: PipelineDocument, index: number): PipelineDocument {
  const gone = (doc.parameters ?? [])[index];
  if (!gone) return doc;
  const parameters = (doc.parameters ?? []).filter((_, i) => i !== index);
  const nodes = mapBindings(doc, gone.name, (node, param) => {
    const rest = { ...node.params };
    if (gone.default === undefined) delete rest[param];
    else rest[param] = gone.default;
    return rest;
  });
  const next: PipelineDocument = { ...doc, parameters, nodes };
  if (parameters.length === 0) delete next.parameters;
  return next;
}

/** Node params bound to `name`, as `node.param`. */
export function bindingsOf(doc: PipelineDocument, name: string): string[] {
  const out: string[] = [];
  for (const node of doc.nodes) for (const [param, value] of Object.entries(node.params ?? {})) if (isParamBinding(value) && value.$param === name) out.push(`${node.id}.${param}`);
  return out;
}
