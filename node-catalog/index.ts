import type { NodeCatalog, NodeCategory, NodeTypeSpec } from '../shared/pipeline/catalog.ts';
import { KNOWN_IMAGES } from './images.ts';
import { SAMPLE_FILES, STEP_SCRIPTS } from './scripts.generated.ts';
import { NODE_TYPE_MODULES } from './types.generated.ts';

/** The order types are listed in (palette groups, problem messages): by category, then by name. */
const CATEGORY_ORDER: readonly NodeCategory[] = ['data', 'training', 'evaluation', 'serving', 'custom'];

const isSpec = (value: unknown, type: string): value is Omit<NodeTypeSpec, 'script'> =>
  typeof value === 'object' && value !== null && (value as { type?: unknown }).type === type && Array.isArray((value as { params?: unknown }).params);

/**
 * The node types of the catalog folders: each `node-catalog/<type>/index.ts` exports one spec whose
 * `type` is its folder name; the step script comes from `<type>/step.py`.
 */
export function specsFromModules(
  modules: Readonly<Record<string, Readonly<Record<string, unknown>>>>,
  scripts: Readonly<Record<string, string>> = STEP_SCRIPTS,
): NodeTypeSpec[] {
  const specs = Object.entries(modules).map(([folder, module]) => {
    const found = Object.values(module).filter((value) => isSpec(value, folder));
    if (found.length !== 1) {
      throw new Error(`node-catalog/${folder}/index.ts must export exactly one node type spec with type "${folder}" (found ${found.length})`);
    }
    return { ...found[0], script: scripts[folder] ?? '' };
  });
  const rank = (s: NodeTypeSpec) => CATEGORY_ORDER.indexOf(s.category);
  return specs.sort((a, b) => rank(a) - rank(b) || (a.type < b.type ? -1 : a.type > b.type ? 1 : 0));
}

export function createCatalog(
  types: readonly NodeTypeSpec[],
  samples: Readonly<Record<string, string>> = SAMPLE_FILES,
  images: NodeCatalog['images'] = KNOWN_IMAGES,
  dataCheckScript: string | undefined = STEP_SCRIPTS._datacheck,
): NodeCatalog {
  const map = new Map(types.map((t) => [t.type, t]));
  return { types: map, get: (type) => map.get(type), samples, images, dataCheckScript };
}

/** The built-in catalog: every node type folder under node-catalog/. */
export const catalog: NodeCatalog = createCatalog(specsFromModules(NODE_TYPE_MODULES));

/** Starting code of a new `python` node. */
export const PYTHON_STEP_TEMPLATE: string = STEP_SCRIPTS['python'] ?? '';
