/**
 * Which setting of which node is a data input, for the run diff's input hashes
 * (electron/services/runs/inputHashes.ts), the local data trigger and the cluster data check alike:
 * each dataset node's `uri` and each ko-bench node's `data_uri`, with the given parameter values.
 * Python steps' code is not data and is left out here (the run diff hashes it beside these).
 */
import type { NodeCatalog } from '../../pipeline/catalog.ts';
import { resolveNode } from '../../pipeline/resolve.ts';
import type { PipelineDocument, PipelineNode, PipelineParameterValue } from '../../pipeline/types.ts';

export interface DataCheckInput {
  nodeId: string;
  param: 'uri' | 'data_uri';
  uri?: string;
  /** Known before anything runs: the input cannot be fingerprinted (it then always counts as changed). */
  unavailable?: string;
}

/** `node`'s data input, or undefined when the node reads none (or leaves an optional one empty). */
export function dataInputOf(node: PipelineNode, catalog: NodeCatalog, values: Readonly<Record<string, PipelineParameterValue>>): DataCheckInput | undefined {
  const param = node.type === 'dataset' ? 'uri' : node.type === 'ko-bench' ? 'data_uri' : undefined;
  if (!param) return undefined;
  const uri = resolveNode(node, catalog, values)?.params[param];
  if (typeof uri !== 'string' || uri.trim() === '') {
    return param === 'data_uri' ? { nodeId: node.id, param, unavailable: 'the Hugging Face hub, read by the step' } : undefined;
  }
  return { nodeId: node.id, param, uri };
}

export function dataCheckInputs(doc: PipelineDocument, catalog: NodeCatalog, values: Readonly<Record<string, PipelineParameterValue>>): DataCheckInput[] {
  return doc.nodes.flatMap((node) => dataInputOf(node, catalog, values) ?? []);
}

/** UTF-8 text as base64 (no Node Buffer in shared/). */
export function base64Utf8(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}
