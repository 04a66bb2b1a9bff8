/** What a node really is once the catalog fills in defaults: its ports, parameters and resources. */
import type { NodeCatalog, NodeTypeSpec } from './catalog.ts';
import type { NodeResources, ParamSpec, ParamValue, PipelineNode, PortSpec } from './types.ts';

export interface ResolvedNode {
  node: PipelineNode;
  spec: NodeTypeSpec;
  inputs: PortSpec[];
  outputs: PortSpec[];
  paramSpecs: ParamSpec[];
  /** Every declared parameter with a value (the document's, else the default), in spec order. */
  params: Record<string, ParamValue>;
  resources: NodeResources;
  retries: number;
  cache: boolean;
  /** The Python source this node runs (`code` for `python` nodes); empty for importers. */
  script: string;
}

export function nodePorts(node: PipelineNode, spec: NodeTypeSpec): { inputs: PortSpec[]; outputs: PortSpec[] } {
  if (spec.type === 'python') return { inputs: node.interface?.inputs ?? [], outputs: node.interface?.outputs ?? [] };
  return { inputs: spec.inputs, outputs: spec.outputs };
}

export function nodeParamSpecs(node: PipelineNode, spec: NodeTypeSpec): ParamSpec[] {
  return spec.type === 'python' ? (node.interface?.parameters ?? []) : spec.params;
}

export function resolveNode(node: PipelineNode, catalog: NodeCatalog): ResolvedNode | undefined {
  const spec = catalog.get(node.type);
  if (!spec) return undefined;
  const { inputs, outputs } = nodePorts(node, spec);
  const paramSpecs = nodeParamSpecs(node, spec);
  const params: Record<string, ParamValue> = {};
  for (const p of paramSpecs) {
    const value = node.params?.[p.name] ?? p.default;
    if (value !== undefined) params[p.name] = value;
  }
  return {
    node,
    spec,
    inputs,
    outputs,
    paramSpecs,
    params,
    resources: { ...spec.defaultResources, ...node.resources },
    retries: node.retries ?? spec.defaultRetries,
    cache: node.cache ?? true,
    script: spec.type === 'python' ? (node.code ?? '') : spec.script,
  };
}
