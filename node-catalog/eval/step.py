#!/usr/bin/env python3
"""Pipewright step `eval`: loss, perplexity and answer accuracy of a model on a test set.

Test records are question/answer, instruction/output, prompt/completion or chat `messages`. The loss
is the mean over answer tokens (bytes for the tiny engine) given the prompt, formatted with the model's
chat template; accuracy compares greedy answers (up to max_new_tokens) with the expected ones, both
normalized (Unicode NFC, whitespace runs collapsed, trimmed): `contains` (the expected answer appears in
the output, ignoring case) or `exact` (equal). Writes metrics.json and
predictions.jsonl into --out-metrics, and KFP's executor output with --executor-input.
"""
from __future__ import annotations

# pipewright:include ../_lib/common.py
# pipewright:include ../_lib/kfp.py
# pipewright:include ../_lib/args.py
# pipewright:include ../_lib/data.py
# pipewright:include ../_lib/chat.py
# pipewright:include ../_lib/model.py
# pipewright:include ../_lib/tiny.py
# pipewright:include ../_lib/hf.py
# pipewright:include ../_lib/hf_eval.py
# pipewright:include ../_lib/mlflow_rest.py
# pipewright:include ../_lib/mlflow_backends.py
# pipewright:include ../_lib/mlflow_log.py

import re
import unicodedata

PARAMS = [
    Param("max_samples", "integer", 100, "Examples evaluated at most.", minimum=1, maximum=1000000),
    Param("max_new_tokens", "integer", 256, "Tokens generated per answer.", minimum=1, maximum=32768),
    Param("metric", "enum", "contains", "contains: the expected answer appears in the output (ignoring case); exact: equal after Unicode NFC, collapsing whitespace and trimming.", choices=["contains", "exact"]),
]
INPUTS = [Port("model", "model", help="the model to evaluate"), Port("dataset", "dataset", help="the test set")]
OUTPUTS = [Port("metrics", "metrics", help="metrics.json and predictions.jsonl")]
EXTRA = [("--metrics-file", {"metavar": "FILE", "help": "also write the metrics JSON to FILE (DVC's metrics file)"})]


class TinyScorer:
    engine = "tiny"

    def __init__(self, info):
        self.model, config = load_tiny(info["path"])
        # Positions past the trained sequence length were never trained: the model sees no more than that.
        self.window = min(int(config.get("max_seq_length") or TINY_CONTEXT - 1), TINY_CONTEXT - 1)

    def answer_loss(self, prompt, answer):
        return tiny_answer_loss(self.model, prompt, answer, self.window)

    def generate(self, prompt, max_new_tokens, stop):
        return tiny_generate(self.model, prompt, max_new_tokens, stop, self.window)


def normalized(text):
    """Unicode NFC, runs of whitespace as one space, no space at either end."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def is_correct(output, expected, metric):
    """exact: equal once normalized; contains: the normalized expected answer appears in the output, ignoring case."""
    if metric == "exact":
        return normalized(output) == normalized(expected)
    want = normalized(expected).casefold()
    return bool(want) and want in normalized(output).casefold()


def load_test_set(path, limit):
    cases = []
    for record in read_records(path):
        messages = record_messages(record)
        if messages and any(m["role"] == "assistant" for m in messages):
            cases.append(messages)
            if len(cases) >= limit:
                break
    if not cases:
        raise StepError("input 'dataset' has no question/answer records in %s (expected question/answer, instruction/output, prompt/completion or messages)" % path, EXIT_INPUT)
    return cases


def evaluate_cases(scorer, cases, template, params, predictions):
    """Loss and accuracy of a scorer (answer_loss(prompt, answer), generate(prompt, max_new_tokens, stop)) on the cases."""
    loss_sum, loss_tokens, correct = 0.0, 0, 0
    stop = TURN_END.get(template, "")
    for i, messages in enumerate(cases, 1):
        prompt, answer = split_prompt_answer(messages, template)
        expected = [m for m in messages if m["role"] == "assistant"][-1]["content"]
        total, count = scorer.answer_loss(prompt, answer)
        loss_sum, loss_tokens = loss_sum + total, loss_tokens + count
        output = scorer.generate(prompt, params["max_new_tokens"], stop)
        ok = is_correct(output, expected, params["metric"])
        correct += ok
        predictions.write(json.dumps({"prompt": messages[-2]["content"] if len(messages) > 1 else "", "expected": expected, "output": output, "correct": ok}, ensure_ascii=False) + "\n")
        emit_progress(i, len(cases), "eval")
    loss = loss_sum / max(1, loss_tokens)
    return {"accuracy": round(correct / len(cases), 4), "loss": round(loss, 4), "perplexity": round(math.exp(min(loss, 50.0)), 4),
            "samples": len(cases), "correct": correct}


def main():
    args = parse_step_args(__doc__, PARAMS, INPUTS, OUTPUTS, EXTRA)
    p = args.params
    info = read_model_info(args.inputs["model"])
    template = info.get("chat_template") or PLAIN_TEMPLATE
    cases = load_test_set(args.inputs["dataset"], p["max_samples"])
    scorer = TinyScorer(info) if info.get("engine") == "tiny" else HfScorer(info, int(info.get("max_seq_length") or 4096))
    engine = scorer.engine
    emit_info(engine=engine, model=info["path"])
    out_dir = ensure_dir(args.outputs["metrics"])
    with open(os.path.join(out_dir, "predictions.jsonl"), "w", encoding="utf-8") as predictions:
        metrics = evaluate_cases(scorer, cases, template, p, predictions)
    correct, loss = metrics["correct"], metrics["loss"]
    emit_metric(len(cases), **metrics)
    document = dict(metrics, metric=p["metric"], engine=engine)
    write_metrics_outputs(args, out_dir, document, metrics)
    say("eval: accuracy %.4f (%d/%d, %s), loss %.4f, perplexity %.2f" % (metrics["accuracy"], correct, len(cases), p["metric"], loss, metrics["perplexity"]))
    log_evaluation_to_mlflow("eval", p, metrics, args, out_dir, args.inputs["model"])


if __name__ == "__main__":
    run_step(main)
