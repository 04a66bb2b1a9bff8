# --- pipewright _lib/kobench_engines.py: log-likelihoods of (context, continuation) requests, the interface every engine implements ---
# engine.loglikelihood(requests) -> [(sum of the continuation's log-probabilities, whether it is the greedy continuation)],
# lm-evaluation-harness's LM.loglikelihood. Consecutive requests with the same context are one choice set, scored in one forward.


def choice_sets(requests):
    """Indices of consecutive requests sharing a context."""
    sets, start = [], 0
    for i in range(1, len(requests) + 1):
        if i == len(requests) or requests[i][0] != requests[start][0]:
            sets.append(list(range(start, i)))
            start = i
    return sets


class TinyLoglikelihood:
    """The tiny byte-level model: bytes are tokens, end of text (256) stands in for an empty context."""

    engine = "tiny"

    def __init__(self, model, window):
        self.torch = require("torch", "apt-get install python3-torch (Debian) or pip install torch", "the tiny engine")
        self.model = model
        self.window = window

    def _row(self, context, continuation):
        ctx = tiny_encode(context) or [TINY_EOS]
        cont = tiny_encode(continuation)
        if len(cont) > self.window:
            raise StepError("a continuation of %d bytes is longer than the tiny model's %d-byte window" % (len(cont), self.window))
        return (ctx + cont)[-(self.window + 1):][:-1], cont

    def loglikelihood(self, requests):
        torch = self.torch
        out = [None] * len(requests)
        for indices in choice_sets(requests):
            rows = [self._row(*requests[i]) for i in indices]
            width = max(len(inp) for inp, _ in rows)
            batch = torch.tensor([inp + [0] * (width - len(inp)) for inp, _ in rows])
            with torch.no_grad():
                logprobs = torch.log_softmax(self.model(batch).float(), dim=-1)
            for i, (inp, cont), lp in zip(indices, rows, logprobs):
                picked = lp[len(inp) - len(cont) : len(inp)]
                target = torch.tensor(cont)
                out[i] = (float(picked.gather(1, target.unsqueeze(1)).sum()), bool((picked.argmax(dim=-1) == target).all()))
        return out


def resolve_max_length(config, tokenizer, default=2048):
    """The harness's model length: the (text) config's n_positions / max_position_embeddings / n_ctx, else the tokenizer's, else 2048."""
    for source in (getattr(config, "text_config", None), config):
        for attr in ("n_positions", "max_position_embeddings", "n_ctx"):
            value = getattr(source, attr, None) if source is not None else None
            if isinstance(value, int) and value > 0:
                return value
    length = getattr(tokenizer, "model_max_length", None)
    return length if isinstance(length, int) and 0 < length < 10 ** 12 else default


class HfLoglikelihood:
    """A transformers (or Unsloth) causal LM, scored as the harness's HFLM does: trailing context spaces moved into the
    continuation, the pair encoded whole and split at the context's length, inputs cut from the left to the model's
    length, right padding, log-softmax in float32; a choice set whose continuations are one token each takes one row."""

    def __init__(self, torch, model, tokenizer, engine, max_tokens=16384):
        self.torch = torch
        self.model = model
        self.tokenizer = tokenizer
        self.engine = engine
        self.device = next(model.parameters()).device
        self.max_length = resolve_max_length(getattr(model, "config", None), tokenizer)
        self.max_tokens = max_tokens
        prefix = tokenizer.bos_token_id if tokenizer.bos_token_id is not None else tokenizer.eos_token_id
        self.prefix_token_id = prefix
        self.prefix_text = tokenizer.decode([prefix]) if prefix is not None else None
        self.pad_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else (prefix or 0)

    def _encode(self, text):
        if self.prefix_text and text.startswith(self.prefix_text):
            return self.tokenizer.encode(text, add_special_tokens=False)
        return self.tokenizer.encode(text)

    def encode_pair(self, context, continuation):
        if context == "":
            cont = self.tokenizer.encode(continuation, add_special_tokens=False)
            return ([self.prefix_token_id], cont) if cont[:1] != [self.prefix_token_id] else (cont[:1], cont[1:])
        spaces = len(context) - len(context.rstrip())
        if spaces:
            context, continuation = context[:-spaces], context[-spaces:] + continuation
        whole = self._encode(context + continuation)
        ctx = self._encode(context)
        return ctx, whole[len(ctx):]

    def _rows(self, encoded, indices):
        """(input ids, [(request index, continuation ids)]) rows of one choice set."""
        conts = [encoded[i][1] for i in indices]
        ctx = encoded[indices[0]][0]
        if all(len(c) == 1 for c in conts) and all(encoded[i][0] == ctx for i in indices):
            return [((ctx + conts[0])[-(self.max_length + 1):][:-1], [(i, c) for i, c in zip(indices, conts)])]
        rows = []
        for i in indices:
            c, cont = encoded[i]
            if not cont or len(cont) > self.max_length:
                raise StepError("a continuation of %d tokens cannot be scored with a model of length %d" % (len(cont), self.max_length))
            rows.append(((c + cont)[-(self.max_length + 1):][:-1], [(i, cont)]))
        return rows

    def _forward(self, rows, out):
        torch = self.torch
        width = max(len(inp) for inp, _ in rows)
        ids = torch.full((len(rows), width), self.pad_id, dtype=torch.long)
        mask = torch.zeros((len(rows), width), dtype=torch.long)
        for r, (inp, _) in enumerate(rows):
            ids[r, : len(inp)] = torch.tensor(inp, dtype=torch.long)
            mask[r, : len(inp)] = 1
        with torch.no_grad():
            logits = self.model(input_ids=ids.to(self.device), attention_mask=mask.to(self.device)).logits
        for r, (inp, targets) in enumerate(rows):
            for i, cont in targets:
                picked = torch.log_softmax(logits[r, len(inp) - len(cont) : len(inp)].float(), dim=-1)
                target = torch.tensor(cont, device=picked.device)
                out[i] = (float(picked.gather(1, target.unsqueeze(1)).sum()), bool((picked.argmax(dim=-1) == target).all()))

    def loglikelihood(self, requests):
        encoded = [self.encode_pair(c, x) for c, x in requests]
        out = [None] * len(requests)
        batch, tokens = [], 0
        for indices in choice_sets(requests):
            rows = self._rows(encoded, indices)
            size = sum(len(inp) for inp, _ in rows)
            # Whole choice sets only: a set is never split across forwards.
            if batch and tokens + size > self.max_tokens:
                self._forward(batch, out)
                batch, tokens = [], 0
            batch.extend(rows)
            tokens += size
        if batch:
            self._forward(batch, out)
        return out


class _AdapterDisabled:
    """The same loaded model with its LoRA adapters switched off (peft's disable_adapter()): the base model, no second load."""

    def __init__(self, scorer):
        self.scorer = scorer
        self.engine = scorer.engine

    def loglikelihood(self, requests):
        with self.scorer.model.disable_adapter():
            return self.scorer.loglikelihood(requests)


def open_engines(info, baseline, max_tokens=16384):
    """(engine for the model, engine for its base model or None), by the model directory's engine."""
    if info.get("engine") == "tiny":
        model, config = load_tiny(info["path"])
        window = min(int(config.get("max_seq_length") or TINY_CONTEXT - 1), TINY_CONTEXT - 1)
        base = None
        if baseline:
            # The tiny engine trains from scratch: its base is the freshly initialised model of the same seed.
            torch = require("torch", "apt-get install python3-torch (Debian) or pip install torch", "the tiny engine")
            torch.manual_seed(int(config.get("seed", 3407)))
            fresh = _model_class(torch)({k: config.get(k, v) for k, v in TINY_ARCH.items()})
            fresh.eval()
            base = TinyLoglikelihood(fresh, window)
        return TinyLoglikelihood(model, window), base
    scorer = HfScorer(info, int(info.get("max_seq_length") or 4096))
    engine = HfLoglikelihood(scorer.torch, scorer.model, scorer.tokenizer, scorer.engine, max_tokens)
    if not baseline:
        return engine, None
    if info.get("adapter") and hasattr(scorer.model, "disable_adapter"):
        return engine, _AdapterDisabled(engine)
    base_path = info.get("base_model")
    if not base_path or os.path.abspath(str(base_path)) == os.path.abspath(info["path"]):
        raise StepError("baseline: the model at %s names no separate base model (base_model in %s); turn baseline off" % (info["path"], MODEL_INFO_FILE))
    base = HfScorer({"engine": "transformers", "adapter": False, "base_model": base_path, "path": base_path}, int(info.get("max_seq_length") or 4096))
    return engine, HfLoglikelihood(base.torch, base.model, base.tokenizer, base.engine, max_tokens)
