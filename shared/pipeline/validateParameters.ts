/** The document's run-time `parameters` and the node params bound to them with `{ "$param": NAME }`. */
import type { NodeCatalog } from './catalog.ts';
import { bindableTypes, bindingFits, checkParameterValue, PARAMETER_NAME, parameterTypeProblem } from './parameters.ts';
import { nodeParamSpecs } from './resolve.ts';
import { problem, show } from './validateCodes.ts';
import { closestName } from './validateNames.ts';
import { looksLikeBinding } from './validateParams.ts';
import { PIPELINE_PARAMETER_TYPES } from './types.ts';
import type { PipelineDocument, PipelineParameter, PipelineParameterType, Problem } from './types.ts';

const PARAMETER_FIELDS = ['name', 'type', 'default', 'description'];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Each well-formed parameter by name (the first of duplicates), the names of malformed ones (bindings
 * to them are not reported again), and every problem of the list.
 */
function checkList(doc: PipelineDocument): { byName: Map<string, PipelineParameter>; malformed: Set<string>; problems: Problem[] } {
  const byName = new Map<string, PipelineParameter>();
  const malformed = new Set<string>();
  const problems: Problem[] = [];
  const nodeIds = new Set(doc.nodes.map((n) => n.id));
  const list: unknown[] = Array.isArray(doc.parameters) ? doc.parameters : [];
  list.forEach((entry, i) => {
    const at = `parameters.${i}`;
    const bad = (field: string, detail: string) => problems.push(problem('parameter-invalid', `Pipeline parameter ${i + 1}: ${detail}.`, { field: `${at}${field}` }));
    if (!isObject(entry)) return bad('', `${show(entry)} is not an object {"name", "type", "default", "description"}`);
    for (const key of Object.keys(entry)) {
      if (!PARAMETER_FIELDS.includes(key)) problems.push(problem('field-unknown', `Pipeline parameter ${i + 1} has an unknown field "${key}"; it is ignored.`, { field: `${at}.${key}` }));
    }
    const { name, type, description } = entry;
    let ok = true;
    if (typeof name !== 'string' || !PARAMETER_NAME.test(name)) {
      bad('.name', `name ${show(name)} must start with a lowercase letter and hold only lowercase letters, digits and "_" (at most 63)`);
      ok = false;
    } else if (byName.has(name)) {
      problems.push(problem('parameter-duplicate', `Two pipeline parameters are named "${name}".`, { field: `${at}.name` }));
      ok = false;
    } else if (nodeIds.has(name)) {
      problems.push(problem('parameter-name-taken', `Pipeline parameter "${name}" has the id of a node; DVC's params.yaml keeps both at its top level, so rename one.`, { field: `${at}.name`, nodeId: name }));
    }
    if (!PIPELINE_PARAMETER_TYPES.includes(type as PipelineParameterType)) {
      bad('.type', `parameter ${show(name)} has type ${show(type)}, not one of ${PIPELINE_PARAMETER_TYPES.join(', ')}`);
      ok = false;
    } else if (entry.default !== undefined) {
      const why = parameterTypeProblem(type as PipelineParameterType, entry.default);
      if (why) {
        problems.push(problem('parameter-value-type', `The default of pipeline parameter ${show(name)} ${why}.`, { field: `${at}.default` }));
        ok = false;
      }
    }
    if (description !== undefined && typeof description !== 'string') bad('.description', `the description of parameter ${show(name)} is ${show(description)}, not text`);
    if (ok) byName.set(name as string, entry as unknown as PipelineParameter);
    else if (typeof name === 'string') malformed.add(name);
  });
  return { byName, malformed, problems };
}

/** Every problem of the bindings of one node's params (its type known to the catalog). */
function checkNodeBindings(doc: PipelineDocument, catalog: NodeCatalog, byName: Map<string, PipelineParameter>, malformed: Set<string>, used: Set<string>): Problem[] {
  const problems: Problem[] = [];
  for (const node of doc.nodes) {
    const spec = catalog.get(node.type);
    if (!spec || !isObject(node.params)) continue;
    const specs = nodeParamSpecs(node, spec);
    for (const [param, value] of Object.entries(node.params)) {
      if (!looksLikeBinding(value)) continue;
      const where = { nodeId: node.id, param };
      const subject = `Parameter ${param} of node "${node.id}"`;
      const target = (value as unknown as Record<string, unknown>).$param;
      if (typeof target !== 'string' || Object.keys(value as object).length !== 1) {
        problems.push(problem('param-binding-invalid', `${subject} is ${show(value)}; a binding is exactly {"$param": "<pipeline parameter name>"}.`, where));
        continue;
      }
      used.add(target);
      const paramSpec = (Array.isArray(specs) ? specs : []).find((s) => isObject(s) && s.name === param);
      if (!paramSpec) continue;
      if (spec.importer) {
        problems.push(problem('param-binding-not-allowed', `${subject} cannot be bound: a ${spec.type} node's values decide at compile time how its data reaches each target.`, where));
        continue;
      }
      const parameter = byName.get(target);
      if (!parameter && malformed.has(target)) continue;
      if (!parameter) {
        const hint = closestName(target, [...byName.keys()]);
        const known = byName.size === 0 ? 'the pipeline has no parameters' : hint ? `did you mean "${hint}"?` : `its parameters are ${[...byName.keys()].join(', ')}`;
        problems.push(problem('param-binding-unknown', `${subject} is bound to pipeline parameter "${target}", which does not exist (${known}).`, where));
        continue;
      }
      if (!bindingFits(paramSpec, parameter.type)) {
        const fits = bindableTypes(paramSpec);
        const need = fits.length === 0 ? `a ${paramSpec.type} parameter cannot be bound` : `it needs a ${fits.join(' or ')} parameter`;
        problems.push(problem('param-binding-type', `${subject} is a ${paramSpec.type} parameter bound to pipeline parameter "${target}" of type ${parameter.type}; ${need}.`, where));
      }
    }
  }
  return problems;
}

/** Every problem of `parameters` and of the bindings to them, defaults checked as run-time values are. */
export function checkParameters(doc: PipelineDocument, catalog: NodeCatalog): Problem[] {
  const { byName, malformed, problems } = checkList(doc);
  const used = new Set<string>();
  problems.push(...checkNodeBindings(doc, catalog, byName, malformed, used));
  const list = Array.isArray(doc.parameters) ? doc.parameters : [];
  list.forEach((parameter, i) => {
    if (byName.get(parameter?.name) !== parameter) return;
    if (!used.has(parameter.name)) {
      problems.push(problem('parameter-unused', `Pipeline parameter "${parameter.name}" is not bound to any node parameter, so its value changes nothing.`, { field: `parameters.${i}.name` }));
    }
    if (parameter.default === undefined) return;
    for (const found of checkParameterValue(doc, catalog, parameter, parameter.default)) {
      problems.push(problem(found.code, `The default of pipeline parameter "${parameter.name}" ${found.detail}.`, { field: `parameters.${i}.default`, nodeId: found.nodeId, param: found.param }));
    }
  });
  return problems;
}
