/**
 * The GPU estimate of the 1,000-node pipeline (400 SFT steps, a CPT and an eval on GPUs; the data sets
 * bundled samples whose text is counted), as the app computes it on every validation pass: the
 * estimate alone and with its problems (fit suggestions for steps that do not fit). Goal: median under 50 ms.
 */
import { catalog } from '../../node-catalog/index.ts';
import { estimatePipeline } from '../../shared/estimate/pipeline.ts';
import { estimateProblems } from '../../shared/estimate/problems.ts';
import type { EstimateContext } from '../../shared/estimate/types.ts';
import type { PipelineDocument } from '../../shared/pipeline/types.ts';
import { largePipeline } from './canvasGraph.ts';

export const GOAL_MS = 50;
const RUNS = 31;

/** The canvas bench's pipeline with real work: sample data on every data set, 7B SFT steps, one of them too big for its GPU. */
export function estimateBenchPipeline(): PipelineDocument {
  const doc = largePipeline();
  doc.nodes = doc.nodes.map((n, i) => {
    if (n.type === 'dataset') return { ...n, params: { uri: i % 2 === 0 ? 'sample://ko_instructions.jsonl' : 'sample://ko_corpus.jsonl' } };
    if (n.type === 'sft') return { ...n, params: { base_model: i % 3 === 0 ? 'Qwen2.5-7B' : 'Qwen2.5-1.5B', max_seq_length: 2048 }, resources: { gpus: 1 } };
    if (n.type === 'cpt') return { ...n, params: { base_model: 'Qwen2.5-7B', load_in_4bit: false, gradient_checkpointing: false, max_seq_length: 4096 }, resources: { gpus: 1 } };
    return n;
  });
  return doc;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function time(fn: () => unknown): number[] {
  fn();
  const out: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    fn();
    out.push(performance.now() - start);
  }
  return out;
}

export async function run() {
  const doc = estimateBenchPipeline();
  const ctx: EstimateContext = { defaultGpuProduct: 'NVIDIA-A100-SXM4-40GB' };
  const check = estimatePipeline(doc, catalog, ctx);
  const gpuNodes = check.nodes.length;
  const noFit = check.nodes.filter((n) => n.verdict === 'no-fit').length;
  if (gpuNodes < 400 || noFit < 1 || check.total.hours === null) throw new Error(`the bench pipeline is not what it should be: ${gpuNodes} GPU nodes, ${noFit} not fitting, total ${check.total.hours} h`);
  const estimate = median(time(() => estimatePipeline(doc, catalog, ctx)));
  const withProblems = median(time(() => estimateProblems(doc, catalog, ctx)));
  console.log(`estimate of ${doc.nodes.length} nodes (${gpuNodes} on GPUs, ${noFit} not fitting): median ${estimate.toFixed(1)} ms, with problems ${withProblems.toFixed(1)} ms (goal < ${GOAL_MS} ms)`);
  if (estimate > GOAL_MS) console.log(`over the goal: ${estimate.toFixed(1)} ms`);
  return [
    { name: 'estimate 1000 nodes (median)', value: Math.round(estimate * 10) / 10, unit: 'ms' },
    { name: 'estimate + problems 1000 nodes (median)', value: Math.round(withProblems * 10) / 10, unit: 'ms' },
  ];
}
