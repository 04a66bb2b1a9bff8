# --- pipewright _lib/hf_load.py: a Hugging Face causal LM (4-bit when asked and possible) with LoRA, for training or inference ---
import os

# Non-reentrant checkpointing passes gradients to LoRA weights even when the frozen embeddings' output needs none.
_GC_KWARGS = {"use_reentrant": False}


def _dtype(torch, params):
    if not torch.cuda.is_available():
        return torch.float32
    if params["precision"] == "bf16" and torch.cuda.is_bf16_supported():
        return torch.bfloat16
    if params["precision"] == "bf16":
        warn("this GPU has no bf16; training in fp16")
    return torch.float16


def load_transformers_model(torch, params, upstream, trainable):
    """A causal LM (4-bit when asked and possible) with LoRA: a new adapter, or the upstream adapter continued."""
    transformers = require("transformers", "pip install transformers peft", "engine transformers")
    peft = require("peft", "pip install peft", "engine transformers")
    adapter = bool(upstream and upstream.get("adapter"))
    base = upstream["base_model"] if adapter else (upstream["path"] if upstream else params["base_model"])
    cuda = torch.cuda.is_available()
    dtype = _dtype(torch, params)
    quantization = None
    if params.get("load_in_4bit"):
        if cuda and is_importable("bitsandbytes"):
            quantization = transformers.BitsAndBytesConfig(load_in_4bit=True, bnb_4bit_quant_type="nf4", bnb_4bit_use_double_quant=True, bnb_4bit_compute_dtype=dtype)
        else:
            warn("load_in_4bit needs a CUDA GPU and bitsandbytes (pip install bitsandbytes); loading %s unquantized" % base)
    model = transformers.AutoModelForCausalLM.from_pretrained(base, torch_dtype=dtype, quantization_config=quantization, device_map=_device_map(cuda))
    tokenizer_source = upstream["path"] if upstream and os.path.isfile(os.path.join(upstream["path"], "tokenizer_config.json")) else base
    tokenizer = transformers.AutoTokenizer.from_pretrained(tokenizer_source)
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    if quantization is not None and trainable:
        model = peft.prepare_model_for_kbit_training(model, use_gradient_checkpointing=params["gradient_checkpointing"], gradient_checkpointing_kwargs=_GC_KWARGS)
    if adapter:
        model = peft.PeftModel.from_pretrained(model, upstream["path"], is_trainable=trainable)
    elif trainable:
        config = peft.LoraConfig(r=params["lora_r"], lora_alpha=params["lora_alpha"], lora_dropout=params["lora_dropout"],
                                 target_modules=params["target_modules"], bias="none", task_type="CAUSAL_LM")
        model = peft.get_peft_model(model, config)
    return model, tokenizer


def _device_map(cuda):
    """One process per GPU (WORLD_SIZE > 1): the whole model on this process's GPU; one process: spread over the GPUs."""
    if not cuda:
        return None
    if int(os.environ.get("WORLD_SIZE", "1") or 1) > 1:
        return {"": int(os.environ.get("LOCAL_RANK", "0") or 0)}
    return "auto"
