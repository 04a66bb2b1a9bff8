# --- pipewright _lib/train.py: parameters and driver shared by the cpt and sft steps ---
import os


def training_params(learning_rate, epochs, batch, seq, base_model):
    """The cpt/sft parameters of node-catalog/params.ts (trainingParams), same names, defaults and ranges."""
    return [
        Param("base_model", "string", base_model, "Hugging Face model id or a path.", required=True),
        Param("engine", "enum", "auto", "auto picks Unsloth on a GPU, then transformers, then the tiny CPU engine.", choices=["auto", "unsloth", "transformers", "tiny"]),
        Param("max_seq_length", "integer", seq, "Tokens per training example.", minimum=16, maximum=131072),
        Param("load_in_4bit", "boolean", True, "QLoRA: quantize the base model to 4 bits."),
        Param("lora_r", "integer", 64, "Rank r of the LoRA adapters.", minimum=1, maximum=1024),
        Param("lora_alpha", "integer", 16, "Scaling of the LoRA update.", minimum=1, maximum=4096),
        Param("lora_dropout", "number", 0.1, "Dropout on the LoRA layers.", minimum=0, maximum=1),
        Param("target_modules", "string-list", ["q_proj", "k_proj", "v_proj", "o_proj"], "Linear layers that get LoRA adapters."),
        Param("learning_rate", "number", learning_rate, "Peak learning rate.", minimum=0, maximum=1),
        Param("num_epochs", "integer", epochs, "Passes over the data.", minimum=1, maximum=1000),
        Param("per_device_train_batch_size", "integer", batch, "Examples per GPU per step.", minimum=1, maximum=4096),
        Param("gradient_accumulation_steps", "integer", 4, "Steps accumulated before an optimizer update.", minimum=1, maximum=1024),
        Param("gradient_checkpointing", "boolean", True, "Recompute activations in the backward pass instead of keeping them: much less GPU memory, about a third more compute."),
        Param("logging_steps", "integer", 10, "Log metrics every N steps.", minimum=1, maximum=100000),
        Param("save_steps", "integer", 500, "Save a checkpoint every N steps.", minimum=1, maximum=1000000),
        Param("precision", "enum", "bf16", "Mixed-precision type.", choices=["fp16", "bf16"]),
        Param("seed", "integer", 3407, "Random seed.", minimum=0, maximum=2147483647),
        Param("max_steps", "integer", 0, "Stop after this many steps (0: run all epochs).", minimum=0, maximum=10000000),
    ]


SFT_FORMATS = "text, instruction/input/output (alpaca), messages (chat), prompt/response, prompt/completion or question/answer"


def load_examples(kind, dataset_path, template):
    """(prompt, answer) pairs: cpt uses each record's text as the answer; sft renders chat pairs in the template.

    A record sft cannot read is refused, naming the file, the line and the keys it has.
    """
    examples, skipped = [], 0
    for file, line, record in read_located_records(dataset_path):
        if kind == "cpt":
            text = record_text(record).strip()
            if text:
                examples.append(("", text))
            else:
                skipped += 1
            continue
        messages = record_messages(record)
        if messages and any(m["role"] == "assistant" for m in messages):
            examples.append(split_prompt_answer(messages, template))
        elif set(record) & {"text"} and isinstance(record.get("text"), str) and not (set(record) & _PAIR_KEYS):
            if record["text"].strip():
                examples.append(("", record["text"]))  # already formatted text (the tutorial's): trained on as a whole
            else:
                skipped += 1
        else:
            raise StepError("%s:%d: an sft record needs %s; this one has keys: %s" % (file, line, SFT_FORMATS, found_keys(record)), EXIT_INPUT)
    if skipped:
        warn("%d record(s) in %s had empty text and were skipped" % (skipped, dataset_path))
    if not examples:
        expected = "a text field" if kind == "cpt" else SFT_FORMATS
        raise StepError("input 'dataset' has no usable records in %s (expected %s)" % (dataset_path, expected), EXIT_INPUT)
    return examples


_PAIR_KEYS = {"instruction", "question", "prompt", "query", "output", "answer", "response", "completion", "messages", "conversations"}


def _launch(params, upstream):
    """(engine, reason, processes), or the exit status of the workers when this process only spawned them."""
    gpus = step_gpus()
    engine, reason = choose_engine(params["engine"], upstream, gpus)
    processes = gpus if gpus > 1 else 1
    if engine == "tiny" and gpus > 1:
        reason += "; data-parallel over gloo, one process per GPU asked for"
    if processes > 1 and "WORLD_SIZE" not in os.environ:
        emit_info(engine=engine, reason=reason, processes=processes)
        say("%s: starting %d processes, one per GPU" % (engine, processes))
        return engine, reason, spawn_workers(processes)
    return engine, reason, None


def write_final_metrics(args, summary):
    """Final loss, steps, tokens/s and processes as metrics.json in --out-metrics (DVC's metrics file) and KFP's system.Metrics output."""
    metrics_dir = args.outputs.get("metrics")
    values = {k: summary[k] for k in ("final_loss", "steps", "tokens_per_second", "processes", "seconds") if summary.get(k) is not None}
    if metrics_dir:
        write_json(os.path.join(ensure_dir(metrics_dir), "metrics.json"), values)
    if args.executor_input and _runtime_artifact(args.executor_input, "outputs", "metrics") is not None:
        write_kfp_metrics(args.executor_input, "metrics", values)


def run_training(kind, args):
    """Train with the chosen engine and save the model to --out-model (rank 0 alone writes)."""
    params = args.params
    upstream_dir = args.inputs.get("model")
    upstream = read_model_info(upstream_dir) if upstream_dir else None
    engine, reason, spawned = _launch(params, upstream)
    if spawned is not None:
        if spawned:
            raise StepError("a training process failed (exit %d); its error is above" % spawned, spawned)
        return
    processes = world_size()
    if not is_main_process():
        for name in ("MLFLOW_TRACKING_URI", "PIPEWRIGHT_PUSHGATEWAY_URL"):
            os.environ.pop(name, None)
    if "PIPEWRIGHT_SPAWNED" not in os.environ:
        emit_info(engine=engine, reason=reason, processes=processes)
    template = params.get("chat_template", PLAIN_TEMPLATE)
    examples = load_examples(kind, args.inputs["dataset"], template)
    if is_main_process():
        say("%s: %d examples from %s" % (kind, len(examples), args.inputs["dataset"]))
    out_dir = ensure_dir(args.outputs["model"]) if is_main_process() else None
    reporter = Reporter(kind, params, args)
    reporter.fixed = {"processes": processes}
    reporter.mlflow.set_tags({"pipewright.engine": engine, "pipewright.processes": str(processes)})
    extra = {"chat_template": template, "trained_by": kind}
    if upstream is not None:
        extra["started_from"] = upstream_dir
    ok = False
    try:
        if engine == "tiny":
            ignored = [k for k in ("load_in_4bit", "lora_r", "lora_alpha", "lora_dropout", "target_modules", "precision", "gradient_checkpointing") if k in params]
            if is_main_process():
                say("tiny engine: ignoring %s (GPU-only settings)" % ", ".join(ignored))
            summary = train_tiny(examples, params, out_dir, reporter, upstream_dir if upstream else None, extra)
        else:
            summary = train_hf(engine, kind, params, examples, out_dir, upstream, reporter, extra)
        summary["processes"] = processes
        if is_main_process():
            write_final_metrics(args, summary)
            reporter.artifacts(out_dir, summary, kfp_artifact_uri(args.executor_input, "outputs", "model"))
        ok = True
    finally:
        reporter.close(ok)
    emit_info(engine=engine, model=os.path.abspath(out_dir) if out_dir else None, **summary)
