/**
 * A model's shape from its own config.json (a local base model folder), read the way transformers
 * reads it: the usual key names and their older spellings, `text_config` of multimodal checkpoints,
 * and PretrainedConfig's default of tied embeddings.
 */
import { isLocalModelPath, lookupKnownModel } from './models.ts';
import type { ModelLookup, ModelShape } from './types.ts';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function positiveInt(config: Json, keys: readonly string[]): number | undefined {
  for (const key of keys) {
    const v = config[key];
    if (typeof v === 'number' && Number.isInteger(v) && v > 0) return v;
  }
  return undefined;
}

function quantizedTo4bit(q: unknown): boolean {
  if (!isObject(q)) return false;
  return q.load_in_4bit === true || q._load_in_4bit === true || (q.quant_method === 'bitsandbytes' && q.bnb_4bit_quant_type !== undefined && q.load_in_8bit !== true);
}

/** The keys shapeFromConfig reads (top level and text_config), and those of quantization_config. */
const SHAPE_KEYS = new Set([
  'num_experts', 'num_local_experts', 'n_routed_experts', 'hidden_size', 'n_embd', 'd_model', 'intermediate_size', 'n_inner', 'ffn_dim',
  'num_hidden_layers', 'num_layers', 'n_layer', 'num_attention_heads', 'n_head', 'vocab_size', 'num_key_value_heads', 'num_kv_heads',
  'head_dim', 'tie_word_embeddings', 'model_type', 'attention_bias', 'attn_logit_softcapping', 'final_logit_softcapping',
]);
const QUANTIZATION_KEYS = new Set(['load_in_4bit', '_load_in_4bit', 'load_in_8bit', 'quant_method', 'bnb_4bit_quant_type']);

function pick(source: Json, keys: ReadonlySet<string>): Json {
  const kept: Json = {};
  for (const [key, value] of Object.entries(source)) {
    if (!keys.has(key)) continue;
    if (typeof value === 'number' || typeof value === 'boolean' || value === null || (typeof value === 'string' && value.length <= 200)) kept[key] = value;
  }
  return kept;
}

/**
 * Only what the estimate reads from a config.json: the back end hands the page this, never the whole file
 * (a path in a pipeline can name any folder, and some other tool's config.json holds credentials).
 */
export function modelConfigFields(raw: unknown): Json | null {
  if (!isObject(raw)) return null;
  const kept = pick(raw, SHAPE_KEYS);
  if (isObject(raw.text_config)) kept.text_config = pick(raw.text_config, SHAPE_KEYS);
  if (isObject(raw.quantization_config)) kept.quantization_config = pick(raw.quantization_config, QUANTIZATION_KEYS);
  return kept;
}

/** The shape in a parsed config.json, or the reason there is none (named after `where`). */
export function shapeFromConfig(raw: unknown, where: string): ModelLookup {
  if (!isObject(raw)) return { ok: false, reason: `${where} is not a JSON object` };
  const text = isObject(raw.text_config) ? { ...raw, ...raw.text_config } : raw;
  const experts = positiveInt(text, ['num_experts', 'num_local_experts', 'n_routed_experts']);
  if (experts !== undefined && experts > 1) return { ok: false, reason: `${where} describes a mixture-of-experts model (${experts} experts), which the estimate does not model` };
  const hidden = positiveInt(text, ['hidden_size', 'n_embd', 'd_model']);
  const intermediate = positiveInt(text, ['intermediate_size', 'n_inner', 'ffn_dim']);
  const layers = positiveInt(text, ['num_hidden_layers', 'num_layers', 'n_layer']);
  const heads = positiveInt(text, ['num_attention_heads', 'n_head']);
  const vocab = positiveInt(text, ['vocab_size']) ?? positiveInt(raw, ['vocab_size']);
  const missing = Object.entries({ hidden_size: hidden, intermediate_size: intermediate, num_hidden_layers: layers, num_attention_heads: heads, vocab_size: vocab })
    .filter(([, v]) => v === undefined)
    .map(([k]) => k);
  if (missing.length > 0) return { ok: false, reason: `${where} has no usable ${missing.join(', ')}` };
  const tied = typeof raw.tie_word_embeddings === 'boolean' ? raw.tie_word_embeddings : typeof text.tie_word_embeddings === 'boolean' ? text.tie_word_embeddings : true;
  const modelType = typeof text.model_type === 'string' ? text.model_type : '';
  const shape: ModelShape = {
    name: where,
    hidden: hidden!,
    intermediate: intermediate!,
    layers: layers!,
    heads: heads!,
    kvHeads: positiveInt(text, ['num_key_value_heads', 'num_kv_heads']) ?? heads!,
    headDim: positiveInt(text, ['head_dim']) ?? Math.round(hidden! / heads!),
    vocab: vocab!,
    tiedEmbeddings: tied,
    qkvBias: typeof text.attention_bias === 'boolean' ? text.attention_bias : modelType.startsWith('qwen2'),
    extraParams: 0,
    eagerAttention: typeof text.attn_logit_softcapping === 'number',
    logitSoftcap: typeof text.final_logit_softcapping === 'number',
    prequantized4bit: quantizedTo4bit(raw.quantization_config),
  };
  return { ok: true, source: 'config', shape };
}

/** A base model: its own config.json when it is a local path (read by the caller's reader), else the table. */
export function lookupModel(name: string, readConfig?: (path: string) => unknown): ModelLookup {
  const trimmed = name.trim();
  if (trimmed === '') return { ok: false, reason: 'no base model is set' };
  if (!isLocalModelPath(trimmed)) return lookupKnownModel(trimmed);
  const file = `${trimmed.replace(/^file:\/\//, '').replace(/[\\/]+$/, '')}/config.json`;
  if (!readConfig) return { ok: false, reason: `the base model ${JSON.stringify(trimmed)} is a local path, and its config.json cannot be read from here` };
  let config: unknown;
  try {
    config = readConfig(trimmed);
  } catch (error) {
    return { ok: false, reason: `cannot read ${file}: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (config === undefined) return { ok: false, reason: `unknown model ${JSON.stringify(trimmed)}: there is no readable ${file}` };
  return shapeFromConfig(config, file);
}
