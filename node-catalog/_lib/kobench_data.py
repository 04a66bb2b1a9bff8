# --- pipewright _lib/kobench_data.py: benchmark rows from a data_uri folder or the Hugging Face hub, checked row by row ---
import os


class BenchTask:
    """One harness task: its rows to score (at most max_samples, in file order) and its few-shot pool."""

    def __init__(self, name, benchmark, docs, pool, source, category=None):
        self.name = name
        self.benchmark = benchmark
        self.docs = docs
        self.pool = pool
        self.source = source
        self.category = category


def read_rows(path, spec):
    """(line number, row) of a JSONL file in the benchmark's Hugging Face columns; a bad row stops with file, line and keys found."""
    rows = []
    for number, row in json_lines(path):
        if not isinstance(row, dict):
            raise StepError("%s:%d: expected a JSON object with the %s columns %s" % (path, number, spec.name, ", ".join(spec.columns)), EXIT_INPUT)
        problem = row_problem(spec, row)
        if problem:
            raise StepError("%s:%d: %s row: %s (keys found: %s)" % (path, number, spec.name, problem, ", ".join(row) or "none"), EXIT_INPUT)
        rows.append(row)
    return rows


def _checked(rows, spec, where):
    for number, row in enumerate(rows, 1):
        problem = row_problem(spec, row)
        if problem:
            raise StepError("%s row %d: %s row: %s (keys found: %s)" % (where, number, spec.name, problem, ", ".join(row)), EXIT_INPUT)
    return rows


def _limit(rows, max_samples):
    # The harness's --limit: the first N rows of each task.
    return rows[:max_samples] if max_samples > 0 else rows


def _need_pool(task_name, pool, num_fewshot, from_test, source):
    needed = num_fewshot + (1 if from_test else 0)
    if num_fewshot > 0 and len(pool) < needed:
        raise StepError("%s: num_fewshot %d needs at least %d few-shot rows, and %s has %d" % (task_name, num_fewshot, needed, source, len(pool)), EXIT_INPUT)


def _fewshot_file(folder, spec):
    # The split the harness samples from (KMMLU dev, KoBEST train); dev.jsonl is the layout's name for it.
    for name in (spec.fewshot_split + ".jsonl", "dev.jsonl"):
        if os.path.isfile(os.path.join(folder, name)):
            return os.path.join(folder, name)
    return None


def _folder_tasks(root, name, num_fewshot, max_samples):
    spec = SPECS[name]
    folder = os.path.join(root, name)
    if name == "haerae":
        configs = [c for c in HAERAE_CONFIGS if os.path.isfile(os.path.join(folder, c, "test.jsonl"))]
        if configs:
            tasks = []
            for config in configs:
                path = os.path.join(folder, config, "test.jsonl")
                rows = read_rows(path, spec)
                _need_pool(HAERAE_CONFIGS[config], rows, num_fewshot, True, path)
                tasks.append(BenchTask(HAERAE_CONFIGS[config], name, _limit(rows, max_samples), rows, path))
            return tasks
    test = os.path.join(folder, "test.jsonl")
    if not os.path.isfile(test):
        found = sorted(os.listdir(folder)) if os.path.isdir(folder) else sorted(os.listdir(root))
        raise StepError("data_uri has no %s (found in %s: %s)" % (os.path.join(name, "test.jsonl"), folder if os.path.isdir(folder) else root, ", ".join(found) or "nothing"), EXIT_INPUT)
    rows = read_rows(test, spec)
    if not rows:
        raise StepError("%s holds no rows" % test, EXIT_INPUT)
    pool_file = _fewshot_file(folder, spec) if num_fewshot > 0 and not spec.fewshot_from_test else None
    if num_fewshot > 0 and not spec.fewshot_from_test and pool_file is None:
        raise StepError("num_fewshot %d needs few-shot rows for %s: put them in %s (the harness samples them from the %s split)"
                        % (num_fewshot, name, os.path.join(folder, "dev.jsonl"), spec.fewshot_split), EXIT_INPUT)
    pool = rows if spec.fewshot_from_test else (read_rows(pool_file, spec) if pool_file else [])
    if name == "haerae" and num_fewshot > 0:
        warn("haerae/test.jsonl holds all HAE-RAE rows in one task; the harness samples few-shot rows per subset: put each subset in haerae/<subset>/test.jsonl (%s) to match it" % ", ".join(HAERAE_CONFIGS))
    if name != "kmmlu":
        _need_pool(name, pool, num_fewshot, spec.fewshot_from_test, pool_file or test)
        return [BenchTask(name, name, _limit(rows, max_samples), pool, test)]
    return _kmmlu_tasks(rows, pool, num_fewshot, max_samples, test, pool_file)


def _kmmlu_tasks(rows, pool, num_fewshot, max_samples, source, pool_source):
    by_subject, pools = {}, {}
    for row in rows:
        by_subject.setdefault(kmmlu_subject(row["Category"]), []).append(row)
    for row in pool:
        pools.setdefault(kmmlu_subject(row["Category"]), []).append(row)
    tasks = []
    for subject in sorted(by_subject):
        task = kmmlu_task_name(subject)
        subject_pool = pools.get(subject, [])
        _need_pool(task, subject_pool, num_fewshot, False, "%s (Category %s)" % (pool_source, subject))
        tasks.append(BenchTask(task, "kmmlu", _limit(by_subject[subject], max_samples), subject_pool, source, SUBJECT_CATEGORY[subject]))
    return tasks


def _hub_split(datasets, path, config, split, token):
    try:
        return list(datasets.load_dataset(path, config, split=split, token=token))
    except Exception as exc:  # noqa: BLE001 - datasets raises many types; each becomes one clear line
        raise StepError("cannot load %s (%s, split %s) from the Hugging Face hub: %s: %s (set data_uri to a folder, or give the step HF_TOKEN and network access)"
                        % (path, config, split, type(exc).__name__, exc), EXIT_INPUT)


def _hub_tasks(name, num_fewshot, max_samples):
    datasets = require("datasets", "pip install datasets", "loading the benchmarks from the Hugging Face hub (data_uri is empty)")
    token = os.environ.get("HF_TOKEN") or None
    spec = SPECS[name]
    if name == "kmmlu":
        configs = [(kmmlu_task_name(s), s, SUBJECT_CATEGORY[s]) for s in KMMLU_SUBJECTS]
    elif name == "haerae":
        configs = [(task, config, None) for config, task in HAERAE_CONFIGS.items()]
    else:
        configs = [(name, name[len("kobest_"):], None)]
    tasks = []
    for task, config, category in configs:
        where = "%s[%s]" % (spec.hf_path, config)
        rows = _checked(_hub_split(datasets, spec.hf_path, config, spec.test_split, token), spec, where + "/" + spec.test_split)
        pool = []
        if num_fewshot > 0:
            pool = rows if spec.fewshot_from_test else _checked(_hub_split(datasets, spec.hf_path, config, spec.fewshot_split, token), spec, where + "/" + spec.fewshot_split)
            _need_pool(task, pool, num_fewshot, spec.fewshot_from_test, where + "/" + spec.fewshot_split)
        tasks.append(BenchTask(task, name, _limit(rows, max_samples), pool, where, category))
    return tasks


def load_benchmark_tasks(benchmarks, data_uri, num_fewshot, max_samples, staging):
    """benchmark -> its tasks, from data_uri (a folder, s3://, gs:// or sample://) or, when it is empty, the hub."""
    if not data_uri:
        return {name: _hub_tasks(name, num_fewshot, max_samples) for name in benchmarks}
    root = fetch_folder(data_uri, staging, "data_uri")
    return {name: _folder_tasks(root, name, num_fewshot, max_samples) for name in benchmarks}
