/**
 * What a cluster data check fingerprints: the pipeline's dataset inputs as the local trigger takes them
 * (electron/services/runs/inputHashes.ts): each dataset node's `uri` and each ko-bench node's `data_uri`,
 * with the schedule's parameter values. Python steps' code is not data and is left out.
 */
import type { NodeCatalog } from '../../pipeline/catalog.ts';
import { resolveNode } from '../../pipeline/resolve.ts';
import type { PipelineDocument, PipelineParameterValue } from '../../pipeline/types.ts';

export interface DataCheckInput {
  nodeId: string;
  param: 'uri' | 'data_uri';
  uri?: string;
  /** Known before anything runs: the input cannot be fingerprinted (it then always counts as changed). */
  unavailable?: string;
}

export function dataCheckInputs(doc: PipelineDocument, catalog: NodeCatalog, values: Readonly<Record<string, PipelineParameterValue>>): DataCheckInput[] {
  const out: DataCheckInput[] = [];
  for (const node of doc.nodes) {
    const param = node.type === 'dataset' ? 'uri' : node.type === 'ko-bench' ? 'data_uri' : undefined;
    if (!param) continue;
    const uri = resolveNode(node, catalog, values)?.params[param];
    if (typeof uri !== 'string' || uri.trim() === '') {
      if (param === 'data_uri') out.push({ nodeId: node.id, param, unavailable: 'the Hugging Face hub, read by the step' });
      continue;
    }
    out.push({ nodeId: node.id, param, uri });
  }
  return out;
}

/** UTF-8 text as base64 (no Node Buffer in shared/). */
export function base64Utf8(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}
