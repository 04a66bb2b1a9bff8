# --- pipewright _lib/kobench_score.py: few-shot sampling, per-row scores and their aggregates, as lm-evaluation-harness computes them ---
import random


class FewshotSampler:
    """The harness's default sampler: one random.Random(seed) per task, drawing in row order."""

    def __init__(self, pool, seed=FEWSHOT_SEED):
        self.pool = list(pool)
        self.rnd = random.Random(seed)

    def sample(self, n, eval_doc=None):
        if n <= 0:
            return []
        if eval_doc is None:
            return self.rnd.sample(self.pool, n)
        # Drawing one more and dropping the evaluated row (by value) keeps the draws the harness makes.
        return [d for d in self.rnd.sample(self.pool, n + 1) if d != eval_doc][:n]


def _argmax(values):
    best = 0
    for i, v in enumerate(values):
        if v > values[best]:
            best = i
    return best


def score_row(lls, choices, gold):
    """acc (highest log-likelihood), acc_norm (divided by the choice's length in characters, as the harness does)
    and acc_bytes (by its UTF-8 bytes), with the predictions."""
    pred = _argmax(lls)
    pred_norm = _argmax([ll / float(len(c)) for ll, c in zip(lls, choices)])
    pred_bytes = _argmax([ll / float(len(c.encode("utf-8"))) for ll, c in zip(lls, choices)])
    return {"gold": gold, "pred": pred, "pred_norm": pred_norm, "acc": float(pred == gold), "acc_norm": float(pred_norm == gold),
            "acc_bytes": float(pred_bytes == gold)}


def macro_f1(golds, preds):
    """F1 averaged over the labels seen in golds or predictions (sklearn's f1_score average="macro", 0 where undefined)."""
    labels = sorted(set(golds) | set(preds))
    total = 0.0
    for label in labels:
        tp = sum(1 for g, p in zip(golds, preds) if g == label and p == label)
        fp = sum(1 for g, p in zip(golds, preds) if g != label and p == label)
        fn = sum(1 for g, p in zip(golds, preds) if g == label and p != label)
        total += 0.0 if tp == 0 else 2.0 * tp / (2 * tp + fp + fn)
    return total / len(labels) if labels else 0.0


def _summary(rows, with_f1):
    n = len(rows)
    out = {"samples": n}
    for key in ("acc", "acc_norm", "acc_bytes"):
        out[key] = sum(r[key] for r in rows) / n if n else 0.0
    if with_f1:
        out["f1"] = macro_f1([r["gold"] for r in rows], [r["pred"] for r in rows])
    return out


def aggregate(name, task_rows, categories):
    """A benchmark's scores: its tasks' rows pooled (the harness's groups weight by size), per task and per category."""
    with_f1 = "f1" in SPECS[name].reported
    pooled = [r for rows in task_rows.values() for r in rows]
    result = _summary(pooled, with_f1)
    if len(task_rows) > 1:
        result["tasks"] = {task: _summary(rows, with_f1) for task, rows in task_rows.items()}
    if categories:
        by_category = {}
        for task, rows in task_rows.items():
            by_category.setdefault(categories[task], []).extend(rows)
        result["categories"] = {c: _summary(by_category[c], False) for c in KMMLU_CATEGORIES if c in by_category}
    return result


def score_task(engine, task, num_fewshot, batch_docs, on_row):
    """Score every row of a task through engine.loglikelihood; on_row(row result) after each."""
    spec = SPECS[task.benchmark]
    sampler = FewshotSampler(task.pool)
    prepared = []
    for doc in task.docs:
        shots = sampler.sample(num_fewshot, doc if spec.fewshot_from_test else None)
        prepared.append((doc, build_requests(spec, doc, build_context(spec, doc, shots))))
    results = []
    for start in range(0, len(prepared), max(1, batch_docs)):
        chunk = prepared[start : start + max(1, batch_docs)]
        answers = engine.loglikelihood([r for _, requests in chunk for r in requests])
        at = 0
        for doc, requests in chunk:
            lls = [float(ll) for ll, _ in answers[at : at + len(requests)]]
            at += len(requests)
            row = score_row(lls, spec.doc_to_choice(doc), gold_index(spec, doc))
            row["loglikelihoods"] = lls
            results.append(row)
            on_row(row)
        if at != len(answers):
            raise StepError("engine %s answered %d log-likelihoods for %d requests" % (getattr(engine, "engine", "?"), len(answers), at))
    return results


def run_benchmarks(engine, tasks_by_benchmark, num_fewshot, batch_docs=8, on_progress=None, on_row=None):
    """benchmark -> scores (acc, acc_norm, acc_bytes, samples; f1 for KoBEST; tasks; KMMLU categories) for one model."""
    total = sum(len(t.docs) for tasks in tasks_by_benchmark.values() for t in tasks)
    done = [0]
    results = {}
    for name, tasks in tasks_by_benchmark.items():
        task_rows = {}
        for task in tasks:
            def row_done(row, task=task):
                done[0] += 1
                if on_row:
                    on_row(name, task, row)
                if on_progress:
                    on_progress(done[0], total)

            task_rows[task.name] = score_task(engine, task, num_fewshot, batch_docs, row_done)
        categories = {t.name: t.category for t in tasks if t.category}
        results[name] = aggregate(name, task_rows, categories)
    return results
