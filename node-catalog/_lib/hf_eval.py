# --- pipewright _lib/hf_eval.py: loss and greedy answers of a Hugging Face model or LoRA adapter ---


class HfScorer:
    """Loads a model directory for inference: Unsloth when it and a GPU are there, else transformers + peft."""

    def __init__(self, info, max_seq_length=4096):
        self.torch = require("torch", "pip install torch", "evaluating a Hugging Face model")
        params = {"precision": "bf16", "load_in_4bit": bool(info.get("load_in_4bit", False))}
        self.engine = "unsloth" if is_importable("unsloth") and cuda_available() else "transformers"
        if self.engine == "unsloth":
            unsloth = require("unsloth", "pip install unsloth", "evaluating with Unsloth")
            self.model, self.tokenizer = unsloth.FastLanguageModel.from_pretrained(
                model_name=info["path"], max_seq_length=max_seq_length, dtype=None, load_in_4bit=params["load_in_4bit"]
            )
            unsloth.FastLanguageModel.for_inference(self.model)
        else:
            self.model, self.tokenizer = load_transformers_model(self.torch, params, info, trainable=False)
        self.model.eval()
        self.device = next(self.model.parameters()).device

    def _ids(self, text):
        return self.tokenizer(text, add_special_tokens=False)["input_ids"]

    def answer_loss(self, prompt, answer):
        """(sum of answer-token losses, answer tokens)."""
        torch = self.torch
        p, a = self._ids(prompt), self._ids(answer + (self.tokenizer.eos_token or ""))
        ids = torch.tensor([p + a], device=self.device)
        labels = torch.tensor([[-100] * len(p) + a], device=self.device)
        with torch.no_grad():
            logits = self.model(input_ids=ids).logits[0, :-1].float()
        losses = torch.nn.functional.cross_entropy(logits, labels[0, 1:], ignore_index=-100, reduction="sum")
        return float(losses), len(a)

    def generate(self, prompt, max_new_tokens, stop):
        torch = self.torch
        ids = torch.tensor([self._ids(prompt)], device=self.device)
        with torch.no_grad():
            out = self.model.generate(input_ids=ids, attention_mask=torch.ones_like(ids), max_new_tokens=max_new_tokens,
                                      do_sample=False, pad_token_id=self.tokenizer.pad_token_id or self.tokenizer.eos_token_id)
        text = self.tokenizer.decode(out[0, ids.shape[1]:], skip_special_tokens=False)
        for marker in (stop, self.tokenizer.eos_token):
            if marker and marker in text:
                text = text[: text.index(marker)]
        return text
