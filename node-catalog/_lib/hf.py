# --- pipewright _lib/hf.py: the Unsloth + TRL and transformers + peft engines (GPU images) ---
# pipewright:include hf_load.py
import inspect
import math
import os
import tempfile
import time

# Text that opens a user turn and an assistant turn, for training on the responses only.
_TURN_PARTS = {
    "qwen-2.5": ("<|im_start|>user\n", "<|im_start|>assistant\n"),
    "chatml": ("<|im_start|>user\n", "<|im_start|>assistant\n"),
    "llama-3": ("<|start_header_id|>user<|end_header_id|>\n\n", "<|start_header_id|>assistant<|end_header_id|>\n\n"),
    "alpaca": ("### Instruction:\n", "### Response:\n"),
}


def _accepted(cls):
    """Keyword names cls() accepts, following **kwargs up to the base classes; None when that never ends."""
    names = set()
    for klass in cls.__mro__:
        if "__init__" not in vars(klass):
            continue
        params = inspect.signature(vars(klass)["__init__"]).parameters
        names.update(n for n, p in params.items() if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY))
        if not any(p.kind == p.VAR_KEYWORD for p in params.values()):
            return names
    return None


def _fit_kwargs(kwargs, accepted, what):
    if accepted is None:
        return kwargs
    dropped = sorted(k for k in kwargs if k not in accepted)
    if dropped:
        warn("%s does not take %s in this version; left out" % (what, ", ".join(dropped)))
    return {k: v for k, v in kwargs.items() if k in accepted}


def _training_arguments(torch, params, output_dir, has_bnb):
    dtype = _dtype(torch, params)
    return {
        "output_dir": output_dir,
        "per_device_train_batch_size": params["per_device_train_batch_size"],
        "gradient_accumulation_steps": params["gradient_accumulation_steps"],
        "num_train_epochs": params["num_epochs"],
        "max_steps": params["max_steps"] if params["max_steps"] > 0 else -1,
        "learning_rate": params["learning_rate"],
        "lr_scheduler_type": "linear",
        "weight_decay": 0.01,
        "optim": "adamw_8bit" if has_bnb and torch.cuda.is_available() else "adamw_torch",
        "logging_steps": params["logging_steps"],
        "save_steps": params["save_steps"],
        "save_total_limit": 2,
        "bf16": dtype == torch.bfloat16,
        "fp16": dtype == torch.float16,
        "seed": params["seed"],
        "report_to": "none",
    }


WARMUP_RATIO = 0.1


def set_warmup(arguments, accepted, optimizer_steps):
    """10 % warmup on every transformers version: warmup_ratio where TrainingArguments takes it (4.x), else
    warmup_steps computed from the optimizer steps (5.x dropped warmup_ratio)."""
    if accepted is None or "warmup_ratio" in accepted:
        arguments["warmup_ratio"] = WARMUP_RATIO
        return "warmup_ratio %.2f" % WARMUP_RATIO
    arguments["warmup_steps"] = max(1, math.ceil(WARMUP_RATIO * optimizer_steps))
    return "warmup_steps %d (10%% of %d steps)" % (arguments["warmup_steps"], optimizer_steps)


def optimizer_steps(params, examples, processes):
    """Optimizer steps the Trainer will take: max_steps, else epochs x ceil(examples / (batch x accumulation x processes))."""
    if params["max_steps"] > 0:
        return params["max_steps"]
    per_step = params["per_device_train_batch_size"] * params["gradient_accumulation_steps"] * max(1, processes)
    return params["num_epochs"] * max(1, math.ceil(examples / per_step))


def _metrics_callback(transformers, reporter, tokens_per_step):
    class PipewrightMetrics(transformers.TrainerCallback):
        def on_train_begin(self, args, state, control, **kwargs):
            self.last_time, self.last_step = time.time(), state.global_step

        def on_step_end(self, args, state, control, **kwargs):
            if state.is_world_process_zero:
                reporter.progress(state.global_step, state.max_steps)

        def on_log(self, args, state, control, logs=None, **kwargs):
            if not state.is_world_process_zero or not logs or "loss" not in logs:
                return
            now = time.time()
            steps = state.global_step - self.last_step
            speed = steps * tokens_per_step / max(now - self.last_time, 1e-6)
            self.last_time, self.last_step = now, state.global_step
            reporter.metric(state.global_step, loss=logs["loss"], learning_rate=logs.get("learning_rate"),
                            epoch=logs.get("epoch", state.epoch), tokens_per_second=round(speed, 1), grad_norm=logs.get("grad_norm"))

    return PipewrightMetrics()


def _checkpoint_dir():
    # The checkpoint volume (_lib/dist.py) lets a retried pod resume; without one, checkpoints are scratch.
    path = checkpoint_dir() or tempfile.mkdtemp(prefix="pipewright-ckpt-")
    steps = [int(name.split("-", 1)[1]) for name in os.listdir(path) if name.startswith("checkpoint-") and name.split("-", 1)[1].isdigit()]
    if steps and is_main_process():
        say("resumed from step %d (%s)" % (max(steps), os.path.join(path, "checkpoint-%d" % max(steps))))
    return path, bool(steps)


def _load_unsloth(params, upstream):
    unsloth = require("unsloth", "pip install unsloth", "engine unsloth")
    name = upstream["path"] if upstream else params["base_model"]
    checkpointing = "unsloth" if params["gradient_checkpointing"] else False
    placement = {"device_map": {"": int(os.environ.get("LOCAL_RANK", "0") or 0)}} if world_size() > 1 else {}
    model, tokenizer = unsloth.FastLanguageModel.from_pretrained(
        model_name=name, max_seq_length=params["max_seq_length"], dtype=None, load_in_4bit=params["load_in_4bit"],
        use_gradient_checkpointing=checkpointing, **placement,
    )
    if hasattr(model, "peft_config"):
        for pname, weight in model.named_parameters():
            if "lora_" in pname:
                weight.requires_grad_(True)
        return model, tokenizer
    model = unsloth.FastLanguageModel.get_peft_model(
        model, r=params["lora_r"], target_modules=params["target_modules"], lora_alpha=params["lora_alpha"],
        lora_dropout=params["lora_dropout"], bias="none", use_gradient_checkpointing=checkpointing,
        random_state=params["seed"], use_rslora=False, loftq_config=None,
    )
    return model, tokenizer


def _tokenize(tokenizer, kind, examples, seq):
    """Features with labels: cpt packs all text into seq-long blocks; sft masks the prompt out of the loss."""
    eos = tokenizer.eos_token or ""
    features = []
    if kind == "cpt":
        stream = []
        for _, text in examples:
            stream.extend(tokenizer(text + eos)["input_ids"])
        for i in range(0, max(1, len(stream) - seq + 1), seq):
            block = stream[i : i + seq]
            features.append({"input_ids": block, "attention_mask": [1] * len(block), "labels": list(block)})
        return features
    for prompt, answer in examples:
        p = tokenizer(prompt, add_special_tokens=False)["input_ids"]
        a = tokenizer(answer + eos, add_special_tokens=False)["input_ids"]
        ids, labels = (p + a)[:seq], ([-100] * len(p) + a)[:seq]
        if any(label != -100 for label in labels):
            features.append({"input_ids": ids, "attention_mask": [1] * len(ids), "labels": labels})
    if not features:
        raise StepError("every example's prompt is longer than max_seq_length %d; raise it" % seq)
    return features


def _unsloth_trainer(kind, params, model, tokenizer, examples, arguments):
    datasets = require("datasets", "pip install datasets", "engine unsloth")
    unsloth = require("unsloth", "pip install unsloth", "engine unsloth")
    eos = tokenizer.eos_token or ""
    dataset = datasets.Dataset.from_dict({"text": [p + a + eos for p, a in examples]})
    if kind == "cpt":
        trainer_cls, args_cls = unsloth.UnslothTrainer, unsloth.UnslothTrainingArguments
        if any(m in ("embed_tokens", "lm_head") for m in params["target_modules"]):
            arguments["embedding_learning_rate"] = params["learning_rate"] / 10
    else:
        trl = require("trl", "pip install trl", "engine unsloth (SFT)")
        trainer_cls = trl.SFTTrainer
        args_cls = getattr(trl, "SFTConfig", None) or require("transformers", "pip install transformers", "engine unsloth").TrainingArguments
    say("warmup: " + set_warmup(arguments, _accepted(args_cls), optimizer_steps(params, len(examples), world_size())))
    options = {"dataset_text_field": "text", "max_seq_length": params["max_seq_length"], "packing": kind == "cpt", "dataset_num_proc": 2}
    arg_names = _accepted(args_cls)
    for key in list(options):
        target = "max_length" if key == "max_seq_length" and arg_names and key not in arg_names else key
        if arg_names is None or target in arg_names:
            arguments[target] = options.pop(key)
    trainer_kwargs = dict(options, model=model, train_dataset=dataset, args=args_cls(**_fit_kwargs(arguments, arg_names, args_cls.__name__)))
    trainer_names = _accepted(trainer_cls)
    trainer_kwargs["processing_class" if trainer_names and "tokenizer" not in trainer_names else "tokenizer"] = tokenizer
    trainer = trainer_cls(**_fit_kwargs(trainer_kwargs, trainer_names, trainer_cls.__name__))
    parts = _TURN_PARTS.get(params.get("chat_template", ""))
    if kind == "sft" and parts and is_importable("unsloth.chat_templates"):
        from unsloth.chat_templates import train_on_responses_only

        trainer = train_on_responses_only(trainer, instruction_part=parts[0], response_part=parts[1])
    return trainer


def train_hf(engine, kind, params, examples, out_dir, upstream, reporter, extra):
    torch = require("torch", "pip install torch", "engine " + engine)
    transformers = require("transformers", "pip install transformers peft", "engine " + engine)
    transformers.set_seed(params["seed"])
    started = time.time()
    checkpoints, resume = _checkpoint_dir()
    arguments = _training_arguments(torch, params, checkpoints, is_importable("bitsandbytes"))
    if world_size() > 1:
        arguments["ddp_find_unused_parameters"] = False  # LoRA leaves the frozen base without gradients
    if engine == "unsloth":
        model, tokenizer = _load_unsloth(params, upstream)
        trainer = _unsloth_trainer(kind, params, model, tokenizer, examples, arguments)
        sample = trainer.train_dataset.select(range(min(1000, len(trainer.train_dataset))))
        lengths = sample["input_ids"] if "input_ids" in sample.column_names else []
    else:
        model, tokenizer = load_transformers_model(torch, params, upstream, trainable=True)
        features = _tokenize(tokenizer, kind, examples, params["max_seq_length"])
        arguments["remove_unused_columns"] = False
        arguments.update(gradient_checkpointing=params["gradient_checkpointing"], gradient_checkpointing_kwargs=_GC_KWARGS)
        args_cls = transformers.TrainingArguments
        say("warmup: " + set_warmup(arguments, _accepted(args_cls), optimizer_steps(params, len(features), world_size())))
        collator = transformers.DataCollatorForSeq2Seq(tokenizer, padding=True, label_pad_token_id=-100)
        trainer = transformers.Trainer(model=model, args=args_cls(**_fit_kwargs(arguments, _accepted(args_cls), "TrainingArguments")),
                                       train_dataset=features, data_collator=collator)
        lengths = [f["input_ids"] for f in features[:1000]]
    average = sum(len(x) for x in lengths) / max(1, len(lengths)) if lengths else params["max_seq_length"]
    per_step = average * params["per_device_train_batch_size"] * params["gradient_accumulation_steps"] * max(1, trainer.args.world_size)
    trainer.add_callback(_metrics_callback(transformers, reporter, per_step))
    result = trainer.train(resume_from_checkpoint=True if resume else None)
    seconds = time.time() - started
    summary = {"steps": int(result.global_step), "final_loss": round(float(result.training_loss), 4), "seconds": round(seconds, 2),
               "tokens_per_second": round(per_step * int(result.global_step) / max(seconds, 1e-6), 1)}
    if not is_main_process():
        return summary
    model.save_pretrained(out_dir)
    tokenizer.save_pretrained(out_dir)
    base = upstream["base_model"] if upstream and upstream.get("adapter") else params["base_model"]
    write_json(os.path.join(out_dir, MODEL_INFO_FILE), dict(extra, engine=engine, base_model=base, adapter=True, lora_r=params["lora_r"],
                                                          load_in_4bit=params["load_in_4bit"], max_seq_length=params["max_seq_length"]))
    return summary
