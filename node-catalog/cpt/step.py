#!/usr/bin/env python3
"""Pipewright step `cpt`: continued pretraining of a base model on a (Korean) corpus.

Engines: unsloth (FastLanguageModel, 4-bit LoRA, UnslothTrainer), transformers (+ peft, bitsandbytes
when on a GPU), tiny (a 2-layer byte-level transformer in plain PyTorch for CPU smoke runs); auto picks
the first that can run here. Writes the LoRA adapter (or the tiny model) into --out-model, prints a
metric line every logging_steps, and logs to MLflow when MLFLOW_TRACKING_URI is set.
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

PARAMS = training_params(learning_rate=1e-5, epochs=2, batch=2, seq=4096, base_model="unsloth/Qwen2.5-7B-bnb-4bit")
INPUTS = [Port("dataset", "dataset", help="the corpus (records with a text field)")]
OUTPUTS = [Port("model", "model", help="the trained model or LoRA adapter"), Port("metrics", "metrics", optional=True, help="metrics.json: final loss, steps, tokens/s, processes")]


def main():
    args = parse_step_args(__doc__, PARAMS, INPUTS, OUTPUTS)
    run_training("cpt", args)


if __name__ == "__main__":
    run_step(main)
