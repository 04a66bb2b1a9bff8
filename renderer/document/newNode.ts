/** A fresh node of a catalog type, placed at a position, with an id unique in the document. */
import type { NodeCatalog } from '../../shared/pipeline/catalog.ts';
import { PIPELINE_FORMAT } from '../../shared/pipeline/types.ts';
import type { CustomNodeInterface, PipelineDocument, PipelineNode, Position } from '../../shared/pipeline/types.ts';
import { uniqueId } from './ids.ts';

export const PYTHON_DEFAULT_INTERFACE: CustomNodeInterface = {
  inputs: [{ name: 'data', kind: 'dataset', optional: true }],
  outputs: [{ name: 'result', kind: 'dataset' }],
  parameters: [],
};

export function createNode(
  doc: PipelineDocument,
  catalog: NodeCatalog,
  type: string,
  position: Position,
  pythonCode = '',
): PipelineNode | null {
  const spec = catalog.get(type);
  if (!spec) return null;
  const id = uniqueId(type, new Set(doc.nodes.map((n) => n.id)));
  const node: PipelineNode = { id, type, position: { x: Math.round(position.x), y: Math.round(position.y) } };
  if (type === 'python') {
    node.code = pythonCode;
    node.interface = structuredClone(PYTHON_DEFAULT_INTERFACE);
  }
  return node;
}

export function emptyDocument(name = 'untitled-pipeline'): PipelineDocument {
  return { format: PIPELINE_FORMAT, name, nodes: [], edges: [] };
}
