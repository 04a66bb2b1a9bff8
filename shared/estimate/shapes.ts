/** Parameter counts, LoRA adapter sizes and saved activations of a decoder layer, from a model's shape. */
import type { ModelShape } from './types.ts';

export interface LoraSetup {
  loraR: number;
  /** peft target module names (q_proj, ..., or EXAONE's out_proj, c_fc_0, ...; `all-linear`). */
  targets: readonly string[];
  loraDropout: number;
}

type Linear = 'q' | 'k' | 'v' | 'o' | 'gate' | 'up' | 'down';

const TARGET_NAMES: Record<string, Linear> = {
  q_proj: 'q', k_proj: 'k', v_proj: 'v', o_proj: 'o', gate_proj: 'gate', up_proj: 'up', down_proj: 'down',
  // EXAONE 3.x spells its linears differently.
  out_proj: 'o', c_fc_0: 'gate', c_fc_1: 'up', c_proj: 'down',
};
const ALL_LINEAR: readonly Linear[] = ['q', 'k', 'v', 'o', 'gate', 'up', 'down'];

/** The block linears a target list adapts (each once). */
export function targetLinears(targets: readonly string[]): Linear[] {
  if (targets.includes('all-linear')) return [...ALL_LINEAR];
  return [...new Set(targets.flatMap((t) => TARGET_NAMES[t] ?? []))];
}

/** Targets the estimate does not know (they are left out of the adapter's size). */
export function unknownTargets(targets: readonly string[]): string[] {
  return targets.filter((t) => !(t in TARGET_NAMES) && t !== 'all-linear' && t !== 'embed_tokens' && t !== 'lm_head');
}

/** [input, output] features of each block linear. */
function dims(s: ModelShape): Record<Linear, [number, number]> {
  const q = s.heads * s.headDim;
  const kv = s.kvHeads * s.headDim;
  return { q: [s.hidden, q], k: [s.hidden, kv], v: [s.hidden, kv], o: [q, s.hidden], gate: [s.hidden, s.intermediate], up: [s.hidden, s.intermediate], down: [s.intermediate, s.hidden] };
}

/** Weights of the decoder layers' linears: what 4-bit loading quantizes. */
export function blockLinearParams(s: ModelShape): number {
  return s.layers * Object.values(dims(s)).reduce((sum, [i, o]) => sum + i * o, 0);
}

/** Embeddings, an untied lm_head, norms and biases: what stays in 16 bits (or 32) when loading in 4 bits. */
export function otherParams(s: ModelShape): number {
  const embeddings = s.vocab * s.hidden * (s.tiedEmbeddings ? 1 : 2);
  const bias = s.qkvBias ? (s.heads + 2 * s.kvHeads) * s.headDim : 0;
  return embeddings + s.layers * (2 * s.hidden + bias) + s.hidden;
}

export function totalParams(s: ModelShape): number {
  return blockLinearParams(s) + otherParams(s);
}

/** Weights that take part in a matrix multiply per token: block linears and the lm_head (tied or not). */
export function matmulParams(s: ModelShape): number {
  return blockLinearParams(s) + s.vocab * s.hidden;
}

/** LoRA A and B of every adapted linear: r x (in + out) each, per layer; embeddings and lm_head when named. */
export function adapterParams(s: ModelShape, lora: LoraSetup): number {
  const d = dims(s);
  const perLayer = targetLinears(lora.targets).reduce((sum, l) => sum + lora.loraR * (d[l][0] + d[l][1]), 0);
  const edges = ['embed_tokens', 'lm_head'].filter((t) => lora.targets.includes(t)).length;
  return s.layers * perLayer + edges * lora.loraR * (s.vocab + s.hidden);
}

/**
 * Bytes one token leaves saved for backward in one decoder layer with frozen base weights (no
 * checkpointing): two RMSNorm fp32 copies (4 + 4 x hidden), per adapted linear its input cast to
 * bf16 (2) plus the dropout mask (1), SDPA's q, k, v and output (2 each), and the gated MLP's gate,
 * activation and up outputs (3 x intermediate, in the residual stream's dtype: bf16, or fp32 after peft's
 * k-bit preparation). Frozen linears save nothing of their own.
 */
export function savedBytesPerTokenPerLayer(s: ModelShape, lora: LoraSetup, residualBytes = 2): number {
  const d = dims(s);
  const q = s.heads * s.headDim;
  const kv = s.kvHeads * s.headDim;
  const perInput = lora.loraDropout > 0 ? 3 : 2;
  const adapters = targetLinears(lora.targets).reduce((sum, l) => sum + d[l][0] * perInput, 0);
  return 8 * s.hidden + adapters + 4 * q + 4 * kv + 3 * residualBytes * s.intermediate;
}
