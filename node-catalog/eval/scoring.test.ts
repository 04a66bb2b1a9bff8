/**
 * The eval step's accuracy can fail: exact and contains matching on normalized text, and scripted models (stand-ins for
 * the tiny / Hugging Face scorers: answer_loss and generate) answering every bundled test question right, wrong, or in a sentence.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_FILES } from '../scripts.generated.ts';
import { probeStep } from '../steps.testkit.ts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pipewright-eval-score-'));
  writeFileSync(join(dir, 'ko_test.jsonl'), SAMPLE_FILES['ko_test.jsonl']);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('matching an output with the expected answer', () => {
  const decomposed = '서울'.normalize('NFD');
  it.each<[string, string, string, boolean, boolean]>([
    ['the same text', '서울', '서울', true, true],
    ['spaces and line breaks around it', ' 서울 \n', '서울', true, true],
    ['decomposed Hangul (NFD) against composed (NFC)', decomposed, '서울', true, true],
    ['runs of whitespace inside', '대한   민국\t헌법', '대한 민국 헌법', true, true],
    ['the answer inside a sentence', '정답은 서울입니다.', '서울', false, true],
    ['a different case', 'Seoul', 'seoul', false, true],
    ['a wrong answer', '부산', '서울', false, false],
    ['an empty expected answer', '서울', ' ', false, false],
  ])('%s', (_what, output, expected, exact, contains) => {
    const result = probeStep<boolean[]>('eval', `
output, expected = json.loads(${JSON.stringify(JSON.stringify([output, expected]))})
result = [step.is_correct(output, expected, "exact"), step.is_correct(output, expected, "contains")]`);
    expect(result).toEqual([exact, contains]);
  });
});

describe('scripted models on the bundled test set (40 questions)', () => {
  const score = (mode: string, metric: string) =>
    probeStep<Record<string, number>>('eval', `
import io
answers = {}
for line in open(${JSON.stringify(join(dir, 'ko_test.jsonl'))}, encoding="utf-8"):
    row = json.loads(line)
    answers[row["question"]] = row["answer"]

class Scripted:
    engine = "scripted"
    def answer_loss(self, prompt, answer):
        return 2.0 * len(answer), len(answer)
    def generate(self, prompt, max_new_tokens, stop):
        # The question being asked is the last one the prompt holds.
        question = max(answers, key=lambda q: prompt.rfind(q))
        right = answers[question]
        return {"right": right, "wrong": "모르겠습니다", "sentence": "답은 %s 입니다" % right, "spaced": "  " + right + "\\n"}[${JSON.stringify(mode)}]

cases = step.load_test_set(${JSON.stringify(join(dir, 'ko_test.jsonl'))}, 100)
result = step.evaluate_cases(Scripted(), cases, "qwen-2.5", {"max_new_tokens": 16, "metric": ${JSON.stringify(metric)}}, io.StringIO())
`);

  it.each<[string, string, number]>([
    ['right', 'exact', 1],
    ['right', 'contains', 1],
    ['spaced', 'exact', 1],
    ['wrong', 'exact', 0],
    ['wrong', 'contains', 0],
    ['sentence', 'contains', 1],
    ['sentence', 'exact', 0],
  ])('a model answering %s, scored by %s, gets accuracy %d', (mode, metric, accuracy) => {
    const metrics = score(mode, metric);
    expect(metrics).toMatchObject({ accuracy, correct: 40 * accuracy, samples: 40, loss: 2, perplexity: 7.3891 });
  });
});
