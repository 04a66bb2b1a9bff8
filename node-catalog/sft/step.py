#!/usr/bin/env python3
"""Pipewright step `sft`: supervised fine-tuning on instruction data.

Records are instruction/input/output, question/answer, prompt/completion or chat `messages`,
formatted with chat_template. Starts from --in-model when given (a cpt output: its LoRA adapter or
tiny model is trained further), else from base_model. Engines as in cpt: unsloth (SFTTrainer,
training on the responses only), transformers (+ peft; prompt tokens masked out of the loss), tiny.
"""
from __future__ import annotations

# pipewright:include ../_lib/common.py
# pipewright:include ../_lib/kfp.py
# pipewright:include ../_lib/dist.py
# pipewright:include ../_lib/args.py
# pipewright:include ../_lib/data.py
# pipewright:include ../_lib/chat.py
# pipewright:include ../_lib/model.py
# pipewright:include ../_lib/mlflow_rest.py
# pipewright:include ../_lib/mlflow_backends.py
# pipewright:include ../_lib/mlflow_log.py
# pipewright:include ../_lib/report.py
# pipewright:include ../_lib/tiny.py
# pipewright:include ../_lib/hf.py
# pipewright:include ../_lib/train.py

PARAMS = training_params(learning_rate=2e-5, epochs=3, batch=4, seq=2048, base_model="unsloth/Qwen2.5-7B-bnb-4bit") + [
    Param("chat_template", "enum", "qwen-2.5", "How instruction/response pairs are formatted.", choices=["qwen-2.5", "llama-3", "chatml", "alpaca"]),
]
INPUTS = [
    Port("model", "model", optional=True, help="the model to start from (e.g. the cpt output)"),
    Port("dataset", "dataset", help="instruction data"),
]
OUTPUTS = [Port("model", "model", help="the fine-tuned model or LoRA adapter"), Port("metrics", "metrics", optional=True, help="metrics.json: final loss, steps, tokens/s, processes")]


def main():
    args = parse_step_args(__doc__, PARAMS, INPUTS, OUTPUTS)
    run_training("sft", args)


if __name__ == "__main__":
    run_step(main)
