/** A valid 1,000-node / 1,200-edge pipeline for the canvas benchmark, laid out on a grid. */
import type { PipelineDocument, PipelineEdge, PipelineNode } from '../../shared/pipeline/types.ts';

export function largePipeline(): PipelineDocument {
  const nodes: PipelineNode[] = [];
  const edges: PipelineEdge[] = [];
  const add = (type: string, id: string) => {
    const i = nodes.length;
    nodes.push({ id, type, position: { x: Math.floor(i / 25) * 280, y: (i % 25) * 200 }, ...(type === 'dataset' ? { params: { uri: `s3://bench/${id}.jsonl` } } : {}) });
  };
  const edge = (source: string, sourceHandle: string, target: string, targetHandle: string) =>
    edges.push({ id: `e${edges.length + 1}`, source, sourceHandle, target, targetHandle });

  for (let i = 0; i < 200; i++) add('dataset', `data-${i}`);
  add('cpt', 'cpt');
  edge('data-0', 'dataset', 'cpt', 'dataset');
  for (let i = 0; i < 399; i++) {
    add('preprocess', `prep-${i}`);
    // Half read a data set, half clean what an earlier step cleaned.
    if (i % 2 === 0 || i < 2) edge(`data-${i % 200}`, 'dataset', `prep-${i}`, 'dataset');
    else edge(`prep-${i - 2}`, 'dataset', `prep-${i}`, 'dataset');
  }
  for (let i = 0; i < 399; i++) {
    add('sft', `sft-${i}`);
    edge(`prep-${i}`, 'dataset', `sft-${i}`, 'dataset');
    edge(i === 0 ? 'cpt' : `sft-${i - 1}`, 'model', `sft-${i}`, 'model');
  }
  add('eval', 'eval');
  edge('sft-398', 'model', 'eval', 'model');
  edge('data-199', 'dataset', 'eval', 'dataset');
  return { format: 'pipewright.pipeline/v2', name: 'canvas-bench', nodes, edges };
}
