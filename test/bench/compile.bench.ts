/**
 * Compile time of generated 100 / 1,000 / 2,000 / 5,000 / 10,000-node pipelines over the real catalog
 * (real step scripts) to each target and to all three, sizes interleaved in rounds; medians, µs per node,
 * and the 5k/1k (linear 5x) and 10k/5k (linear 2x) ratios; then each size compiled back to back (µs per node
 * with the garbage collection it causes). Goal: 1,000 nodes to all three well under 100 ms.
 */
import { catalog } from '../../node-catalog/index.ts';
import { compileTarget } from '../../shared/compile/index.ts';
import type { CompileTarget } from '../../shared/compile/index.ts';
import type { PipelineDocument, PipelineEdge, PipelineNode, PortSpec } from '../../shared/pipeline/types.ts';

export interface BenchResult {
  name: string;
  value: number;
  unit: string;
}

const TYPES = ['dataset', 'preprocess', 'cpt', 'dataset', 'sft', 'dataset', 'eval', 'deploy'];

/** A deterministic pipeline of `size` nodes: each input fed by one of the few latest outputs of its kind. */
export function generatePipeline(size: number): PipelineDocument {
  let seed = 42;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const nodes: PipelineNode[] = [];
  const edges: PipelineEdge[] = [];
  const outputs: { id: string; port: PortSpec }[] = [];
  for (let i = 0; i < size; i++) {
    const spec = catalog.get(TYPES[i % TYPES.length])!;
    const id = `${spec.type}-${i}`;
    const node: PipelineNode = { id, type: spec.type, position: { x: i * 10, y: 0 } };
    if (spec.type === 'dataset') node.params = { uri: `s3://corpus/part-${i}.jsonl` };
    if (spec.type === 'cpt' || spec.type === 'sft') node.params = { learning_rate: 1e-5 * (1 + random()), num_epochs: 1 + (i % 3) };
    for (const port of spec.inputs) {
      const candidates = outputs.filter((o) => o.port.kind === port.kind).slice(-4);
      if (candidates.length === 0) continue;
      const from = candidates[Math.floor(random() * candidates.length)];
      edges.push({ id: `e${edges.length}`, source: from.id, sourceHandle: from.port.name, target: id, targetHandle: port.name });
    }
    for (const port of spec.outputs) outputs.push({ id, port });
    nodes.push(node);
  }
  return { format: 'pipewright.pipeline/v2', name: `bench-${size}`, settings: { mlflowTrackingUri: 'http://mlflow:5000', secretEnv: [{ secret: 'hf-token', key: 'token', env: 'HF_TOKEN' }] }, nodes, edges };
}

const TARGETS: readonly CompileTarget[] = ['kfp', 'argo', 'dvc'];

/** Wall time and the process's CPU time (all threads, the garbage collector's included), in ms. */
function time(doc: PipelineDocument, targets: readonly CompileTarget[]): { wall: number; cpu: number } {
  const cpu = process.cpuUsage();
  const start = performance.now();
  for (const t of targets) compileTarget(doc, catalog, t);
  const wall = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { wall, cpu: (used.user + used.system) / 1000 };
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

const round = (ms: number) => Math.round(ms * 100) / 100;

const SIZES = [100, 1000, 2000, 5000, 10_000];
/** Rounds of every size and target; a round of 10,000 nodes to all three takes about a second. */
const ROUNDS = 7;
const MIN_ROUNDS = 3;
/** After MIN_ROUNDS, no new round starts once this much time has gone. */
const TIME_LIMIT_MS = 60_000;

export async function run(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const docs = SIZES.map(generatePipeline);
  const cases = [...TARGETS.map((t) => [t]), TARGETS];
  const label = (targets: readonly CompileTarget[]) => (targets.length === 1 ? targets[0] : 'all three');
  // Every size and target once per round, in turn, so load from other processes and the heap's state
  // (a large compile leaves old-space garbage behind) reach every size alike; one warm-up round first.
  for (const doc of docs) for (const targets of cases) time(doc, targets);
  const samples = new Map<string, number[]>();
  const cpuSamples = new Map<string, number[]>();
  const started = performance.now();
  let rounds = 0;
  while (rounds < ROUNDS && (rounds < MIN_ROUNDS || performance.now() - started < TIME_LIMIT_MS)) {
    docs.forEach((doc, i) => {
      for (const targets of cases) {
        const key = `${SIZES[i]} ${label(targets)}`;
        // Small sizes are timed several times a round: their medians are as steady as the large ones'.
        for (let rep = 0; rep < Math.min(10, Math.max(1, Math.round(5000 / SIZES[i]))); rep++) {
          const { wall, cpu } = time(doc, targets);
          samples.set(key, [...(samples.get(key) ?? []), wall]);
          cpuSamples.set(key, [...(cpuSamples.get(key) ?? []), cpu]);
        }
      }
    });
    rounds++;
  }
  const medians = new Map<string, number>();
  const cpuMedians = new Map<string, number>();
  for (const [i, size] of SIZES.entries()) {
    for (const targets of cases) {
      const key = `${size} ${label(targets)}`;
      const sorted = samples.get(key)!.sort((a, b) => a - b);
      const median = quantile(sorted, 0.5);
      const p95 = quantile(sorted, 0.95);
      const cpu = quantile(cpuSamples.get(key)!.sort((a, b) => a - b), 0.5);
      medians.set(key, median);
      cpuMedians.set(key, cpu);
      const perNode = (median * 1000) / docs[i].nodes.length;
      console.log(
        `  ${String(size).padStart(6)} nodes  ${label(targets).padEnd(9)}  median ${round(median).toFixed(2).padStart(8)} ms  p95 ${round(p95).toFixed(2).padStart(8)} ms  ${perNode.toFixed(1).padStart(6)} µs/node  CPU ${round(cpu).toFixed(1).padStart(7)} ms  (${sorted.length} runs)`,
      );
      results.push({ name: `compile: ${size} nodes to ${label(targets)}, median`, value: round(median), unit: 'ms' });
      results.push({ name: `compile: ${size} nodes to ${label(targets)}, p95`, value: round(p95), unit: 'ms' });
      results.push({ name: `compile: ${size} nodes to ${label(targets)}, per node (median)`, value: Number(perNode.toFixed(2)), unit: 'µs' });
    }
  }
  // Scaling: 5x the nodes should cost about 5x the time (linear); the issue saw 9.7x. Goal: at most 5.5x.
  for (const targets of cases) {
    const at = (size: number) => medians.get(`${size} ${label(targets)}`)!;
    const ratio = at(5000) / at(1000);
    const ratio10k = at(10_000) / at(5000);
    // CPU time counts only this process's work, so other processes on a busy machine move it less than wall time.
    const cpuAt = (size: number) => cpuMedians.get(`${size} ${label(targets)}`)!;
    const cpuRatio = cpuAt(5000) / cpuAt(1000);
    console.log(
      `  ${label(targets).padEnd(9)}  5,000 vs 1,000 nodes ${ratio.toFixed(2)}x (linear 5x, goal <= 5.5x: ${ratio <= 5.5 ? 'met' : 'NOT met'}; CPU time ${cpuRatio.toFixed(2)}x)  10,000 vs 5,000 nodes ${ratio10k.toFixed(2)}x (linear 2x; CPU time ${(cpuAt(10_000) / cpuAt(5000)).toFixed(2)}x)`,
    );
    results.push({ name: `compile: 5000 vs 1000 nodes to ${label(targets)}, ratio of medians (linear 5x)`, value: Number(ratio.toFixed(2)), unit: 'x' });
    results.push({ name: `compile: 10000 vs 5000 nodes to ${label(targets)}, ratio of medians (linear 2x)`, value: Number(ratio10k.toFixed(2)), unit: 'x' });
    results.push({ name: `compile: 5000 vs 1000 nodes to ${label(targets)}, ratio of CPU-time medians (linear 5x)`, value: Number(cpuRatio.toFixed(2)), unit: 'x' });
  }
  // Throughput: compiles of one size back to back, ~20,000 nodes a sample, so each size pays the
  // garbage collection its own compiles cause (a median of single compiles can miss it for small sizes,
  // whose few garbage collections fall outside most samples). Linear: the same µs per node at every size.
  const THROUGHPUT_SIZES = [1000, 5000, 10_000];
  for (const targets of cases) {
    const perNode = new Map<number, number>();
    for (const size of THROUGHPUT_SIZES) {
      const doc = docs[SIZES.indexOf(size)];
      const reps = Math.max(2, Math.round(20_000 / size));
      const sampleUs: number[] = [];
      for (let sample = 0; sample < 3; sample++) {
        const start = performance.now();
        for (let rep = 0; rep < reps; rep++) for (const t of targets) compileTarget(doc, catalog, t);
        sampleUs.push(((performance.now() - start) * 1000) / (reps * size));
      }
      perNode.set(size, quantile(sampleUs.sort((a, b) => a - b), 0.5));
    }
    const at = (size: number) => perNode.get(size)!;
    const ratio = (5 * at(5000)) / at(1000);
    console.log(
      `  ${label(targets).padEnd(9)}  back to back: ${THROUGHPUT_SIZES.map((size) => `${size}: ${at(size).toFixed(1)} µs/node`).join(', ')}; 5,000 vs 1,000 nodes ${ratio.toFixed(2)}x (linear 5x), 10,000 vs 5,000 ${((2 * at(10_000)) / at(5000)).toFixed(2)}x (linear 2x)`,
    );
    for (const size of THROUGHPUT_SIZES) results.push({ name: `compile: ${size} nodes to ${label(targets)}, back to back, per node (median of 3)`, value: Number(at(size).toFixed(2)), unit: 'µs' });
    results.push({ name: `compile: 5000 vs 1000 nodes to ${label(targets)}, back to back, ratio (linear 5x)`, value: Number(ratio.toFixed(2)), unit: 'x' });
  }
  const goal = medians.get('1000 all three')!;
  console.log(`  goal: 1,000 nodes to all three targets well under 100 ms: ${round(goal)} ms (${goal < 100 ? 'met' : 'NOT met'})`);
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await run()) console.log(`${r.name}: ${r.value} ${r.unit}`);
}
