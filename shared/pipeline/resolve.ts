/** What a node really is once the catalog fills in defaults: its ports, parameters and resources. */
import type { NodeCatalog, NodeTypeSpec } from './catalog.ts';
import { isParamBinding } from './types.ts';
import type { NodeResources, ParamSpec, ParamValue, PipelineNode, PipelineParameterValue, PortSpec } from './types.ts';

export interface ResolvedNode {
  node: PipelineNode;
  spec: NodeTypeSpec;
  inputs: PortSpec[];
  outputs: PortSpec[];
  paramSpecs: ParamSpec[];
  /**
   * Every declared parameter with a value (the document's, else the default), in spec order. A bound
   * param holds the pipeline parameter's value from `parameterValues` (else the catalog default).
   */
  params: Record<string, ParamValue>;
  /** Bound params: node param name -> pipeline parameter name. */
  bindings: Record<string, string>;
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

/**
 * The node as it runs. `parameterValues` are the pipeline parameters' values (parameterDefaults(doc), or
 * a run's): a bound param takes its parameter's value from there.
 */
export function resolveNode(node: PipelineNode, catalog: NodeCatalog, parameterValues?: Readonly<Record<string, PipelineParameterValue>>): ResolvedNode | undefined {
  const spec = catalog.get(node.type);
  if (!spec) return undefined;
  const { inputs, outputs } = nodePorts(node, spec);
  const paramSpecs = nodeParamSpecs(node, spec);
  const params: Record<string, ParamValue> = {};
  const bindings: Record<string, string> = {};
  for (const p of paramSpecs) {
    const own = node.params?.[p.name];
    let value: ParamValue | undefined;
    if (isParamBinding(own)) {
      bindings[p.name] = own.$param;
      value = parameterValues && Object.hasOwn(parameterValues, own.$param) ? parameterValues[own.$param] : p.default;
    } else value = own ?? p.default;
    if (value !== undefined) params[p.name] = value;
  }
  return {
    node,
    spec,
    inputs,
    outputs,
    paramSpecs,
    params,
    bindings,
    resources: { ...spec.defaultResources, ...node.resources },
    retries: node.retries ?? spec.defaultRetries,
    cache: node.cache ?? true,
    script: spec.type === 'python' ? (node.code ?? '') : spec.script,
  };
}
