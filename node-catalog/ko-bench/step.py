#!/usr/bin/env python3
"""Pipewright step `ko-bench`: KMMLU, KoBEST (BoolQ, COPA, HellaSwag, SentiNeg, WiC) and HAE-RAE Bench.

Scored as lm-evaluation-harness v0.4.12 scores them: the log-likelihood of each choice after the task's
prompt, acc (the most likely choice is right) and acc_norm (log-likelihood divided by the choice's length);
the harness's prompt templates, answer mapping and few-shot sampling (random.Random(1234) per task). Rows
come from --data_uri (a folder, s3://, gs:// or sample:// holding <benchmark>/test.jsonl, and dev.jsonl with
the few-shot rows, in each dataset's Hugging Face columns) or, when it is empty, from the Hugging Face hub
(HF_TOKEN from the environment). Writes metrics.json and predictions.jsonl into --out-metrics, and KFP's
executor output with --executor-input.
"""
from __future__ import annotations

# pipewright:include ../_lib/common.py
# pipewright:include ../_lib/kfp.py
# pipewright:include ../_lib/args.py
# pipewright:include ../_lib/fetch.py
# pipewright:include ../_lib/model.py
# pipewright:include ../_lib/tiny.py
# pipewright:include ../_lib/hf_load.py
# pipewright:include ../_lib/hf_eval.py
# pipewright:include ../_lib/mlflow_rest.py
# pipewright:include ../_lib/mlflow_backends.py
# pipewright:include ../_lib/mlflow_log.py
# pipewright:include ../_lib/kobench_kmmlu.py
# pipewright:include ../_lib/kobench_tasks.py
# pipewright:include ../_lib/kobench_data.py
# pipewright:include ../_lib/kobench_score.py
# pipewright:include ../_lib/kobench_engines.py
# pipewright:include ../_lib/kobench_report.py

import shutil
import tempfile

PARAMS = [
    Param("benchmarks", "string-list", list(BENCHMARKS), "Benchmarks to score.", choices=list(BENCHMARKS)),
    Param("data_uri", "string", "", "Folder or URI with <benchmark>/test.jsonl (+ dev.jsonl for few-shot); empty: the Hugging Face hub."),
    Param("num_fewshot", "integer", 0, "Solved examples before each question (the harness's --num_fewshot).", minimum=0, maximum=25),
    Param("max_samples", "integer", 0, "Rows scored per task at most (the harness's --limit); 0: all.", minimum=0, maximum=1000000),
    Param("baseline", "boolean", False, "Also score the base model, to show the difference."),
    Param("batch_size", "integer", 8, "Questions scored per forward pass.", minimum=1, maximum=1024),
]
INPUTS = [Port("model", "model", help="the model to score")]
OUTPUTS = [Port("metrics", "metrics", help="metrics.json and predictions.jsonl")]
EXTRA = [("--metrics-file", {"metavar": "FILE", "help": "also write the metrics JSON to FILE (DVC's metrics file)"})]


def chosen_benchmarks(names):
    if not names:
        raise StepError("--benchmarks is empty: choose one or more of %s" % ", ".join(BENCHMARKS), EXIT_USAGE)
    return [b for b in BENCHMARKS if b in names]


def main():
    args = parse_step_args(__doc__, PARAMS, INPUTS, OUTPUTS, EXTRA)
    p = args.params
    benchmarks = chosen_benchmarks(p["benchmarks"])
    info = read_model_info(args.inputs["model"])
    staging = tempfile.mkdtemp(prefix="pipewright-kobench-")
    try:
        tasks = load_benchmark_tasks(benchmarks, p["data_uri"], p["num_fewshot"], p["max_samples"], staging)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    for name in benchmarks:
        say("%s: %d rows in %d task(s), %d-shot" % (BENCHMARK_TITLES[name], sum(len(t.docs) for t in tasks[name]), len(tasks[name]), p["num_fewshot"]))
    engine, base = open_engines(info, p["baseline"])
    emit_info(engine=engine.engine, model=info["path"])
    out_dir = ensure_dir(args.outputs["metrics"])
    with open(os.path.join(out_dir, "predictions.jsonl"), "w", encoding="utf-8") as predictions:
        document, flat = evaluate(engine, base, tasks, p, ScoreLines(), predictions)
    write_metrics_outputs(args, out_dir, document, flat)
    for line in summary_lines(document):
        say("ko-bench: " + line)
    log_evaluation_to_mlflow("ko-bench", p, flat, args, out_dir, args.inputs["model"])


if __name__ == "__main__":
    run_step(main)
