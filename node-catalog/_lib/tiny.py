# --- pipewright _lib/tiny.py: the tiny engine, a small byte-level transformer in plain PyTorch for CPU smoke runs ---
import math
import os
import random
import time

TINY_CONTEXT = 256  # positions the tiny model knows; longer max_seq_length is capped to this
TINY_VOCAB = 257  # 256 byte values + end of text
TINY_EOS = 256
TINY_ARCH = {"d_model": 64, "n_layers": 2, "n_heads": 4, "context": TINY_CONTEXT, "vocab_size": TINY_VOCAB}

_classes = {}


def _torch():
    return require("torch", "apt-get install python3-torch (Debian) or pip install torch", "the tiny engine")


def _model_class(torch):
    if "TinyLM" in _classes:
        return _classes["TinyLM"]
    nn = torch.nn

    class Block(nn.Module):
        def __init__(self, d, heads):
            super().__init__()
            self.ln1 = nn.LayerNorm(d)
            self.attn = nn.MultiheadAttention(d, heads, batch_first=True)
            self.ln2 = nn.LayerNorm(d)
            self.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))

        def forward(self, x, mask):
            h = self.ln1(x)
            x = x + self.attn(h, h, h, attn_mask=mask, need_weights=False)[0]
            return x + self.mlp(self.ln2(x))

    class TinyLM(nn.Module):
        def __init__(self, arch):
            super().__init__()
            d = arch["d_model"]
            self.tok = nn.Embedding(arch["vocab_size"], d)
            self.pos = nn.Embedding(arch["context"], d)
            self.blocks = nn.ModuleList([Block(d, arch["n_heads"]) for _ in range(arch["n_layers"])])
            self.ln = nn.LayerNorm(d)
            self.head = nn.Linear(d, arch["vocab_size"], bias=False)

        def forward(self, idx):
            n = idx.shape[1]
            x = self.tok(idx) + self.pos(torch.arange(n, device=idx.device))
            mask = torch.triu(torch.ones(n, n, dtype=torch.bool, device=idx.device), diagonal=1)
            for block in self.blocks:
                x = block(x, mask)
            return self.head(self.ln(x))

    _classes["TinyLM"] = TinyLM
    return TinyLM


def tiny_encode(text):
    return list(text.encode("utf-8"))


def tiny_decode(ids):
    return bytes(i for i in ids if i < 256).decode("utf-8", errors="ignore")


def load_tiny(model_dir):
    """The tiny model saved in model_dir (config.json + model.pt), in eval mode."""
    torch = _torch()
    config = read_json_file(os.path.join(model_dir, "config.json"))
    arch = {k: config.get(k, v) for k, v in TINY_ARCH.items()}
    model = _model_class(torch)(arch)
    weights = os.path.join(model_dir, "model.pt")
    if not os.path.isfile(weights):
        raise StepError("tiny model in %s has no model.pt" % model_dir, EXIT_INPUT)
    model.load_state_dict(torch.load(weights, map_location="cpu"))
    model.eval()
    return model, config


def _save_tiny(torch, model, out_dir, config):
    torch.save(model.state_dict(), os.path.join(out_dir, "model.pt"))
    write_json(os.path.join(out_dir, "config.json"), config)


def _tiny_checkpoint_dir():
    """The checkpoint folder (_lib/dist.py) or None: where a retried run resumes from."""
    return checkpoint_dir()


def _resume_tiny(torch, ckpt_dir, model, optimizer, scheduler):
    """Load the last tiny checkpoint; returns (step, losses) it ends at, (0, []) without one."""
    state_file = os.path.join(ckpt_dir, "tiny-state.pt") if ckpt_dir else None
    if not state_file or not os.path.isfile(state_file):
        return 0, []
    state = torch.load(state_file, map_location="cpu")
    model.load_state_dict(state["model"])
    optimizer.load_state_dict(state["optimizer"])
    scheduler.load_state_dict(state["scheduler"])
    return int(state["step"]), list(state.get("losses", []))


def _save_tiny_state(torch, ckpt_dir, model, optimizer, scheduler, step, losses):
    tmp = os.path.join(ckpt_dir, "tiny-state.pt.tmp")
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(), "scheduler": scheduler.state_dict(), "step": step, "losses": losses[-1000:]}, tmp)
    os.replace(tmp, os.path.join(ckpt_dir, "tiny-state.pt"))  # a pod killed mid-write leaves the previous checkpoint whole


def train_tiny(examples, params, out_dir, reporter, init_dir=None, extra_config=None):
    """Train on the UTF-8 bytes of prompt+answer examples, packed into windows; returns a summary.

    With WORLD_SIZE > 1 (torchrun, or spawned by _lib/dist.py) each process trains on its own share of the
    windows and gradients are averaged over gloo, as DistributedDataParallel does; rank 0 writes the model.
    """
    torch = _torch()
    seed = params["seed"]
    random.seed(seed)
    torch.manual_seed(seed)
    torch.set_num_threads(1)  # a 64-wide model gains nothing from more threads, and they fight on shared machines
    distributed = init_distributed(torch, "gloo")
    world, me = world_size(), rank()
    main = is_main_process()
    seq = min(params["max_seq_length"], TINY_CONTEXT - 1)
    if params["max_seq_length"] > seq and main:
        say("tiny engine: max_seq_length %d capped to %d bytes" % (params["max_seq_length"], seq))
    stream = []
    for prompt, answer in examples:
        stream.extend(tiny_encode(prompt + answer))
        stream.append(TINY_EOS)
    while len(stream) < (seq + 1) * world:
        stream = stream + stream
    data = torch.tensor(stream, dtype=torch.long)
    if init_dir:
        model, parent = load_tiny(init_dir)
        model.train()
        if main:
            say("tiny engine: continuing from %s (%s)" % (init_dir, parent.get("base_model")))
    else:
        model = _model_class(torch)(TINY_ARCH)
    if distributed:
        for tensor in model.state_dict().values():
            torch.distributed.broadcast(tensor, 0)  # every process starts from rank 0's weights
    batch, accum = params["per_device_train_batch_size"], params["gradient_accumulation_steps"]
    windows = max(world, (len(stream) - 1) // seq)
    steps_per_epoch = max(1, math.ceil(windows / (batch * accum * world)))
    total = params["max_steps"] if params["max_steps"] > 0 else params["num_epochs"] * steps_per_epoch
    warmup = max(1, total // 10)
    lr = params["learning_rate"]
    schedule = lambda s: min((s + 1) / warmup, max(0.0, (total - s) / max(1, total - warmup)))
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, schedule)
    ckpt_dir = _tiny_checkpoint_dir()
    start, losses = _resume_tiny(torch, ckpt_dir, model, optimizer, scheduler)
    if start and main:
        say("tiny engine: resumed from step %d (checkpoint in %s)" % (start, ckpt_dir))
    generator = torch.Generator().manual_seed(seed + start)

    def batches():
        # Every process draws the same permutation (same seed) and takes every world-th window: disjoint shares.
        while True:
            shift = int(torch.randint(0, max(1, len(stream) - 1 - windows * seq + 1), (1,), generator=generator))
            starts = (shift + torch.randperm(windows, generator=generator) * seq)[me::world]
            for i in range(0, len(starts), batch):
                chunk = starts[i : i + batch]
                yield torch.stack([data[s : s + seq + 1] for s in chunk.tolist()])

    source = batches()
    config = dict(TINY_ARCH, engine="tiny", base_model=params["base_model"], max_seq_length=seq, seed=seed, processes=world, **(extra_config or {}))
    tokens, started, last_time, seen = 0, time.time(), time.time(), 0
    log_every = params["logging_steps"]
    for step in range(start + 1, total + 1):
        used_lr = optimizer.param_groups[0]["lr"]
        step_loss = 0.0
        for _ in range(accum):
            xy = next(source)
            logits = model(xy[:, :-1])
            loss = torch.nn.functional.cross_entropy(logits.reshape(-1, TINY_VOCAB), xy[:, 1:].reshape(-1))
            (loss / accum).backward()
            step_loss += loss.item() / accum
            tokens += xy.shape[0] * seq * world
            seen += xy.shape[0]
        if distributed:
            for weight in model.parameters():
                if weight.grad is not None:
                    torch.distributed.all_reduce(weight.grad, op=torch.distributed.ReduceOp.SUM)
                    weight.grad /= world
            mean = torch.tensor([step_loss])
            torch.distributed.all_reduce(mean, op=torch.distributed.ReduceOp.SUM)
            step_loss = float(mean) / world
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        scheduler.step()
        optimizer.zero_grad()
        losses.append(step_loss)
        if step % log_every == 0 or step == total:
            now = time.time()
            recent = losses[-log_every:]
            reporter.metric(step, loss=round(sum(recent) / len(recent), 4), learning_rate=used_lr,
                            epoch=round(step / steps_per_epoch, 4), tokens_per_second=round(tokens / max(now - last_time, 1e-6), 1))
            tokens, last_time = 0, now
        reporter.progress(step, total)
        if step % params["save_steps"] == 0 and step < total and main:
            _save_tiny(torch, model, out_dir, dict(config, steps=step))
            if ckpt_dir:
                _save_tiny_state(torch, ckpt_dir, model, optimizer, scheduler, step, losses)
    say("tiny engine: process %d of %d trained steps %d-%d on %d windows" % (me, world, start + 1, total, seen))
    if main:
        _save_tiny(torch, model, out_dir, dict(config, steps=total))
    seconds = time.time() - started
    trained_tokens = max(0, total - start) * batch * accum * seq * world
    if distributed:
        torch.distributed.barrier()
        torch.distributed.destroy_process_group()
    return {"steps": total, "final_loss": round(losses[-1], 4) if losses else None, "seconds": round(seconds, 2),
            "tokens_per_second": round(trained_tokens / max(seconds, 1e-6), 1)}


def tiny_answer_loss(model, prompt, answer, window=TINY_CONTEXT - 1):
    """(sum of answer-byte losses, answer bytes) of prompt+answer, seeing at most `window` bytes (the trained length)."""
    torch = _torch()
    p, a = tiny_encode(prompt), tiny_encode(answer) + [TINY_EOS]
    ids = (p + a)[-window - 1 :]
    x = torch.tensor([ids[:-1]])
    y = torch.tensor(ids[1:])
    with torch.no_grad():
        losses = torch.nn.functional.cross_entropy(model(x)[0], y, reduction="none")
    n = min(len(a), len(y))
    return float(losses[-n:].sum()), n


def tiny_generate(model, prompt, max_new_tokens, stop, window=TINY_CONTEXT - 1):
    """Greedy bytes after the prompt (its last `window` bytes in view), up to max_new_tokens, stopping at end of text or `stop`."""
    torch = _torch()
    ids = tiny_encode(prompt)
    out = []
    stop_bytes = tiny_encode(stop) if stop else []
    with torch.no_grad():
        for _ in range(max_new_tokens):
            context = (ids + out)[-window:]
            next_id = int(model(torch.tensor([context]))[0, -1].argmax())
            if next_id == TINY_EOS:
                break
            out.append(next_id)
            if stop_bytes and out[-len(stop_bytes):] == stop_bytes:
                out = out[: -len(stop_bytes)]
                break
    return tiny_decode(out)
