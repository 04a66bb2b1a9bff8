import { catalog } from '../../../node-catalog/index.ts';
import { gpuProduct, GPU_PRODUCTS } from '../../../shared/estimate/gpus.ts';
import { estimatePipeline } from '../../../shared/estimate/pipeline.ts';
import { describeSuggestion } from '../../../shared/estimate/problems.ts';
import { fitSuggestions } from '../../../shared/estimate/suggest.ts';
import type { NodeEstimate, PipelineEstimate } from '../../../shared/estimate/types.ts';
import { estimateContextFor } from '../estimateContext.ts';
import { readPipelineFile } from '../pipelineFile.ts';
import { formatTable } from '../runFormat.ts';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, type CliCommand } from '../types.ts';

/** The contract's JSON (DESIGN.md): exactly these fields, in this order. */
function contractJson(e: PipelineEstimate): string {
  const nodes = e.nodes.map((n) => ({
    id: n.id, gpuMemoryGiB: n.gpuMemoryGiB, gpuProduct: n.gpuProduct, gpuProductMemoryGiB: n.gpuProductMemoryGiB,
    fits: n.verdict === null ? null : n.verdict !== 'no-fit', tokens: n.tokens, hours: n.hours, gpuHours: n.gpuHours, cost: n.cost,
  }));
  return `${JSON.stringify({ nodes, total: e.total }, null, 2)}\n`;
}

const dash = (v: number | null, text: (v: number) => string) => (v === null ? '-' : text(v));
const FIT = { fits: 'fits', tight: 'tight (<10% free)', 'no-fit': 'DOES NOT FIT' } as const;

function tokensText(n: NodeEstimate): string {
  if (n.tokens === null) return '-';
  return n.tokens >= 1e9 ? `${(n.tokens / 1e9).toFixed(2)}B` : n.tokens >= 1e6 ? `${(n.tokens / 1e6).toFixed(1)}M` : n.tokens >= 1e3 ? `${(n.tokens / 1e3).toFixed(1)}k` : String(n.tokens);
}

function text(e: PipelineEstimate, notes: string[]): string {
  const rows = e.nodes.map((n) => [
    n.id, `${n.gpus}x ${n.gpuProduct ?? '(no product)'}`, n.model ?? '?', dash(n.gpuMemoryGiB, (v) => `${v.toFixed(1)} GiB`),
    n.verdict ? `${FIT[n.verdict]} (${n.gpuProductMemoryGiB?.toFixed(1)} GiB)` : '-', tokensText(n), dash(n.hours, (v) => v.toFixed(2)),
    dash(n.gpuHours, (v) => v.toFixed(2)), dash(n.cost, (v) => `$${v.toFixed(2)}`),
  ]);
  const t = e.total;
  const unknown = e.nodes.filter((n) => n.hours === null).map((n) => n.id);
  const total =
    t.hours === null
      ? `Pipeline: hours, GPU-hours and cost unknown until ${unknown.join(', ')} can be timed (see below)`
      : `Pipeline: ${t.hours.toFixed(2)} h along ${e.criticalPath.join(' -> ') || 'no GPU step'}, ${dash(t.gpuHours, (v) => v.toFixed(2))} GPU-hours, ${dash(t.cost, (v) => `$${v.toFixed(2)}`)}`;
  const table = formatTable(['NODE', 'GPUS', 'MODEL', 'MEMORY/GPU', 'FIT', 'TOKENS', 'HOURS', 'GPU-HOURS', 'COST'], rows);
  return `${table}\n${total}\n${notes.map((n) => `  ${n}\n`).join('')}`;
}

export const command: CliCommand = {
  name: 'estimate',
  summary: 'GPU memory, fit, time and cost of each GPU step, before anything runs',
  usage: 'pipewright estimate FILE [--gpu-product P] [--json]',
  description: [
    'For every step that trains (cpt, sft) or evaluates (eval, ko-bench) on GPUs: the peak GPU memory',
    'per GPU (what the device shows in use, CUDA context included), whether it fits the step\'s GPU',
    'product (its resources.gpuProduct, else the default product in Settings), the tokens it',
    'processes, hours, GPU-hours and cost at the price per GPU-hour in Settings. The pipeline total',
    'takes the critical path\'s hours and sums GPU-hours and cost. Tokens come from the last run\'s',
    'preprocess counts, a bundled sample or a local file\'s size; remote data stays unknown (-, null)',
    'until preprocess has run once. docs/estimate.md explains the model and its limits.',
    'Exit status: 0, or 1 when a step does not fit its GPU or the file cannot be read; 2 for a wrong',
    'command line.',
  ].join('\n'),
  positionals: [{ name: 'FILE', description: 'The pipeline document' }],
  options: {
    'gpu-product': { type: 'string', valueName: 'P', description: 'Judge every GPU step against this nvidia.com/gpu.product label (e.g. NVIDIA-H100-80GB-HBM3)' },
    json: { type: 'boolean', description: 'Print {"nodes": [...], "total": {...}} as JSON on stdout' },
  },
  examples: ['pipewright estimate korean-llm.pipewright.json', 'pipewright estimate pipeline.pipewright.json --gpu-product NVIDIA-L40S --json | jq .total'],
  async run(args, io) {
    const [file] = args.positionals;
    const override = typeof args.options['gpu-product'] === 'string' ? args.options['gpu-product'].trim() : undefined;
    if (override !== undefined && !gpuProduct(override)) {
      io.stderr(`pipewright estimate: unknown GPU product ${JSON.stringify(override)}; known: ${GPU_PRODUCTS.map((p) => p.label).join(', ')} (and their -MIG-<n>g.<m>gb slices)\n`);
      return EXIT_USAGE;
    }
    const loaded = await readPipelineFile(file, io.cwd);
    if (!loaded.ok) {
      io.stderr(`error  file ${file}: ${loaded.error.message}\n`);
      return EXIT_FAILURE;
    }
    const doc = loaded.document;
    const ctx = await estimateContextFor(io, doc, file, override);
    const estimate = estimatePipeline(doc, catalog, ctx);
    const notes: string[] = [];
    for (const n of estimate.nodes) {
      if (n.unknown) notes.push(`${n.id}: no memory estimate: ${n.unknown}`);
      else if (n.tokensUnknown) notes.push(`${n.id}: tokens unknown: ${n.tokensUnknown}`);
      if (n.gpuProduct === null) notes.push(`${n.id}: no GPU product (set resources.gpuProduct, a default in Settings, or --gpu-product)`);
      else if (n.gpuProductMemoryGiB === null) notes.push(`${n.id}: GPU product ${n.gpuProduct} is not in the estimate's table`);
      if (n.verdict === 'no-fit') {
        const fixes = fitSuggestions(doc, catalog, ctx, n.id).map(describeSuggestion);
        notes.push(`${n.id}: does not fit; ${fixes.length > 0 ? `fits with: ${fixes.join('; ')}` : 'no single change makes it fit'}`);
      } else if (n.verdict === 'tight') {
        const fixes = fitSuggestions(doc, catalog, ctx, n.id).map(describeSuggestion);
        notes.push(`${n.id}: tight (under 10 % of the GPU's memory free)${fixes.length > 0 ? `; leaves headroom with: ${fixes.join('; ')}` : ''}`);
      }
    }
    if (args.options.json) io.stdout(contractJson(estimate));
    else io.stdout(estimate.nodes.length === 0 ? `${file}: no step uses GPUs (or all run the tiny CPU engine)\n` : text(estimate, notes));
    if (args.options.json && notes.length > 0) io.stderr(notes.map((n) => `note: ${n}\n`).join(''));
    return estimate.nodes.some((n) => n.verdict === 'no-fit') ? EXIT_FAILURE : EXIT_OK;
  },
};
