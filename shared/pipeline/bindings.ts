/** Which node params are bound to a pipeline parameter with `{ "$param": NAME }`. */
import type { NodeCatalog } from './catalog.ts';
import { nodeParamSpecs } from './resolve.ts';
import { isParamBinding } from './types.ts';
import type { ParamSpec, PipelineDocument } from './types.ts';

export interface BoundParam {
  nodeId: string;
  param: string;
  spec: ParamSpec;
}

/** Every node param bound to the parameter `name`, with its spec (params the node type does not declare are left out). */
export function boundParams(doc: PipelineDocument, catalog: NodeCatalog, name: string): BoundParam[] {
  const out: BoundParam[] = [];
  for (const node of doc.nodes) {
    const spec = catalog.get(node.type);
    const params = node.params;
    if (!spec || !params || typeof params !== 'object') continue;
    const specs = nodeParamSpecs(node, spec);
    for (const [param, value] of Object.entries(params)) {
      if (!isParamBinding(value) || value.$param !== name) continue;
      const paramSpec = Array.isArray(specs) ? specs.find((s) => s?.name === param) : undefined;
      if (paramSpec) out.push({ nodeId: node.id, param, spec: paramSpec });
    }
  }
  return out;
}
