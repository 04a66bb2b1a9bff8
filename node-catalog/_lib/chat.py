# --- pipewright _lib/chat.py: chat templates (qwen-2.5, llama-3, chatml, alpaca) shared by training and eval ---
QWEN_SYSTEM = "You are Qwen, created by Alibaba Cloud. You are a helpful assistant."
ALPACA_PREAMBLE = "Below is an instruction that describes a task. Write a response that appropriately completes the request."
PLAIN_TEMPLATE = "plain"

# Text that ends an assistant turn; generation stops there.
TURN_END = {"qwen-2.5": "<|im_end|>", "chatml": "<|im_end|>", "llama-3": "<|eot_id|>", "alpaca": "\n\n### Instruction:", PLAIN_TEMPLATE: "\n\n"}


def _chatml(messages, generation, system=None):
    if system and messages[0]["role"] != "system":
        messages = [{"role": "system", "content": system}] + messages
    text = "".join("<|im_start|>%s\n%s<|im_end|>\n" % (m["role"], m["content"]) for m in messages)
    return text + ("<|im_start|>assistant\n" if generation else "")


def _llama3(messages, generation):
    text = "<|begin_of_text|>" + "".join(
        "<|start_header_id|>%s<|end_header_id|>\n\n%s<|eot_id|>" % (m["role"], m["content"]) for m in messages
    )
    return text + ("<|start_header_id|>assistant<|end_header_id|>\n\n" if generation else "")


def _alpaca(messages, generation):
    parts = []
    system = ALPACA_PREAMBLE
    for m in messages:
        if m["role"] == "system":
            system = m["content"]
        elif m["role"] == "user":
            parts.append("### Instruction:\n%s\n\n" % m["content"])
        else:
            parts.append("### Response:\n%s\n\n" % m["content"])
    text = system + "\n\n" + "".join(parts)
    return text + ("### Response:\n" if generation else "")


def _plain(messages):
    text = "".join(("질문: %s\n답변: " % m["content"]) if m["role"] == "user" else (m["content"] + "\n\n") for m in messages if m["role"] != "system")
    return text


def render_chat(messages, template, generation=False):
    """The text of a conversation in a template; with generation=True it ends where the assistant's answer starts."""
    if template == "qwen-2.5":
        return _chatml(messages, generation, QWEN_SYSTEM)
    if template == "chatml":
        return _chatml(messages, generation)
    if template == "llama-3":
        return _llama3(messages, generation)
    if template == "alpaca":
        return _alpaca(messages, generation)
    return _plain(messages)


def split_prompt_answer(messages, template):
    """(prompt ending at the assistant's turn, answer with its turn end) for the last assistant message."""
    last = max(i for i, m in enumerate(messages) if m["role"] == "assistant")
    prompt = render_chat(messages[:last], template, generation=True)
    full = render_chat(messages[: last + 1], template)
    answer = full[len(prompt):] if full.startswith(prompt) else messages[last]["content"] + TURN_END.get(template, "")
    return prompt, answer
