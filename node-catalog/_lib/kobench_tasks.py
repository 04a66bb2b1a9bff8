# --- pipewright _lib/kobench_tasks.py: KMMLU, KoBEST and HAE-RAE Bench as lm-evaluation-harness v0.4.12 defines them ---
# Re-implemented from the task files (lm_eval/tasks/kmmlu/default/, kobest/, haerae/) and lm_eval/api/task.py:
# multiple_choice, context = doc_to_text, continuation = target_delimiter + choice, few-shot examples
# "text + target_delimiter + answer + fewshot_delimiter" before the question.
import ast

HARNESS_VERSION = "lm-evaluation-harness v0.4.12 (6d642546; task files unchanged through 4e7e0d47)"
TARGET_DELIMITER = " "
FEWSHOT_DELIMITER = "\n\n"
FEWSHOT_SEED = 1234  # lm_eval.defaults.DEFAULT_OTHER_SEED, the evaluator's fewshot_random_seed

BENCHMARKS = ["kmmlu", "kobest_boolq", "kobest_copa", "kobest_hellaswag", "kobest_sentineg", "kobest_wic", "haerae"]
# Display names, for logs and the node card.
BENCHMARK_TITLES = {"kmmlu": "KMMLU", "kobest_boolq": "KoBEST BoolQ", "kobest_copa": "KoBEST COPA", "kobest_hellaswag": "KoBEST HellaSwag",
                    "kobest_sentineg": "KoBEST SentiNeg", "kobest_wic": "KoBEST WiC", "haerae": "HAE-RAE Bench"}

HAERAE_CONFIGS = {"general_knowledge": "haerae_general_knowledge", "history": "haerae_history", "loan_words": "haerae_loan_word",
                  "rare_words": "haerae_rare_word", "standard_nomenclature": "haerae_standard_nomenclature"}
_COPA_CONNECTOR = {"원인": " 왜냐하면", "결과": " 그래서"}


class Benchmark:
    """One benchmark: its Hugging Face dataset, splits, row columns, prompt and answer mapping."""

    def __init__(self, name, hf_path, test_split, fewshot_split, columns, text, choices, target, reported):
        self.name = name
        self.hf_path = hf_path
        self.test_split = test_split
        # The split few-shot examples come from: `fewshot_split`, else the harness's rule (training, then validation split).
        self.fewshot_split = fewshot_split
        self.columns = columns
        self.doc_to_text = text
        self.doc_to_choice = choices
        self.doc_to_target = target
        # The metrics the harness's metric_list reports for the task (acc_norm is computed for all).
        self.reported = reported

    @property
    def fewshot_from_test(self):
        # The harness leaves the evaluated row out of its own few-shot examples only then.
        return self.fewshot_split == self.test_split


def _render_target(rendered):
    """A rendered doc_to_target template as the harness reads it: digits -> an index, else the text."""
    return ast.literal_eval(rendered) if rendered.isdigit() else rendered


def _kobest(config, text, choices, target=lambda d: _render_target(str(d["label"])), columns=None, reported=("acc", "f1")):
    return Benchmark("kobest_" + config, "skt/kobest_v1", "test", "train", columns, text, choices, target, reported)


def _copa_text(doc):
    return "%s %s" % (doc["premise"], _COPA_CONNECTOR[doc["question"].strip()])


def _copa_target(doc):
    return doc["alternative_1"] if doc["label"] == 0 else doc["alternative_2"]


SPECS = {
    "kmmlu": Benchmark(
        "kmmlu", "HAERAE-HUB/KMMLU", "test", "dev",
        {"question": "text", "A": "text", "B": "text", "C": "text", "D": "text", "answer": "answer1-4", "Category": "kmmlu-subject"},
        lambda d: "%s\nA. %s\nB. %s\nC. %s\nD. %s\n정답：" % (d["question"].strip(), d["A"], d["B"], d["C"], d["D"]),
        lambda d: ["A", "B", "C", "D"],
        lambda d: _render_target(str(d["answer"] - 1)),
        ("acc",),
    ),
    "kobest_boolq": _kobest(
        "boolq", lambda d: "%s 질문: %s 답변: " % (d["paragraph"], d["question"]), lambda d: ["아니오", "예"],
        columns={"paragraph": "text", "question": "text", "label": "label2"},
    ),
    "kobest_copa": _kobest(
        "copa", _copa_text, lambda d: [d["alternative_1"], d["alternative_2"]], _copa_target,
        columns={"premise": "text", "question": "copa-question", "alternative_1": "text", "alternative_2": "text", "label": "label2"},
    ),
    "kobest_hellaswag": _kobest(
        "hellaswag", lambda d: "문장: %s" % d["context"], lambda d: [d["ending_1"], d["ending_2"], d["ending_3"], d["ending_4"]],
        columns={"context": "text", "ending_1": "text", "ending_2": "text", "ending_3": "text", "ending_4": "text", "label": "label4"},
        reported=("acc", "acc_norm", "f1"),
    ),
    "kobest_sentineg": _kobest(
        "sentineg", lambda d: "문장: %s 긍부정:" % d["sentence"], lambda d: ["부정", "긍정"], columns={"sentence": "text", "label": "label2"},
    ),
    "kobest_wic": _kobest(
        "wic", lambda d: "문장1: %s 문장2: %s 두 문장에서 %s가 같은 뜻으로 쓰였나?" % (d["context_1"], d["context_2"], d["word"]),
        lambda d: ["아니오", "예"], columns={"word": "text", "context_1": "text", "context_2": "text", "label": "label2"},
    ),
    "haerae": Benchmark(
        "haerae", "HAERAE-HUB/HAE_RAE_BENCH", "test", "test", {"query": "text", "answer": "haerae-answer"},
        lambda d: d["query"], lambda d: ["(A)", "(B)", "(C)", "(D)", "(E)"], lambda d: _render_target(str(d["answer"])), ("acc", "acc_norm"),
    ),
}


def gold_index(spec, doc):
    """The index of the right choice, as the harness's process_results finds it; -1 when the target is not a choice."""
    choices = spec.doc_to_choice(doc)
    target = spec.doc_to_target(doc)
    if isinstance(target, int):
        return target if 0 <= target < len(choices) else -1
    return choices.index(target) if target in choices else -1


def fewshot_answer(spec, doc):
    """The answer text of a few-shot example: the chosen choice for an index target, else the target text."""
    target = spec.doc_to_target(doc)
    return spec.doc_to_choice(doc)[target] if isinstance(target, int) else target


def build_context(spec, doc, shots):
    """The prompt: each few-shot example as text + delimiter + answer + blank line, then the question."""
    examples = "".join(spec.doc_to_text(s) + TARGET_DELIMITER + fewshot_answer(spec, s) + FEWSHOT_DELIMITER for s in shots)
    return examples + spec.doc_to_text(doc)


def build_requests(spec, doc, context):
    """One (context, continuation) log-likelihood request per choice."""
    return [(context, TARGET_DELIMITER + choice) for choice in spec.doc_to_choice(doc)]


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def row_problem(spec, row):
    """Why a row cannot be scored (missing column, wrong type, answer out of range), or None."""
    for key, kind in spec.columns.items():
        if key not in row:
            return "missing column '%s'" % key
        value = row[key]
        if kind == "text" and not isinstance(value, str):
            return "column '%s' is %s, expected text" % (key, json.dumps(value, ensure_ascii=False))
        if kind.startswith("label") and not (_is_int(value) and 0 <= value < int(kind[5:])):
            return "column '%s' is %s, expected an integer label 0-%d" % (key, json.dumps(value, ensure_ascii=False), int(kind[5:]) - 1)
        if kind == "answer1-4" and not (_is_int(value) and 1 <= value <= 4):
            return "column '%s' is %s, expected 1, 2, 3 or 4 (A-D)" % (key, json.dumps(value, ensure_ascii=False))
        if kind == "copa-question" and not (isinstance(value, str) and value.strip() in _COPA_CONNECTOR):
            return "column '%s' is %s, expected \"원인\" or \"결과\"" % (key, json.dumps(value, ensure_ascii=False))
        if kind == "kmmlu-subject" and kmmlu_subject(value) is None:
            return "column '%s' is %s, not one of the 45 KMMLU subjects (e.g. \"Accounting\", \"Korean History\")" % (key, json.dumps(value, ensure_ascii=False))
        if kind == "haerae-answer" and not (isinstance(value, str) or _is_int(value)):
            return "column '%s' is %s, expected one of \"(A)\"-\"(E)\"" % (key, json.dumps(value, ensure_ascii=False))
    if any(c == "" for c in spec.doc_to_choice(row)):
        return "a choice is empty"
    if gold_index(spec, row) < 0:
        return "the answer %s is not one of the choices %s" % (json.dumps(spec.doc_to_target(row), ensure_ascii=False), json.dumps(spec.doc_to_choice(row), ensure_ascii=False))
    return None
