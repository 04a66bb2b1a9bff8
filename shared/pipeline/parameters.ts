/**
 * Run-time pipeline parameters (format v2): their names and types, which node params may bind to
 * which, and the one check every value goes through, a parameter's default as much as a value given
 * for a run (the validator, `pipewright run --param` and the run dialog all call checkParameterValue).
 */
import type { NodeCatalog } from './catalog.ts';
import { boundParams } from './bindings.ts';
import { runSampleProblems } from './runSamples.ts';
import type { SampleTarget } from './runSamples.ts';
import { notFinite, paramValueProblem } from './validateParams.ts';
import { show } from './validateCodes.ts';
import { closestName } from './validateNames.ts';
import type { ProblemCode } from './validateCodes.ts';
import type { ParamSpec, ParamType, PipelineDocument, PipelineParameter, PipelineParameterType, PipelineParameterValue } from './types.ts';

export const PARAMETER_NAME = /^[a-z][a-z0-9_]{0,62}$/;

/** Values by parameter name: a run's, or the defaults. */
export type ParameterValues = Readonly<Record<string, PipelineParameterValue>>;

/** The pipeline parameter types a node param of each type can take its value from. */
const FITS: Record<ParamType, readonly PipelineParameterType[]> = {
  number: ['number', 'integer'],
  integer: ['integer'],
  string: ['string'],
  enum: ['string'],
  boolean: ['boolean'],
  'string-list': [],
};

export function bindingFits(spec: Pick<ParamSpec, 'type'>, type: PipelineParameterType): boolean {
  return (FITS[spec.type] ?? []).includes(type);
}

/** The pipeline parameter types a node param of this spec can be bound to (empty: it cannot be bound). */
export function bindableTypes(spec: Pick<ParamSpec, 'type'>): readonly PipelineParameterType[] {
  return FITS[spec.type] ?? [];
}

// Argo writes a parameter value into JSON with Go's strconv.Quote, whose escapes for these are not JSON.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const UNSAFE_TEXT = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ud800-\udfff]/;

const TYPE_WORDS: Record<PipelineParameterType, string> = { number: 'a number', integer: 'a whole number', string: 'text', boolean: 'true or false' };

/** Why `value` is not a value of `type`, or undefined. */
export function parameterTypeProblem(type: PipelineParameterType, value: unknown): string | undefined {
  const wrong = `is ${show(value)}, but it must be ${TYPE_WORDS[type] ?? type}`;
  if (typeof value === 'number' && !Number.isFinite(value) && (type === 'number' || type === 'integer')) return notFinite(value);
  switch (type) {
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? undefined : wrong;
    case 'integer':
      return typeof value === 'number' && Number.isSafeInteger(value) ? undefined : wrong;
    case 'boolean':
      return typeof value === 'boolean' ? undefined : wrong;
    case 'string':
      if (typeof value !== 'string') return wrong;
      return UNSAFE_TEXT.test(value) ? `holds a control character, which no target can pass on intact` : undefined;
    default:
      return `has an unknown type ${show(type)}`;
  }
}

export { boundParams } from './bindings.ts';
export type { BoundParam } from './bindings.ts';

export interface ValueProblem {
  code: ProblemCode;
  /** A phrase after the value's subject: "is 5, above its maximum 1 (learning_rate of node "cpt")". */
  detail: string;
  nodeId?: string;
  param?: string;
}

/**
 * Every reason `value` cannot be the value of `parameter`: its type, and the range and choices of each
 * node param bound to it (a binding whose types do not fit is the validator's business, not the value's).
 */
export function checkParameterValue(doc: PipelineDocument, catalog: NodeCatalog, parameter: PipelineParameter, value: unknown): ValueProblem[] {
  const typeProblem = parameterTypeProblem(parameter.type, value);
  if (typeProblem) return [{ code: 'parameter-value-type', detail: typeProblem }];
  const problems: ValueProblem[] = [];
  for (const bound of boundParams(doc, catalog, parameter.name)) {
    if (!bindingFits(bound.spec, parameter.type)) continue;
    const found = paramValueProblem(bound.spec, value);
    if (found) problems.push({ code: found.code, detail: `${found.detail} (for ${bound.param} of node "${bound.nodeId}")`, nodeId: bound.nodeId, param: bound.param });
  }
  return problems;
}

/** The defaults of the document's parameters, by name (parameters without one are absent). */
export function parameterDefaults(doc: Pick<PipelineDocument, 'parameters'>): Record<string, PipelineParameterValue> {
  const out: Record<string, PipelineParameterValue> = {};
  for (const p of Array.isArray(doc.parameters) ? doc.parameters : []) {
    if (p && typeof p.name === 'string' && p.default !== undefined && !Object.hasOwn(out, p.name)) out[p.name] = p.default;
  }
  return out;
}

/** Number text as JSON writes it (no hex, no blanks, no `Infinity`). */
const NUMBER_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A value typed as text (`--param lr=2e-5`, a run dialog field) as the parameter's type, or why it is not one. */
export function parseParameterText(type: PipelineParameterType, text: string): { value: PipelineParameterValue } | { error: string } {
  const trimmed = text.trim();
  switch (type) {
    case 'number':
    case 'integer': {
      if (!NUMBER_TEXT.test(trimmed)) return { error: `${show(text)} is not ${TYPE_WORDS[type]}` };
      const value = Number(trimmed);
      if (!Number.isFinite(value)) return { error: `${show(text)} is too large` };
      if (type === 'integer' && !Number.isSafeInteger(value)) return { error: `${show(text)} is not ${TYPE_WORDS.integer}` };
      return { value };
    }
    case 'boolean': {
      const lower = trimmed.toLowerCase();
      if (lower === 'true' || lower === 'false') return { value: lower === 'true' };
      return { error: `${show(text)} is not true or false` };
    }
    case 'string':
      return { value: text };
    default:
      return { error: `the parameter has an unknown type ${show(type)}` };
  }
}

/** A value as text for an input field or `--param NAME=VALUE`. */
export function parameterText(value: PipelineParameterValue | undefined): string {
  return value === undefined ? '' : String(value);
}

export interface RunValues {
  /** Every parameter's value for the run: the one given, else its default. */
  values: Record<string, PipelineParameterValue>;
  /** Each value that cannot be used, naming the parameter; empty when the run may start. */
  problems: { parameter: string; message: string }[];
}

/**
 * The values a run uses: `given` (already typed) over the defaults, each checked as checkParameterValue
 * checks a default; with `target`, also that a bundled sample named at run time reaches the run there (runSamples.ts).
 */
export function runParameterValues(doc: PipelineDocument, catalog: NodeCatalog, given: Readonly<Record<string, unknown>>, target?: SampleTarget): RunValues {
  const parameters = Array.isArray(doc.parameters) ? doc.parameters : [];
  const names = parameters.map((p) => p.name);
  const values: Record<string, PipelineParameterValue> = {};
  const problems: RunValues['problems'] = [];
  for (const name of Object.keys(given)) {
    if (names.includes(name)) continue;
    const hint = closestName(name, names);
    const known = names.length === 0 ? 'it has no parameters' : hint ? `did you mean "${hint}"?` : `its parameters are ${names.join(', ')}`;
    problems.push({ parameter: name, message: `The pipeline has no parameter "${name}" (${known}).` });
  }
  for (const parameter of parameters) {
    const value = Object.hasOwn(given, parameter.name) ? given[parameter.name] : parameter.default;
    if (value === undefined) {
      problems.push({ parameter: parameter.name, message: `Parameter ${parameter.name} has no default, so each run must give it a value.` });
      continue;
    }
    const found = checkParameterValue(doc, catalog, parameter, value);
    if (found.length > 0) {
      for (const f of found) problems.push({ parameter: parameter.name, message: `Parameter ${parameter.name} ${f.detail}.` });
      continue;
    }
    values[parameter.name] = value as PipelineParameterValue;
  }
  if (target) problems.push(...runSampleProblems(doc, catalog, target, values));
  return { values, problems };
}
