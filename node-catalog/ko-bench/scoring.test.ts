/**
 * Scores that can fail: acc / acc_norm / f1 as the harness computes them, KMMLU category aggregation, and scripted
 * models (stand-ins whose log-likelihoods the test controls, behind the engine interface the real engines implement)
 * that always pick the right answer (acc 1), always a wrong one (acc 0), or guess (chance).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_FILES } from '../scripts.generated.ts';
import { probeStep } from '../steps.testkit.ts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pipewright-kobench-score-'));
  mkdirSync(join(dir, 'samples'));
  writeFileSync(join(dir, 'samples', 'ko-bench'), SAMPLE_FILES['ko-bench']);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('one row: acc, acc_norm (by characters, as the harness) and acc_bytes (by UTF-8 bytes)', () => {
  it.each<[string, number[], string[], number, { pred: number; pred_norm: number; acc: number; acc_norm: number; acc_bytes: number }]>([
    ['the most likely choice is right', [-1, -2, -3, -4], ['A', 'B', 'C', 'D'], 0, { pred: 0, pred_norm: 0, acc: 1, acc_norm: 1, acc_bytes: 1 }],
    ['the most likely choice is wrong', [-1, -2, -3, -4], ['A', 'B', 'C', 'D'], 2, { pred: 0, pred_norm: 0, acc: 0, acc_norm: 0, acc_bytes: 0 }],
    // -6/3 characters beats -3/1; by bytes "예" is 3 bytes like "yes", so -3/3 wins again.
    ['normalising by characters changes the pick', [-3, -6], ['예', 'yes'], 0, { pred: 0, pred_norm: 1, acc: 1, acc_norm: 0, acc_bytes: 1 }],
    ['a longer ending wins once normalised', [-8, -5], ['아주 긴 문장의 끝', '짧다'], 0, { pred: 1, pred_norm: 0, acc: 0, acc_norm: 1, acc_bytes: 1 }],
    ['ties go to the first choice, as numpy.argmax', [-2, -2], ['가', '나'], 1, { pred: 0, pred_norm: 0, acc: 0, acc_norm: 0, acc_bytes: 0 }],
  ])('%s', (_what, lls, choices, gold, expected) => {
    const row = probeStep<Record<string, number>>('ko-bench', `result = step.score_row(${JSON.stringify(lls)}, json.loads(${JSON.stringify(JSON.stringify(choices))}), ${gold})`);
    expect(row).toMatchObject({ gold, ...expected });
  });

  it('macro F1 as sklearn.metrics.f1_score(average="macro"): labels seen in gold or predictions, 0 where undefined', () => {
    const f1 = probeStep<number[]>('ko-bench', `result = [step.macro_f1([0, 1, 1, 0], [0, 0, 1, 1]), step.macro_f1([0, 0, 1], [0, 0, 0]), step.macro_f1([1, 1], [1, 1]), step.macro_f1([0, 1, 2], [1, 2, 0])]`);
    expect(f1).toEqual([0.5, 0.4, 1, 0]);
  });
});

/** Python: stand-in models behind engine.loglikelihood, and an oracle that knows each bundled test row's right continuation. */
const SCRIPTED = `
import io, os, random, tempfile
RIGHT = {  # the right continuation of a row, from the task files: " " + the answer's choice text
    "kmmlu": lambda r: " " + "ABCD"[r["answer"] - 1],
    "kobest_boolq": lambda r: " " + ["아니오", "예"][r["label"]],
    "kobest_copa": lambda r: " " + [r["alternative_1"], r["alternative_2"]][r["label"]],
    "kobest_hellaswag": lambda r: " " + r["ending_%d" % (r["label"] + 1)],
    "kobest_sentineg": lambda r: " " + ["부정", "긍정"][r["label"]],
    "kobest_wic": lambda r: " " + ["아니오", "예"][r["label"]],
    "haerae": lambda r: " " + r["answer"],
}
KEY = {"kmmlu": "question", "kobest_boolq": "paragraph", "kobest_copa": "premise", "kobest_hellaswag": "context",
       "kobest_sentineg": "sentence", "kobest_wic": "context_1", "haerae": "query"}

class Oracle:
    def __init__(self, tasks):
        self.rows = [(name, r) for name, ts in tasks.items() for t in ts for r in t.docs]
    def right(self, context):
        # The evaluated row is the one whose text comes last (few-shot examples come before it).
        name, row = max(self.rows, key=lambda nr: context.rfind(nr[1][KEY[nr[0]]]))
        assert context.rfind(row[KEY[name]]) >= 0
        return RIGHT[name](row)

class Scripted:
    engine = "scripted"
    def __init__(self, oracle, mode, seed=7):
        self.oracle, self.mode, self.rnd, self.calls = oracle, mode, random.Random(seed), 0
    def loglikelihood(self, requests):
        self.calls += 1
        out = []
        for context, continuation in requests:
            right = self.oracle.right(context) == continuation
            if self.mode == "right":
                ll = 0.0 if right else -10.0
            elif self.mode == "wrong":
                ll = -10.0 if right else 0.0
            else:
                ll = -5.0 * self.rnd.random()
            out.append((ll, False))
        return out

def score(tasks, mode, shots, baseline_mode=None):
    oracle = Oracle(tasks)
    params = {"num_fewshot": shots, "max_samples": 0, "batch_size": 3}
    engine = Scripted(oracle, mode)
    base = Scripted(oracle, baseline_mode) if baseline_mode else None
    document, flat = step.evaluate(engine, base, tasks, params, step.ScoreLines(), io.StringIO())
    return document, flat, engine.calls
`;

describe('scripted models on every bundled benchmark (1-shot), through the engine interface', () => {
  const run = (mode: string, baseline = '') =>
    probeStep<{ doc: Record<string, Record<string, Record<string, number>>>; flat: Record<string, number>; calls: number }>('ko-bench', `${SCRIPTED}
tasks = step.load_benchmark_tasks(step.BENCHMARKS, "sample://ko-bench", 1, 0, tempfile.mkdtemp())
document, flat, calls = score(tasks, ${JSON.stringify(mode)}, 1, ${baseline ? JSON.stringify(baseline) : 'None'})
result = {"doc": document, "flat": flat, "calls": calls}
`, { env: { PIPEWRIGHT_SAMPLES_DIR: join(dir, 'samples') } });

  it('one that always prefers the right answer scores 1 on every benchmark, category and metric', () => {
    const { doc, flat } = run('right');
    for (const [name, r] of Object.entries(doc.benchmarks)) {
      expect([name, r.acc, r.acc_norm]).toEqual([name, 1, 1]);
      if (name.startsWith('kobest')) expect(r.f1).toBe(1);
    }
    expect(doc.benchmarks.kmmlu.categories).toEqual({
      STEM: { samples: 3, acc: 1, acc_norm: 1, acc_bytes: 1 }, 'Applied Science': { samples: 3, acc: 1, acc_norm: 1, acc_bytes: 1 },
      HUMSS: { samples: 3, acc: 1, acc_norm: 1, acc_bytes: 1 }, Other: { samples: 3, acc: 1, acc_norm: 1, acc_bytes: 1 },
    });
    expect(flat).toMatchObject({ 'kmmlu/acc': 1, 'kmmlu/stem/acc': 1, 'kobest_copa/f1': 1, 'haerae/acc_norm': 1 });
  });

  it('one that always prefers a wrong answer scores 0', () => {
    const { doc } = run('wrong');
    for (const [name, r] of Object.entries(doc.benchmarks)) expect([name, r.acc, r.acc_norm]).toEqual([name, 0, 0]);
  });

  it('the baseline is scored by the same rules and the delta is model minus base', () => {
    const { doc, flat } = run('right', 'wrong');
    expect(doc.baseline.kmmlu.acc).toBe(0);
    expect(doc.delta.kmmlu).toEqual({ acc: 1, acc_norm: 1 });
    expect(doc.delta.kobest_boolq).toEqual({ acc: 1, acc_norm: 1, f1: 1 });
    expect(flat).toMatchObject({ 'kmmlu/acc': 1, 'base/kmmlu/acc': 0, 'delta/kmmlu/acc': 1, 'base/kmmlu/humss/acc': 0 });
  });
});

describe('a model that guesses scores chance', () => {
  it('about 1/4 on four-choice KMMLU and 1/2 on two-choice BoolQ over 800 rows each', () => {
    const acc = probeStep<Record<string, number>>('ko-bench', `${SCRIPTED}
root = tempfile.mkdtemp()
rnd = random.Random(3)
subjects = ["Math", "Law", "Health", "Geomatics"]
os.makedirs(os.path.join(root, "kmmlu")); os.makedirs(os.path.join(root, "kobest_boolq"))
with open(os.path.join(root, "kmmlu", "test.jsonl"), "w") as f:
    for i in range(800):
        f.write(json.dumps(dict(question="문제 %d번" % i, A="가", B="나", C="다", D="라", answer=rnd.randint(1, 4), Category=subjects[i % 4])) + "\\n")
with open(os.path.join(root, "kobest_boolq", "test.jsonl"), "w") as f:
    for i in range(800):
        f.write(json.dumps(dict(paragraph="문단 %d번." % i, question="참인가?", label=rnd.randint(0, 1))) + "\\n")
tasks = step.load_benchmark_tasks(["kmmlu", "kobest_boolq"], root, 0, 0, tempfile.mkdtemp())
document, _, _ = score(tasks, "guess", 0)
result = {k: v["acc"] for k, v in document["benchmarks"].items()}
`);
    expect(Math.abs(acc.kmmlu - 0.25)).toBeLessThan(0.05);
    expect(Math.abs(acc.kobest_boolq - 0.5)).toBeLessThan(0.06);
  });
});

describe('KMMLU aggregates', () => {
  it('pools rows, as the harness groups weight by size: per category and overall (not averages of averages)', () => {
    const doc = probeStep<{ acc: number; samples: number; categories: Record<string, { acc: number; samples: number }>; tasks: Record<string, { acc: number }> }>('ko-bench', `${SCRIPTED}
rows = [("Math", 1, True), ("Biology", 3, False), ("Law", 2, True), ("Korean History", 2, False)]
docs = [dict(question="%s %d" % (s, i), A="a", B="b", C="c", D="d", answer=1, Category=s) for s, n, _ in rows for i in range(n)]
tasks = {"kmmlu": step._kmmlu_tasks(docs, [], 0, 0, "test.jsonl", None)}
oracle = Oracle(tasks)
good = {s for s, _, ok in rows if ok}

class BySubject:
    engine = "scripted"
    def loglikelihood(self, requests):
        out = []
        for context, cont in requests:
            subject = context.split(" ")[0] if not context.startswith("Korean") else "Korean History"
            right = oracle.right(context) == cont
            out.append((0.0 if right == (subject in good) else -10.0, False))
        return out

result = step.run_benchmarks(BySubject(), tasks, 0)["kmmlu"]
`);
    expect(doc.samples).toBe(8);
    expect(doc.acc).toBe(3 / 8);
    expect(doc.categories.STEM).toMatchObject({ acc: 0.25, samples: 4 });
    expect(doc.categories.HUMSS).toMatchObject({ acc: 0.5, samples: 4 });
    expect(Object.keys(doc.categories)).toEqual(['STEM', 'HUMSS']);
    expect(doc.tasks).toMatchObject({ kmmlu_math: { acc: 1 }, kmmlu_biology: { acc: 0 }, kmmlu_law: { acc: 1 }, kmmlu_korean_history: { acc: 0 } });
  });
});
