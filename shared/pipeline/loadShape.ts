/**
 * The skeleton a document must have before anything can look at it: containers of the right
 * kind and the identity fields as strings. Everything else (values, names, ranges) is the
 * validator's job, which reports every problem instead of refusing the file.
 */

export interface ShapeProblem {
  /** Where, as `nodes[2].position.x`. */
  path: string;
  message: string;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  return `a ${typeof v} (${JSON.stringify(v)?.slice(0, 40)})`;
}

class ShapeStop extends Error {
  constructor(readonly problem: ShapeProblem) {
    super(problem.message);
  }
}

function expect(ok: boolean, path: string, what: string, found: unknown, missing: boolean): void {
  if (ok) return;
  const message = missing ? `"${path}" is missing; it must be ${what}` : `"${path}" must be ${what}, found ${kindOf(found)}`;
  throw new ShapeStop({ path, message });
}

function field(obj: Json, key: string, path: string, test: (v: unknown) => boolean, what: string, required: boolean): void {
  const present = key in obj && obj[key] !== undefined;
  if (!present) return expect(!required, path, what, undefined, true);
  expect(test(obj[key]), path, what, obj[key], false);
}

const isString = (v: unknown) => typeof v === 'string';
const isFiniteNumber = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
const isArray = (v: unknown) => Array.isArray(v);

function checkNode(node: unknown, at: string): void {
  expect(isObject(node), at, 'an object', node, false);
  const n = node as Json;
  field(n, 'id', `${at}.id`, isString, 'a string', true);
  field(n, 'type', `${at}.type`, isString, 'a string', true);
  field(n, 'position', `${at}.position`, isObject, 'an object {"x": number, "y": number}', true);
  const position = n.position as Json;
  field(position, 'x', `${at}.position.x`, isFiniteNumber, 'a number', true);
  field(position, 'y', `${at}.position.y`, isFiniteNumber, 'a number', true);
  field(n, 'params', `${at}.params`, isObject, 'an object of parameter values', false);
  field(n, 'resources', `${at}.resources`, isObject, 'an object', false);
  field(n, 'interface', `${at}.interface`, isObject, 'an object {"inputs", "outputs", "parameters"}', false);
  if (isObject(n.interface)) {
    for (const key of ['inputs', 'outputs', 'parameters']) {
      field(n.interface, key, `${at}.interface.${key}`, isArray, 'a list', true);
    }
  }
}

function checkEdge(edge: unknown, at: string): void {
  expect(isObject(edge), at, 'an object', edge, false);
  for (const key of ['id', 'source', 'sourceHandle', 'target', 'targetHandle']) {
    field(edge as Json, key, `${at}.${key}`, isString, 'a string', true);
  }
}

/** The first way `doc` (already migrated to the current format) falls short of the skeleton. */
export function findShapeProblem(doc: Json): ShapeProblem | undefined {
  try {
    field(doc, 'name', 'name', isString, 'a string', true);
    field(doc, 'description', 'description', isString, 'a string', false);
    field(doc, 'settings', 'settings', isObject, 'an object', false);
    if (isObject(doc.settings)) {
      field(doc.settings, 'secretEnv', 'settings.secretEnv', isArray, 'a list', false);
    }
    field(doc, 'parameters', 'parameters', isArray, 'a list of pipeline parameters', false);
    field(doc, 'nodes', 'nodes', isArray, 'a list of nodes', true);
    (doc.nodes as unknown[]).forEach((node, i) => checkNode(node, `nodes[${i}]`));
    field(doc, 'edges', 'edges', isArray, 'a list of edges', true);
    (doc.edges as unknown[]).forEach((edge, i) => checkEdge(edge, `edges[${i}]`));
    return undefined;
  } catch (err) {
    if (err instanceof ShapeStop) return err.problem;
    throw err;
  }
}
