# --- pipewright _lib/model.py: what a model artifact directory holds, and which engine can run it ---
import os

MODEL_INFO_FILE = "pipewright.json"


def read_model_info(path):
    """Engine, base model and chat template of a model directory written by cpt/sft (or any HF model/adapter)."""
    if os.path.isfile(path):
        path = os.path.dirname(path) or "."
    info_file = os.path.join(path, MODEL_INFO_FILE)
    config_file = os.path.join(path, "config.json")
    adapter_file = os.path.join(path, "adapter_config.json")
    if os.path.isfile(info_file):
        info = read_json_file(info_file)
    elif os.path.isfile(config_file) and read_json_file(config_file).get("engine") == "tiny":
        info = read_json_file(config_file)
    elif os.path.isfile(adapter_file):
        adapter = read_json_file(adapter_file)
        info = {"engine": "transformers", "adapter": True, "base_model": adapter.get("base_model_name_or_path"), "lora_r": adapter.get("r")}
    elif os.path.isfile(config_file):
        info = {"engine": "transformers", "adapter": False, "base_model": path}
    else:
        raise StepError(
            "%s holds no model: expected config.json + model.pt (tiny engine), a Hugging Face model or a LoRA adapter" % path,
            EXIT_INPUT,
        )
    info = dict(info)
    info["path"] = path
    return info


def cuda_available():
    if not is_importable("torch"):
        return False
    try:
        import torch

        return bool(torch.cuda.is_available())
    except Exception:  # noqa: BLE001 - a broken CUDA install means no GPU for us
        return False


def _missing_for_gpu():
    return [m for m in ("unsloth", "transformers", "peft") if not is_importable(m)]


def choose_engine(requested, upstream=None, gpus=0):
    """(engine, reason). auto: Unsloth with a CUDA GPU, else transformers + peft; tiny only for a step without GPUs."""
    if upstream is not None and upstream.get("engine") == "tiny":
        if requested in ("auto", "tiny"):
            return "tiny", "the input model was trained by the tiny engine"
        raise StepError(
            "the input model at %s was trained by the tiny engine; engine %s cannot continue it (use tiny or auto)" % (upstream["path"], requested)
        )
    if requested == "auto":
        if is_importable("unsloth") and cuda_available():
            return "unsloth", "Unsloth and a CUDA GPU are available"
        if is_importable("transformers") and is_importable("peft"):
            return "transformers", "transformers and peft are installed" + ("" if cuda_available() else " (no CUDA GPU: training on CPU)")
        if gpus > 0:
            image = os.environ.get("PIPEWRIGHT_IMAGE") or "this step's image"
            raise StepError(
                "this step has %d GPU%s but %s has neither Unsloth nor transformers + peft (missing Python packages: %s), so it cannot train "
                "on them; build the training image (images/train/Dockerfile, see the README's \"Training image\") and set it as the node's "
                "or the pipeline's image, or set engine to tiny for a CPU smoke run" % (gpus, "" if gpus == 1 else "s", image, ", ".join(_missing_for_gpu())),
                EXIT_MISSING_LIBRARY,
            )
        if upstream is not None:
            require("transformers", "pip install transformers peft", "continuing the Hugging Face model at %s" % upstream["path"])
            require("peft", "pip install peft", "continuing the Hugging Face model at %s" % upstream["path"])
        return "tiny", "the step has no GPUs and neither Unsloth nor transformers + peft is installed"
    if requested == "unsloth":
        require("unsloth", "pip install unsloth", "engine unsloth")
        if not cuda_available():
            raise StepError("engine unsloth needs a CUDA GPU, and none is visible (torch.cuda.is_available() is False)")
        return "unsloth", "requested"
    if requested == "transformers":
        require("transformers", "pip install transformers peft", "engine transformers")
        require("peft", "pip install peft", "engine transformers")
        return "transformers", "requested"
    if upstream is not None:
        raise StepError("the input model at %s is a Hugging Face model; the tiny engine cannot continue it" % upstream["path"])
    return "tiny", "requested"
