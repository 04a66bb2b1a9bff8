# --- pipewright _lib/kobench_report.py: benchmark scores as metric lines, metrics.json, KFP metrics and MLflow ---
import time

# Metric names: <benchmark>/acc, /acc_norm, /f1 (KoBEST), kmmlu/<category>/acc; base/... for the base model, delta/... = model - base.

CATEGORY_KEYS = {"STEM": "stem", "Applied Science": "applied_science", "HUMSS": "humss", "Other": "other"}


def flat_scores(results, prefix=""):
    """The scalar metrics of run_benchmarks' results, named as above."""
    out = {}
    for name, r in results.items():
        for key in ("acc", "acc_norm", "f1"):
            if key in r:
                out["%s%s/%s" % (prefix, name, key)] = round(r[key], 6)
        for category, c in r.get("categories", {}).items():
            out["%s%s/%s/acc" % (prefix, name, CATEGORY_KEYS[category])] = round(c["acc"], 6)
    return out


def deltas(results, base):
    out = {}
    for name, r in results.items():
        out[name] = {k: round(r[k] - base[name][k], 6) for k in ("acc", "acc_norm", "f1") if k in r and k in base.get(name, {})}
    return out


class RunningScores:
    """Metric lines while a benchmark is scored: its running accuracy every ~5% of its rows, so the run panel draws it live."""

    def __init__(self, reporter, tasks_by_benchmark, prefix):
        self.reporter = reporter
        self.prefix = prefix
        self.sizes = {name: sum(len(t.docs) for t in tasks) for name, tasks in tasks_by_benchmark.items()}
        self.seen = {}

    def __call__(self, name, task, row):
        count, correct = self.seen.get(name, (0, 0.0))
        count, correct = count + 1, correct + row["acc"]
        self.seen[name] = (count, correct)
        every = max(1, self.sizes[name] // 20)
        if count % every == 0 and count < self.sizes[name]:
            self.reporter.metric(count, **{"%s%s/acc" % (self.prefix, name): round(correct / count, 6)})


class ScoreLines:
    """Metric and progress lines (at most ~4 progress lines a second, and always the last); MLflow gets the final scores."""

    def __init__(self):
        self._last = 0.0

    def metric(self, step, **values):
        emit_metric(step, **values)

    def progress(self, current, total, label):
        now = time.time()
        if current < total and now - self._last < 0.25:
            return
        self._last = now
        emit_progress(current, total, label)


def report_final(reporter, results, prefix, tasks_by_benchmark):
    """One metric line per benchmark at its row count, holding all its final scores."""
    flat = flat_scores(results, prefix)
    for name in results:
        values = {k: v for k, v in flat.items() if k.startswith("%s%s/" % (prefix, name))}
        reporter.metric(sum(len(t.docs) for t in tasks_by_benchmark[name]), **values)
    return flat


def evaluate(engine, base_engine, tasks_by_benchmark, params, reporter, predictions):
    """Score the model (and the base model) on every benchmark; returns the metrics document and its flat scalars."""
    total = sum(len(t.docs) for tasks in tasks_by_benchmark.values() for t in tasks) * (2 if base_engine else 1)
    offset = [0]

    def progress(done, _total):
        reporter.progress(offset[0] + done, total, "ko-bench")

    def scored(model, running):
        def on_row(name, task, row):
            running(name, task, row)
            predictions.write(json.dumps({"model": model, "benchmark": name, "task": task.name, "gold": row["gold"], "pred": row["pred"],
                                          "pred_norm": row["pred_norm"], "acc": row["acc"], "loglikelihoods": row["loglikelihoods"]}) + "\n")
        return on_row

    batch = params.get("batch_size", 8)
    results = run_benchmarks(engine, tasks_by_benchmark, params["num_fewshot"], batch, progress, scored("model", RunningScores(reporter, tasks_by_benchmark, "")))
    flat = report_final(reporter, results, "", tasks_by_benchmark)
    document = {"harness": HARNESS_VERSION, "engine": engine.engine, "num_fewshot": params["num_fewshot"], "max_samples": params["max_samples"],
                "data": params.get("data_uri") or "huggingface-hub", "benchmarks": results}
    if base_engine is not None:
        offset[0] = total // 2
        base = run_benchmarks(base_engine, tasks_by_benchmark, params["num_fewshot"], batch, progress, scored("base", RunningScores(reporter, tasks_by_benchmark, "base/")))
        flat.update(report_final(reporter, base, "base/", tasks_by_benchmark))
        document["baseline"] = base
        document["delta"] = deltas(results, base)
        for name, d in document["delta"].items():
            values = {"delta/%s/%s" % (name, k): v for k, v in d.items()}
            flat.update(values)
            reporter.metric(sum(len(t.docs) for t in tasks_by_benchmark[name]), **values)
    return document, flat


def summary_lines(document):
    lines = []
    for name, r in document["benchmarks"].items():
        text = "%s: acc %.4f, acc_norm %.4f%s (%d rows)" % (BENCHMARK_TITLES[name], r["acc"], r["acc_norm"], ", f1 %.4f" % r["f1"] if "f1" in r else "", r["samples"])
        if "delta" in document:
            text += ", base acc %.4f (%+.4f)" % (document["baseline"][name]["acc"], document["delta"][name]["acc"])
        lines.append(text)
        for category, c in r.get("categories", {}).items():
            lines.append("  %s: acc %.4f (%d rows)" % (category, c["acc"], c["samples"]))
    return lines
