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


def load_examples(kind, dataset_path, template):
    """(prompt, answer) pairs: cpt uses each record's text as the answer; sft renders chat pairs in the template."""
    examples, skipped = [], 0
    for record in read_records(dataset_path):
        if kind == "cpt":
            text = record_text(record).strip()
            if text:
                examples.append(("", text))
            else:
                skipped += 1
            continue
        messages = record_messages(record)
        if not messages or not any(m["role"] == "assistant" for m in messages):
            skipped += 1
            continue
        examples.append(split_prompt_answer(messages, template))
    if skipped:
        warn("%d record(s) in %s had no usable %s and were skipped" % (skipped, dataset_path, "text" if kind == "cpt" else "instruction/output pair"))
    if not examples:
        expected = "a text field" if kind == "cpt" else "instruction/output, question/answer, prompt/completion or messages fields"
        raise StepError("input 'dataset' has no usable records in %s (expected %s)" % (dataset_path, expected), EXIT_INPUT)
    return examples


def run_training(kind, args):
    """Train with the chosen engine and save the model to --out-model."""
    params = args.params
    upstream_dir = args.inputs.get("model")
    upstream = read_model_info(upstream_dir) if upstream_dir else None
    engine, reason = choose_engine(params["engine"], upstream)
    emit_info(engine=engine, reason=reason)
    template = params.get("chat_template", PLAIN_TEMPLATE)
    examples = load_examples(kind, args.inputs["dataset"], template)
    say("%s: %d examples from %s" % (kind, len(examples), args.inputs["dataset"]))
    out_dir = ensure_dir(args.outputs["model"])
    reporter = Reporter(kind, params, args)
    reporter.mlflow.set_tags({"pipewright.engine": engine})
    extra = {"chat_template": template, "trained_by": kind}
    if upstream is not None:
        extra["started_from"] = upstream_dir
    ok = False
    try:
        if engine == "tiny":
            ignored = [k for k in ("load_in_4bit", "lora_r", "lora_alpha", "lora_dropout", "target_modules", "precision", "gradient_checkpointing") if k in params]
            say("tiny engine: ignoring %s (GPU-only settings)" % ", ".join(ignored))
            summary = train_tiny(examples, params, out_dir, reporter, upstream_dir if upstream else None, extra)
        else:
            summary = train_hf(engine, kind, params, examples, out_dir, upstream, reporter, extra)
        reporter.artifacts(out_dir, summary, kfp_artifact_uri(args.executor_input, "outputs", "model"))
        ok = True
    finally:
        reporter.close(ok)
    emit_info(engine=engine, model=os.path.abspath(out_dir), **summary)
