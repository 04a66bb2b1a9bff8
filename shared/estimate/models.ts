/**
 * Shapes of common base models, copied from each model's config.json on the Hugging Face hub
 * (hidden_size, intermediate_size, num_hidden_layers / num_layers, num_attention_heads,
 * num_key_value_heads, head_dim, vocab_size, tie_word_embeddings), and the name rules that map
 * Hugging Face and Unsloth names (`unsloth/Qwen2.5-7B-Instruct-bnb-4bit`) onto them.
 */
import type { ModelLookup, ModelShape } from './types.ts';

type Row = [name: string, hidden: number, intermediate: number, layers: number, heads: number, kvHeads: number, headDim: number, vocab: number, tied: boolean, extra?: Partial<ModelShape>];

const QWEN = { qkvBias: true };
const GEMMA2 = { eagerAttention: true, logitSoftcap: true };
/** Gemma 3 4B and up are multimodal checkpoints: a SigLIP vision tower (~0.42B parameters) loads with the text model. */
const GEMMA3_VISION = { extraParams: 0.42e9 };

const ROWS: Row[] = [
  ['Qwen2.5-0.5B', 896, 4864, 24, 14, 2, 64, 151936, true, QWEN],
  ['Qwen2.5-1.5B', 1536, 8960, 28, 12, 2, 128, 151936, true, QWEN],
  ['Qwen2.5-3B', 2048, 11008, 36, 16, 2, 128, 151936, true, QWEN],
  ['Qwen2.5-7B', 3584, 18944, 28, 28, 4, 128, 152064, false, QWEN],
  ['Qwen2.5-14B', 5120, 13824, 48, 40, 8, 128, 152064, false, QWEN],
  ['Qwen2.5-32B', 5120, 27648, 64, 40, 8, 128, 152064, false, QWEN],
  ['Qwen2.5-72B', 8192, 29568, 80, 64, 8, 128, 152064, false, QWEN],
  ['Llama-3.2-1B', 2048, 8192, 16, 32, 8, 64, 128256, true],
  ['Llama-3.2-3B', 3072, 8192, 28, 24, 8, 128, 128256, true],
  ['Llama-3.1-8B', 4096, 14336, 32, 32, 8, 128, 128256, false],
  ['Llama-3.1-70B', 8192, 28672, 80, 64, 8, 128, 128256, false],
  ['gemma-2-2b', 2304, 9216, 26, 8, 4, 256, 256000, true, GEMMA2],
  ['gemma-2-9b', 3584, 14336, 42, 16, 8, 256, 256000, true, GEMMA2],
  ['gemma-2-27b', 4608, 36864, 46, 32, 16, 128, 256000, true, GEMMA2],
  ['gemma-3-1b', 1152, 6912, 26, 4, 1, 256, 262144, true],
  ['gemma-3-4b', 2560, 10240, 34, 8, 4, 256, 262208, true, GEMMA3_VISION],
  ['gemma-3-12b', 3840, 15360, 48, 16, 8, 256, 262208, true, GEMMA3_VISION],
  ['gemma-3-27b', 5376, 21504, 62, 32, 16, 128, 262208, true, GEMMA3_VISION],
  ['EXAONE-3.5-2.4B', 2560, 7168, 30, 32, 8, 80, 102400, true],
  ['EXAONE-3.5-7.8B', 4096, 14336, 32, 32, 8, 128, 102400, false],
  ['EXAONE-3.5-32B', 5120, 27392, 64, 40, 8, 128, 102400, false],
  ['Mistral-7B-v0.1', 4096, 14336, 32, 32, 8, 128, 32000, false],
  ['Mistral-7B-v0.3', 4096, 14336, 32, 32, 8, 128, 32768, false],
  ['Mistral-Nemo-12B', 5120, 14336, 40, 32, 8, 128, 131072, false],
];

/** Other spellings of the same shape (after normalisation). */
const ALIASES: Record<string, string> = {
  'llama-3-8b': 'llama-3.1-8b',
  'llama-3-70b': 'llama-3.1-70b',
  'llama-3.3-70b': 'llama-3.1-70b',
  'mistral-7b-v0.2': 'mistral-7b-v0.1',
  'mistral-nemo': 'mistral-nemo-12b',
};

function shapeOf(row: Row): ModelShape {
  const [name, hidden, intermediate, layers, heads, kvHeads, headDim, vocab, tied, extra] = row;
  return {
    name, hidden, intermediate, layers, heads, kvHeads, headDim, vocab, tiedEmbeddings: tied,
    qkvBias: false, extraParams: 0, eagerAttention: false, logitSoftcap: false, prequantized4bit: false, ...extra,
  };
}

const TABLE = new Map(ROWS.map((row) => [row[0].toLowerCase(), shapeOf(row)]));

/** Canonical names of the table, for messages. */
export const KNOWN_MODELS: readonly string[] = ROWS.map((r) => r[0]);

const DROPPED_WORDS = new Set(['meta', 'instruct', 'it', 'chat', 'base', 'hf', 'pt']);
const FOUR_BIT = /-(unsloth-)?bnb-4bit$|-4bit$/;

/** `unsloth/Meta-Llama-3.1-8B-Instruct-bnb-4bit` -> `{ key: 'llama-3.1-8b', fourBit: true }`. */
export function normalizeModelName(name: string): { key: string; fourBit: boolean } {
  let last = name.trim().replace(/\/+$/, '').split('/').pop()!.toLowerCase();
  const fourBit = FOUR_BIT.test(last);
  last = last.replace(FOUR_BIT, '');
  const words = last.split('-').filter((w, i) => !(DROPPED_WORDS.has(w) && (i > 0 || w === 'meta')) && !/^\d{4}$/.test(w));
  const key = words.join('-');
  return { key: ALIASES[key] ?? key, fourBit };
}

/** A base model given as a folder on disk rather than a hub id. */
export function isLocalModelPath(name: string): boolean {
  return /^(\/|\.\.?[\\/]|~[\\/]|[A-Za-z]:[\\/]|file:\/\/)/.test(name.trim());
}

export function unknownModelMessage(name: string): string {
  return `unknown model ${JSON.stringify(name)}: give a local path with config.json or one of ${KNOWN_MODELS.join(', ')} (Hugging Face and Unsloth names of these, -Instruct and -bnb-4bit included, are recognised)`;
}

/** The table's shape for a Hugging Face or Unsloth model id. */
export function lookupKnownModel(name: string): ModelLookup {
  const { key, fourBit } = normalizeModelName(name);
  const shape = TABLE.get(key);
  if (!shape) return { ok: false, reason: unknownModelMessage(name) };
  return { ok: true, source: 'table', shape: { ...shape, prequantized4bit: fourBit } };
}
