/** Parameter values against their specs, and the ports and parameters a python node declares. */
import { closestName, isArgumentName } from './validateNames.ts';
import { problem, show, type ProblemCode } from './validateCodes.ts';
import { PORT_KINDS, type ParamSpec, type ParamType, type Problem } from './types.ts';

const PARAM_TYPES: readonly ParamType[] = ['number', 'integer', 'string', 'boolean', 'enum', 'string-list'];

const TYPE_WORDS: Record<ParamType, string> = {
  number: 'a number',
  integer: 'a whole number',
  string: 'text',
  boolean: 'true or false',
  enum: 'one of its choices',
  'string-list': 'a list of texts',
};

/** A number JSON cannot hold: `1e400` reads as Infinity, which no target can pass on. */
export function notFinite(value: number): string {
  return `is not a finite number (${Number.isNaN(value) ? 'NaN' : value > 0 ? 'too large: read as Infinity' : 'too large: read as -Infinity'})`;
}

/** Why `value` does not fit `spec`, as a code and a phrase ("is 5, above its maximum 1"), or undefined. */
export function paramValueProblem(spec: ParamSpec, value: unknown): { code: ProblemCode; detail: string } | undefined {
  const wrongType = () => ({ code: 'param-type' as const, detail: `is ${show(value)}, but it must be ${TYPE_WORDS[spec.type] ?? spec.type}` });
  switch (spec.type) {
    case 'number':
    case 'integer': {
      if (typeof value === 'number' && !Number.isFinite(value)) return { code: 'param-type', detail: notFinite(value) };
      if (typeof value !== 'number') return wrongType();
      if (spec.type === 'integer' && !Number.isInteger(value)) return wrongType();
      if (spec.min !== undefined && value < spec.min) return { code: 'param-out-of-range', detail: `is ${value}, below its minimum ${spec.min}` };
      if (spec.max !== undefined && value > spec.max) return { code: 'param-out-of-range', detail: `is ${value}, above its maximum ${spec.max}` };
      return undefined;
    }
    case 'string':
      return typeof value === 'string' ? undefined : wrongType();
    case 'boolean':
      return typeof value === 'boolean' ? undefined : wrongType();
    case 'enum':
      if (typeof value !== 'string') return { code: 'param-type', detail: `is ${show(value)}, but it must be one of ${show(spec.enum ?? [])}` };
      if (!(spec.enum ?? []).includes(value)) return { code: 'param-not-in-enum', detail: `is ${show(value)}, not one of ${(spec.enum ?? []).map((e) => show(e)).join(', ')}` };
      return undefined;
    case 'string-list': {
      if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) return wrongType();
      const unknown = spec.enum ? value.filter((v) => !spec.enum!.includes(v)) : [];
      if (unknown.length > 0) return { code: 'param-not-in-enum', detail: `holds ${unknown.map((e) => show(e)).join(', ')}, not one of ${(spec.enum ?? []).map((e) => show(e)).join(', ')}` };
      return undefined;
    }
    default:
      return { code: 'param-type', detail: `has an unknown type ${show(spec.type)}` };
  }
}

const isMissing = (value: unknown) => value === undefined || (typeof value === 'string' && value.trim() === '');

/** An object with a `$param` key: a binding, well-formed or not (checkBindings judges it). */
export const looksLikeBinding = (value: unknown): boolean => typeof value === 'object' && value !== null && !Array.isArray(value) && '$param' in value;

/** Every problem of one node's `params` against its parameter specs (bindings are checkBindings' business). */
export function checkParams(nodeId: string, params: Record<string, unknown>, specs: readonly ParamSpec[]): Problem[] {
  const problems: Problem[] = [];
  const names = specs.map((s) => s.name);
  for (const name of Object.keys(params)) {
    if (names.includes(name)) continue;
    const hint = closestName(name, names);
    const choices = names.length === 0 ? 'it declares no parameters' : hint ? `did you mean "${hint}"?` : `its parameters are ${names.join(', ')}`;
    problems.push(problem('param-unknown', `Node "${nodeId}" has no parameter "${name}" (${choices}).`, { nodeId, param: name }));
  }
  for (const spec of specs) {
    const value = params[spec.name];
    // A blank value is used as given (defaults fill only absent values), so it counts as missing even with a default.
    if (spec.required && isMissing(value) && (value !== undefined || isMissing(spec.default))) {
      problems.push(problem('param-required', `Parameter ${spec.name} of node "${nodeId}" is required but has no value.`, { nodeId, param: spec.name }));
      continue;
    }
    if (value === undefined || looksLikeBinding(value)) continue;
    const found = paramValueProblem(spec, value);
    if (found) problems.push(problem(found.code, `Parameter ${spec.name} of node "${nodeId}" ${found.detail}.`, { nodeId, param: spec.name }));
  }
  return problems;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every problem of the ports and parameters a python node declares in `interface`. */
export function checkInterface(nodeId: string, iface: Record<string, unknown>): Problem[] {
  const problems: Problem[] = [];
  const report = (field: string, detail: string) =>
    problems.push(problem('python-interface-invalid', `Python node "${nodeId}": ${detail}.`, { nodeId, field: `interface.${field}` }));
  for (const side of ['inputs', 'outputs'] as const) {
    const seen = new Set<string>();
    const ports = Array.isArray(iface[side]) ? (iface[side] as unknown[]) : [];
    ports.forEach((port, i) => {
      const at = `${side}.${i}`;
      if (!isObject(port)) return report(at, `${side} entry ${i + 1} is ${show(port)}, not a port object`);
      if (!isArgumentName(port.name)) {
        report(`${at}.name`, `port name ${show(port.name)} must start with a lowercase letter and hold only lowercase letters, digits and "_" (at most 63)`);
      } else if (seen.has(port.name as string)) report(`${at}.name`, `two ${side} are named "${port.name}"`);
      else seen.add(port.name as string);
      if (!PORT_KINDS.includes(port.kind as never)) report(`${at}.kind`, `port ${show(port.name)} has kind ${show(port.kind)}, not one of ${PORT_KINDS.join(', ')}`);
      if (port.optional !== undefined && typeof port.optional !== 'boolean') report(`${at}.optional`, `"optional" of port ${show(port.name)} must be true or false`);
    });
  }
  const seen = new Set<string>();
  const params = Array.isArray(iface.parameters) ? (iface.parameters as unknown[]) : [];
  params.forEach((spec, i) => {
    const at = `parameters.${i}`;
    if (!isObject(spec)) return report(at, `parameter entry ${i + 1} is ${show(spec)}, not a parameter object`);
    const name = show(spec.name);
    if (!isArgumentName(spec.name)) report(`${at}.name`, `parameter name ${name} must start with a lowercase letter and hold only lowercase letters, digits and "_" (at most 63)`);
    else if (seen.has(spec.name as string)) report(`${at}.name`, `two parameters are named ${name}`);
    else seen.add(spec.name as string);
    if (!PARAM_TYPES.includes(spec.type as ParamType)) return report(`${at}.type`, `parameter ${name} has type ${show(spec.type)}, not one of ${PARAM_TYPES.join(', ')}`);
    for (const bound of ['min', 'max'] as const) {
      if (spec[bound] !== undefined && (typeof spec[bound] !== 'number' || !Number.isFinite(spec[bound]))) report(`${at}.${bound}`, `${bound} of parameter ${name} must be a number`);
    }
    if (typeof spec.min === 'number' && typeof spec.max === 'number' && spec.min > spec.max) report(`${at}.min`, `parameter ${name} has min ${spec.min} above max ${spec.max}`);
    if (spec.type === 'enum' && !(Array.isArray(spec.enum) && spec.enum.length > 0 && spec.enum.every((e) => typeof e === 'string'))) {
      return report(`${at}.enum`, `enum parameter ${name} needs a non-empty list of text choices`);
    }
    if (spec.required !== undefined && typeof spec.required !== 'boolean') report(`${at}.required`, `"required" of parameter ${name} must be true or false`);
    if (spec.default !== undefined) {
      const found = paramValueProblem(spec as unknown as ParamSpec, spec.default);
      if (found) report(`${at}.default`, `the default of parameter ${name} ${found.detail}`);
    }
  });
  return problems;
}
