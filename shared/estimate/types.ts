/** Types of the GPU memory, time and cost estimate (docs/estimate.md explains the model). */

/** The numbers of a decoder-only transformer that memory and compute depend on (its config.json). */
export interface ModelShape {
  /** Display name: the canonical table name or the config's path. */
  name: string;
  hidden: number;
  intermediate: number;
  layers: number;
  heads: number;
  kvHeads: number;
  headDim: number;
  vocab: number;
  tiedEmbeddings: boolean;
  /** Biases on q, k and v (Qwen2). */
  qkvBias: boolean;
  /** Parameters outside the decoder (a vision tower of a multimodal checkpoint), loaded but not trained. */
  extraParams: number;
  /** Attention scores are materialised (eager attention, as Gemma 2's logit soft-capping needs). */
  eagerAttention: boolean;
  /** Final logits go through tanh soft-capping (Gemma 2): more copies of the logits. */
  logitSoftcap: boolean;
  /** The checkpoint is stored already quantized to 4 bits (bitsandbytes), whatever load_in_4bit says. */
  prequantized4bit: boolean;
}

/** Where a shape came from, or why there is none. */
export type ModelLookup = { ok: true; shape: ModelShape; source: 'table' | 'config' } | { ok: false; reason: string };

/** A GPU product as NVIDIA GPU feature discovery labels it (`nvidia.com/gpu.product`). */
export interface GpuProduct {
  label: string;
  /** Total memory as the driver reports it (`nvidia.com/gpu.memory`, MiB). */
  memoryMiB: number;
  /** Dense bf16 (fp16 where there is no bf16) tensor-core throughput, TFLOPS. */
  tflops: number;
  /** Memory bandwidth, GB/s. */
  bandwidthGBs: number;
  /** GPU-to-GPU bandwidth per direction for gradient all-reduce (NVLink or PCIe), GB/s. */
  linkGBs: number;
  /** Sensible on-demand price per GPU-hour in USD; Settings can change it. */
  priceUsd: number;
}

/** A dataset's size as far as it is known. */
export interface DatasetSize {
  tokens: number;
  /** Records, when known (an average example length follows). */
  examples?: number;
  /** How it was found: counted by the last preprocess run, from a bundled sample's text, or from a file's size. */
  source: 'preprocess' | 'sample' | 'file';
}

/** What the pure estimate may ask of its caller (the CLI reads files; the app asks its back end). */
export interface EstimateContext {
  /** The parsed config.json of a local model folder, or undefined when it cannot be read. */
  readModelConfig?: (path: string) => unknown;
  /** Bytes of a local dataset file or folder, or undefined when unknown. */
  datasetBytes?: (uri: string) => number | undefined;
  /** Characters and records a preprocess node kept in its last run, by node id. */
  preprocessCounts?: Readonly<Record<string, { chars: number; records?: number }>>;
  /** Bundled sample files, `sample://NAME` -> text. */
  samples?: Readonly<Record<string, string>>;
  /** GPU product for nodes that name none. */
  defaultGpuProduct?: string;
  /** Judge every node against this product instead (`pipewright estimate --gpu-product`). */
  gpuProductOverride?: string;
  /** USD per GPU-hour by product label; missing products use the table's price. */
  prices?: Readonly<Record<string, number>>;
  /** Values of the pipeline's run-time parameters (the run dialog's); missing ones take their defaults. */
  parameterValues?: Readonly<Record<string, string | number | boolean>>;
}

export type Verdict = 'fits' | 'tight' | 'no-fit';

/** One term of the per-GPU memory, in bytes. */
export interface MemoryTerm {
  key: 'context' | 'weights' | 'adapter' | 'optimizer' | 'activations' | 'logits' | 'kvCache' | 'fragmentation';
  bytes: number;
}

export interface MemoryEstimate {
  terms: MemoryTerm[];
  /** What the device shows in use at peak, CUDA context included. */
  totalBytes: number;
}

/** A knob change that makes the node fit, with the memory it would need. */
export interface FitSuggestion {
  kind: 'load_in_4bit' | 'gradient_checkpointing' | 'batch' | 'sequence' | 'product';
  /** Parameter changes to apply (`per_device_train_batch_size`, ...); for `product`, none. */
  params: Record<string, number | boolean>;
  gpuProduct?: string;
  gpuMemoryGiB: number;
}

export interface NodeEstimate {
  id: string;
  kind: 'training' | 'inference';
  gpus: number;
  model?: string;
  /** Why there is no memory figure (unknown model, engine without a GPU, ...). */
  unknown?: string;
  memory?: MemoryEstimate;
  gpuMemoryGiB: number | null;
  gpuProduct: string | null;
  gpuProductMemoryGiB: number | null;
  verdict: Verdict | null;
  tokens: number | null;
  /** How tokens were found, or why they are unknown. */
  tokensSource?: DatasetSize['source'] | 'params';
  tokensUnknown?: string;
  hours: number | null;
  gpuHours: number | null;
  cost: number | null;
}

export interface PipelineEstimate {
  nodes: NodeEstimate[];
  /** Critical-path hours; GPU-hours and cost summed. Null when a GPU node's figure is unknown. */
  total: { hours: number | null; gpuHours: number | null; cost: number | null };
  /** Nodes on the critical path, in order. */
  criticalPath: string[];
}
