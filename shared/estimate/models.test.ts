import { describe, expect, it } from 'vitest';
import { lookupModel, shapeFromConfig } from './modelConfig.ts';
import { KNOWN_MODELS, lookupKnownModel, normalizeModelName } from './models.ts';
import { totalParams } from './shapes.ts';

describe('model names', () => {
  it.each([
    ['unsloth/Qwen2.5-7B-bnb-4bit', 'Qwen2.5-7B', true],
    ['unsloth/Qwen2.5-7B-Instruct-bnb-4bit', 'Qwen2.5-7B', true],
    ['unsloth/Qwen2.5-0.5B-Instruct-unsloth-bnb-4bit', 'Qwen2.5-0.5B', true],
    ['Qwen/Qwen2.5-72B-Instruct', 'Qwen2.5-72B', false],
    ['meta-llama/Llama-3.1-8B-Instruct', 'Llama-3.1-8B', false],
    ['unsloth/Meta-Llama-3.1-8B-bnb-4bit', 'Llama-3.1-8B', true],
    ['unsloth/llama-3-8b-bnb-4bit', 'Llama-3.1-8B', true],
    ['unsloth/Llama-3.3-70B-Instruct-bnb-4bit', 'Llama-3.1-70B', true],
    ['unsloth/Llama-3.2-1B-Instruct-bnb-4bit', 'Llama-3.2-1B', true],
    ['meta-llama/Llama-3.2-3B', 'Llama-3.2-3B', false],
    ['google/gemma-2-9b-it', 'gemma-2-9b', false],
    ['unsloth/gemma-2-27b-bnb-4bit', 'gemma-2-27b', true],
    ['unsloth/gemma-3-4b-it-unsloth-bnb-4bit', 'gemma-3-4b', true],
    ['google/gemma-3-27b-pt', 'gemma-3-27b', false],
    ['LGAI-EXAONE/EXAONE-3.5-7.8B-Instruct', 'EXAONE-3.5-7.8B', false],
    ['LGAI-EXAONE/EXAONE-3.5-2.4B-Instruct', 'EXAONE-3.5-2.4B', false],
    ['mistralai/Mistral-7B-Instruct-v0.3', 'Mistral-7B-v0.3', false],
    ['unsloth/mistral-7b-v0.3-bnb-4bit', 'Mistral-7B-v0.3', true],
    ['mistralai/Mistral-Nemo-Instruct-2407', 'Mistral-Nemo-12B', false],
    ['unsloth/Mistral-Nemo-Base-2407-bnb-4bit', 'Mistral-Nemo-12B', true],
  ])('%s is %s (stored in 4 bits: %s)', (name, shape, fourBit) => {
    const found = lookupKnownModel(name);
    expect(found.ok && found.shape.name).toBe(shape);
    expect(found.ok && found.shape.prequantized4bit).toBe(fourBit);
  });

  it('says an unknown model is unknown and how to fix it, naming the known ones', () => {
    const found = lookupKnownModel('bigscience/bloom-7b1');
    expect(found.ok).toBe(false);
    expect(!found.ok && found.reason).toMatch(/^unknown model "bigscience\/bloom-7b1": give a local path with config.json or one of Qwen2.5-0.5B, .*EXAONE-3.5-7.8B/);
    expect(normalizeModelName('Chat-Model-Instruct').key).toBe('chat-model');
  });

  // Published parameter counts (model cards), a check on every row of the shape table.
  it.each([
    ['Qwen2.5-0.5B', 0.49], ['Qwen2.5-1.5B', 1.54], ['Qwen2.5-3B', 3.09], ['Qwen2.5-7B', 7.62], ['Qwen2.5-14B', 14.77], ['Qwen2.5-32B', 32.76], ['Qwen2.5-72B', 72.71],
    ['Llama-3.2-1B', 1.24], ['Llama-3.2-3B', 3.21], ['Llama-3.1-8B', 8.03], ['Llama-3.1-70B', 70.55],
    ['gemma-2-2b', 2.61], ['gemma-2-9b', 9.24], ['gemma-2-27b', 27.23], ['gemma-3-1b', 1.0], ['gemma-3-4b', 3.88], ['gemma-3-12b', 11.77], ['gemma-3-27b', 27.01],
    ['EXAONE-3.5-2.4B', 2.41], ['EXAONE-3.5-7.8B', 7.82], ['EXAONE-3.5-32B', 32.0], ['Mistral-7B-v0.1', 7.24], ['Mistral-7B-v0.3', 7.25], ['Mistral-Nemo-12B', 12.25],
  ])('%s has %s B parameters', (name, billions) => {
    const found = lookupKnownModel(name);
    if (!found.ok) throw new Error(found.reason);
    expect(Math.abs(totalParams(found.shape) / 1e9 / billions - 1)).toBeLessThan(0.02);
  });

  it('covers every model of the table', () => {
    expect(KNOWN_MODELS).toHaveLength(24);
  });
});

describe('a model config.json', () => {
  const QWEN = { model_type: 'qwen2', hidden_size: 3584, intermediate_size: 18944, num_hidden_layers: 28, num_attention_heads: 28, num_key_value_heads: 4, vocab_size: 152064, tie_word_embeddings: false };

  it('reads the usual keys, the same shape as the table', () => {
    const fromConfig = shapeFromConfig(QWEN, '/models/q/config.json');
    const fromTable = lookupKnownModel('Qwen2.5-7B');
    expect(fromConfig.ok && fromTable.ok && { ...fromConfig.shape, name: '' }).toEqual(fromTable.ok && { ...fromTable.shape, name: '' });
  });

  it('reads EXAONE num_layers, tied embeddings by default, Gemma 3 text_config, soft-capping, bitsandbytes 4-bit', () => {
    const exaone = shapeFromConfig({ model_type: 'exaone', hidden_size: 2560, intermediate_size: 7168, num_layers: 30, num_attention_heads: 32, num_key_value_heads: 8, head_dim: 80, vocab_size: 102400 }, 'c');
    expect(exaone.ok && [exaone.shape.layers, exaone.shape.tiedEmbeddings, exaone.shape.headDim]).toEqual([30, true, 80]);
    const gemma = shapeFromConfig({ model_type: 'gemma3', text_config: { hidden_size: 2560, intermediate_size: 10240, num_hidden_layers: 34, num_attention_heads: 8, num_key_value_heads: 4, head_dim: 256, vocab_size: 262208 } }, 'c');
    expect(gemma.ok && [gemma.shape.hidden, gemma.shape.vocab]).toEqual([2560, 262208]);
    const gemma2 = shapeFromConfig({ ...QWEN, attn_logit_softcapping: 50, final_logit_softcapping: 30 }, 'c');
    expect(gemma2.ok && [gemma2.shape.eagerAttention, gemma2.shape.logitSoftcap]).toEqual([true, true]);
    const quantized = shapeFromConfig({ ...QWEN, quantization_config: { quant_method: 'bitsandbytes', load_in_4bit: true, bnb_4bit_quant_type: 'nf4' } }, 'c');
    expect(quantized.ok && quantized.shape.prequantized4bit).toBe(true);
  });

  it('names what is missing, and refuses mixture-of-experts', () => {
    const partial = shapeFromConfig({ hidden_size: 1024, vocab_size: 1000 }, '/m/config.json');
    expect(!partial.ok && partial.reason).toBe('/m/config.json has no usable intermediate_size, num_hidden_layers, num_attention_heads');
    const moe = shapeFromConfig({ ...QWEN, num_experts: 64 }, 'c');
    expect(!moe.ok && moe.reason).toMatch(/mixture-of-experts model \(64 experts\)/);
    expect(shapeFromConfig([1, 2], 'c').ok).toBe(false);
  });

  it('is read for a local path through the caller, and each failure says what and where', () => {
    const read = (path: string) => (path === '/models/q' ? QWEN : undefined);
    const ok = lookupModel('/models/q', read);
    expect(ok.ok && ok.shape.name).toBe('/models/q/config.json');
    const missing = lookupModel('/models/none/', read);
    expect(!missing.ok && missing.reason).toBe('unknown model "/models/none/": there is no readable /models/none/config.json');
    const broken = lookupModel('./m', () => {
      throw new Error('Unexpected token } in JSON');
    });
    expect(!broken.ok && broken.reason).toBe('cannot read ./m/config.json: Unexpected token } in JSON');
    const noReader = lookupModel('/models/q');
    expect(!noReader.ok && noReader.reason).toMatch(/is a local path, and its config.json cannot be read from here/);
  });
});
