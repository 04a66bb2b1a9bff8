import type { NodeCatalog, NodeTypeSpec } from '../shared/pipeline/catalog.ts';
import { cptNode } from './cpt/index.ts';
import { datasetNode } from './dataset/index.ts';
import { deployNode } from './deploy/index.ts';
import { evalNode } from './eval/index.ts';
import { preprocessNode } from './preprocess/index.ts';
import { pythonNode } from './python/index.ts';
import { SAMPLE_FILES, STEP_SCRIPTS } from './scripts.generated.ts';
import { sftNode } from './sft/index.ts';

const specs: NodeTypeSpec[] = [datasetNode, preprocessNode, cptNode, sftNode, evalNode, deployNode, pythonNode].map(
  (spec) => ({ ...spec, script: STEP_SCRIPTS[spec.type] ?? '' }),
);

export function createCatalog(types: readonly NodeTypeSpec[], samples: Readonly<Record<string, string>> = SAMPLE_FILES): NodeCatalog {
  const map = new Map(types.map((t) => [t.type, t]));
  return { types: map, get: (type) => map.get(type), samples };
}

/** The built-in catalog: the seven node types of DESIGN.md. */
export const catalog: NodeCatalog = createCatalog(specs);

/** Starting code of a new `python` node. */
export const PYTHON_STEP_TEMPLATE: string = STEP_SCRIPTS['python'] ?? '';
