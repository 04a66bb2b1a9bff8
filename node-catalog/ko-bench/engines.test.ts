/**
 * The engines behind engine.loglikelihood, against stand-ins that follow the published APIs: a causal LM returning
 * `.logits` (transformers' CausalLMOutput) and a tokenizer with encode / decode / bos_token_id / eos_token_id /
 * pad_token_id. Batched, right-padded, left-truncated scores must equal one unpadded forward per request.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { probeStep } from '../steps.testkit.ts';

/** Python: a small random causal LM and a tokenizer that merges a space with the next byte (as BPE's "Ġ" does). */
const STAND_INS = `
import types, torch
torch.manual_seed(0)
torch.set_num_threads(1)
VOCAB, BOS = 600, 599

class Tokenizer:
    bos_token_id, eos_token_id, pad_token_id, model_max_length = BOS, BOS, None, 10 ** 30
    def encode(self, text, add_special_tokens=True):
        data, out, i = text.encode("utf-8"), [], 0
        while i < len(data):
            if data[i] == 32 and i + 1 < len(data):
                out.append(257 + data[i + 1]); i += 2
            else:
                out.append(data[i]); i += 1
        return ([BOS] if add_special_tokens else []) + out
    def decode(self, ids):
        return "".join("<s>" if t == BOS else (" " + chr(t - 257) if t > 256 else chr(t)) for t in ids)

class CausalLM(torch.nn.Module):
    def __init__(self, positions=64):
        super().__init__()
        self.lm = step._model_class(torch)({"d_model": 32, "n_layers": 2, "n_heads": 4, "context": positions, "vocab_size": VOCAB})
        self.config = types.SimpleNamespace(max_position_embeddings=positions)
        self.adapter_on = True
        self.seen = []
    def forward(self, input_ids, attention_mask=None):
        self.seen.append((tuple(input_ids.shape), self.adapter_on))
        return types.SimpleNamespace(logits=self.lm(input_ids) * (1.0 if self.adapter_on else 0.5))

def reference(model, tok, engine, requests):
    """One unpadded forward per request, the harness's slicing written out."""
    out = []
    for context, continuation in requests:
        ctx, cont = engine.encode_pair(context, continuation)
        ids = (ctx + cont)[-(engine.max_length + 1):]
        with torch.no_grad():
            logp = torch.log_softmax(model(input_ids=torch.tensor([ids[:-1]])).logits[0].float(), dim=-1)
        picked = logp[len(ids) - 1 - len(cont):]
        out.append(float(sum(picked[i, t] for i, t in enumerate(cont))))
    return out

REQUESTS = [("문장: 하늘이 파랗다 긍부정:", " 부정"), ("문장: 하늘이 파랗다 긍부정:", " 긍정"),
            ("답변: ", " 아니오"), ("답변: ", " 예"),
            ("Q: 1+1?\\nA. 1\\nB. 2\\n정답：", " A"), ("Q: 1+1?\\nA. 1\\nB. 2\\n정답：", " B"),
            ("", " 처음부터")]
`;

describe('the transformers engine (stand-in model and tokenizer)', () => {
  interface Probe {
    pairs: number[][][];
    batched: Record<string, { batched: number[]; reference: number[]; forwards: number }>;
    truncated: { batched: number[]; reference: number[]; widths: number[] };
    adapter: { model: number; base: number; states: boolean[] };
  }
  let probe: Probe;
  // One Python process for all of it: importing torch is the slow part.
  beforeAll(() => {
    probe = probeStep<Probe>('ko-bench', `${STAND_INS}
import contextlib
tok = Tokenizer()
engine = step.HfLoglikelihood(torch, CausalLM(), tok, "transformers")
pairs = [list(engine.encode_pair("답변: ", " 예")), list(engine.encode_pair("정답:", " A")), list(engine.encode_pair("", " A"))]

batched = {}
for name, max_tokens in (("together", 1 << 20), ("apart", 1)):
    model = CausalLM()
    engine = step.HfLoglikelihood(torch, model, tok, "transformers", max_tokens=max_tokens)
    scores = [ll for ll, _ in engine.loglikelihood(REQUESTS)]
    batched[name] = {"batched": scores, "forwards": len(model.seen), "reference": reference(model, tok, engine, REQUESTS)}

model = CausalLM(positions=24)
engine = step.HfLoglikelihood(torch, model, tok, "transformers")
requests = [("아주 긴 문맥입니다. " * 4, " 예"), ("아주 긴 문맥입니다. " * 4, " 아니오")]
scores = [ll for ll, _ in engine.loglikelihood(requests)]
truncated = {"batched": scores, "widths": [shape[1] for shape, _ in model.seen], "reference": reference(model, tok, engine, requests)}

model = CausalLM()
@contextlib.contextmanager
def disable_adapter():
    model.adapter_on = False
    try:
        yield
    finally:
        model.adapter_on = True
model.disable_adapter = disable_adapter
engine = step.HfLoglikelihood(torch, model, tok, "transformers")
request = [("답변: ", " 예")]
adapter = {"model": engine.loglikelihood(request)[0][0], "base": step._AdapterDisabled(engine).loglikelihood(request)[0][0], "states": [on for _, on in model.seen]}
result = {"pairs": pairs, "batched": batched, "truncated": truncated, "adapter": adapter}
`);
  }, 120_000);

  it('moves trailing context spaces into the continuation, encodes the pair whole, and puts BOS before an empty context', () => {
    const bytes = (s: string) => [...Buffer.from(s, 'utf8')];
    // "답변:" then "  예": the moved space and the delimiter merge into one token (257 + 32), then 예's bytes.
    expect(probe.pairs[0]).toEqual([[599, ...bytes('답변:')], [257 + 32, ...bytes('예')]]);
    expect(probe.pairs[1]).toEqual([[599, ...bytes('정답:')], [257 + 65]]);
    expect(probe.pairs[2]).toEqual([[599], [257 + 65]]);
  });

  it.each<[string, number]>([
    ['together', 1],
    ['apart', 4],
  ])('batched and right-padded (choice sets %s), it gives what one unpadded forward per request gives', (name, forwards) => {
    const result = probe.batched[name];
    expect(result.batched).toHaveLength(7);
    result.batched.forEach((ll, i) => expect(ll).toBeCloseTo(result.reference[i], 4));
    expect(result.batched.every((ll) => ll < 0)).toBe(true);
    // A choice set is never split across forwards, and the one of single-token continuations (" A" / " B") is one row.
    expect(result.forwards).toBe(forwards);
  });

  it('cuts a long context from the left to the model length, as the harness does', () => {
    expect(probe.truncated.widths).toEqual([24]);
    probe.truncated.batched.forEach((ll, i) => expect(ll).toBeCloseTo(probe.truncated.reference[i], 4));
  });

  it('scores the base model with the adapters switched off (peft disable_adapter), on the same loaded model', () => {
    expect(probe.adapter.states).toEqual([true, false]);
    expect(probe.adapter.base).not.toBeCloseTo(probe.adapter.model, 3);
  });
});

describe('the tiny engine', () => {
  it('scores a choice set in one forward and gives what one unpadded forward per request gives', () => {
    const result = probeStep<{ batched: [number, boolean][]; reference: number[] }>('ko-bench', `
import torch
torch.manual_seed(1)
model = step._model_class(torch)(step.TINY_ARCH)
model.eval()
engine = step.TinyLoglikelihood(model, 40)
requests = [("문장: 좋다 긍부정:", " 부정"), ("문장: 좋다 긍부정:", " 긍정"), ("", " 예")]
reference = []
for context, continuation in requests:
    ids = (step.tiny_encode(context) or [step.TINY_EOS]) + step.tiny_encode(continuation)
    ids = ids[-41:]
    cont = step.tiny_encode(continuation)
    with torch.no_grad():
        logp = torch.log_softmax(model(torch.tensor([ids[:-1]]))[0], dim=-1)
    reference.append(float(sum(logp[len(ids) - 1 - len(cont) + i, t] for i, t in enumerate(cont))))
result = {"batched": engine.loglikelihood(requests), "reference": reference}
`);
    result.batched.forEach(([ll], i) => expect(ll).toBeCloseTo(result.reference[i], 4));
    expect(result.batched.map(([, greedy]) => typeof greedy)).toEqual(['boolean', 'boolean', 'boolean']);
  });
});
