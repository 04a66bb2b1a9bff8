/**
 * Fidelity to lm-evaluation-harness v0.4.12: for a row in each dataset's Hugging Face columns, the prompt,
 * the continuations and the gold index. Every expected string is written by hand from the task files
 * (lm_eval/tasks/kmmlu/default/_default_kmmlu_yaml, kobest/kobest_*.yaml + utils.py, haerae/_default_haerae_yaml)
 * and lm_eval/api/task.py (continuation = target_delimiter " " + choice; few-shot example = text + " " + answer + "\n\n").
 */
import { describe, expect, it } from 'vitest';
import { probeStep } from '../steps.testkit.ts';

interface Rendered {
  context: string;
  continuations: string[];
  gold: number;
}

const render = (benchmark: string, row: Record<string, unknown>, shots: Record<string, unknown>[] = []): Rendered =>
  probeStep<Rendered>('ko-bench', `
spec = step.SPECS[${JSON.stringify(benchmark)}]
row = json.loads(${JSON.stringify(JSON.stringify(row))})
shots = json.loads(${JSON.stringify(JSON.stringify(shots))})
problem = step.row_problem(spec, row)
assert problem is None, problem
context = step.build_context(spec, row, shots)
requests = step.build_requests(spec, row, context)
assert all(c == context for c, _ in requests)
result = {"context": context, "continuations": [x for _, x in requests], "gold": step.gold_index(spec, row)}
`);

const kmmlu = { question: '  다음 중 소수는?\n', answer: 3, A: '4', B: '6', C: '7', D: '9', Category: 'Math', 'Human Accuracy': 0.5 };
const copa = { premise: '물을 엎질렀다.', question: '결과', alternative_1: '바닥이 젖었다.', alternative_2: '바닥이 말랐다.', label: 0 };
const boolq = { paragraph: '한강은 서울을 지난다.', question: '한강은 서울을 지나는가?', label: 1 };

describe('prompts, continuations and gold answers as the harness writes them (0-shot)', () => {
  it.each<[string, Record<string, unknown>, Rendered]>([
    // doc_to_text "{{question.strip()}}\nA. {{A}}\nB. {{B}}\nC. {{C}}\nD. {{D}}\n정답：" (a full-width colon), choices A-D, target {{answer-1}}
    ['kmmlu', kmmlu, { context: '다음 중 소수는?\nA. 4\nB. 6\nC. 7\nD. 9\n정답\uff1a', continuations: [' A', ' B', ' C', ' D'], gold: 2 }],
    // "{{paragraph}} 질문: {{question}} 답변: " (a trailing space, so the continuation starts after two), ["아니오", "예"], {{label}}
    ['kobest_boolq', boolq, { context: '한강은 서울을 지난다. 질문: 한강은 서울을 지나는가? 답변: ', continuations: [' 아니오', ' 예'], gold: 1 }],
    // copa_doc_to_text: f"{premise} {connector}", connector " 그래서" for 결과 (two spaces); the target is the right alternative's text
    ['kobest_copa', copa, { context: '물을 엎질렀다.  그래서', continuations: [' 바닥이 젖었다.', ' 바닥이 말랐다.'], gold: 0 }],
    ['kobest_copa', { ...copa, question: ' 원인 ', label: 1 }, { context: '물을 엎질렀다.  왜냐하면', continuations: [' 바닥이 젖었다.', ' 바닥이 말랐다.'], gold: 1 }],
    // hellaswag_process_doc: query "문장: {context}", choices ending_1..4, target {{label}}
    ['kobest_hellaswag', { context: '그는 우산을 폈다.', ending_1: '비가 왔다.', ending_2: '해가 떴다.', ending_3: '눈이 녹았다.', ending_4: '바람이 멎었다.', label: 0 },
      { context: '문장: 그는 우산을 폈다.', continuations: [' 비가 왔다.', ' 해가 떴다.', ' 눈이 녹았다.', ' 바람이 멎었다.'], gold: 0 }],
    // sentineg_doc_to_text: f"문장: {sentence} 긍부정:", ["부정", "긍정"]
    ['kobest_sentineg', { sentence: '정말 좋아요.', label: 1 }, { context: '문장: 정말 좋아요. 긍부정:', continuations: [' 부정', ' 긍정'], gold: 1 }],
    // wic_doc_to_text: f"문장1: {context_1} 문장2: {context_2} 두 문장에서 {word}가 같은 뜻으로 쓰였나?", ['아니오', '예']
    ['kobest_wic', { word: '배', context_1: '배가 아프다.', context_2: '배를 탔다.', label: 0 },
      { context: '문장1: 배가 아프다. 문장2: 배를 탔다. 두 문장에서 배가 같은 뜻으로 쓰였나?', continuations: [' 아니오', ' 예'], gold: 0 }],
    // "{{query}}", ["(A)", "(B)", "(C)", "(D)", "(E)"], target "{{answer}}": a choice's text, or digits read as an index
    ['haerae', { query: '질문: 설날 음식은?\n(A) 송편\n(B) 떡국\n(C) 팥죽\n(D) 냉면\n(E) 약과\n정답:', answer: '(B)' },
      { context: '질문: 설날 음식은?\n(A) 송편\n(B) 떡국\n(C) 팥죽\n(D) 냉면\n(E) 약과\n정답:', continuations: [' (A)', ' (B)', ' (C)', ' (D)', ' (E)'], gold: 1 }],
    ['haerae', { query: '질문?', answer: 3 }, { context: '질문?', continuations: [' (A)', ' (B)', ' (C)', ' (D)', ' (E)'], gold: 3 }],
  ])('%s', (benchmark, row, expected) => {
    expect(render(benchmark, row)).toEqual(expected);
  });
});

describe('few-shot examples: text, target delimiter, answer, blank line, then the question', () => {
  it('KMMLU answers an example with its letter', () => {
    const shot = { ...kmmlu, question: '2 + 2 = ?', A: '3', B: '4', C: '5', D: '22', answer: 2 };
    expect(render('kmmlu', kmmlu, [shot]).context).toBe(
      '2 + 2 = ?\nA. 3\nB. 4\nC. 5\nD. 22\n정답\uff1a B\n\n다음 중 소수는?\nA. 4\nB. 6\nC. 7\nD. 9\n정답\uff1a',
    );
  });

  it('BoolQ keeps the double space after "답변:" in examples too', () => {
    const shot = { paragraph: '해는 동쪽에서 뜬다.', question: '해는 서쪽에서 뜨는가?', label: 0 };
    expect(render('kobest_boolq', boolq, [shot, boolq]).context).toBe(
      '해는 동쪽에서 뜬다. 질문: 해는 서쪽에서 뜨는가? 답변:  아니오\n\n한강은 서울을 지난다. 질문: 한강은 서울을 지나는가? 답변:  예\n\n한강은 서울을 지난다. 질문: 한강은 서울을 지나는가? 답변: ',
    );
  });

  it('COPA answers an example with the right alternative itself', () => {
    const shot = { premise: '밤을 새웠다.', question: '결과', alternative_1: '개운했다.', alternative_2: '졸렸다.', label: 1 };
    expect(render('kobest_copa', copa, [shot]).context).toBe('밤을 새웠다.  그래서 졸렸다.\n\n물을 엎질렀다.  그래서');
  });
});

describe('the harness default sampler: random.Random(1234) per task, drawing row after row', () => {
  const draws = (pool: number, n: number, docs: number[], fromTest: boolean) =>
    probeStep<number[][]>('ko-bench', `
pool = [{"i": i} for i in range(${pool})]
sampler = step.FewshotSampler(pool)
result = [[d["i"] for d in sampler.sample(${n}, pool[k] if ${fromTest ? 'True' : 'False'} else None)] for k in ${JSON.stringify(docs)}]
`);

  it('draws what random.Random(1234).sample draws, in the same order', () => {
    // random.Random(1234).sample(range(10), 3) four times in a row.
    expect(draws(10, 3, [0, 1, 2, 3], false)).toEqual([[7, 1, 0], [1, 0, 9], [1, 5, 3], [0, 9, 8]]);
  });

  it('leaves the evaluated row out when the examples come from the test split (HAE-RAE), drawing one more', () => {
    // random.Random(1234).sample(range(5), 2) gives [3, 0], [0, 4], [4, 0]: evaluating rows 3, 0, 4 drops each from its draw.
    expect(draws(5, 1, [3, 0, 4], true)).toEqual([[0], [4], [0]]);
    expect(draws(5, 1, [1, 2, 3], true)).toEqual([[3], [0], [4]]);
  });

  it('draws for each task on its own: a KMMLU subject\'s examples do not depend on the subjects before it', () => {
    const result = probeStep<string[][]>('ko-bench', `
dev = [dict(question="q%d" % i, answer=1, A="a", B="b", C="c", D="d", Category=c) for c in ("Math", "Law") for i in range(5)]
test = [dict(question="t%d" % i, answer=1, A="a", B="b", C="c", D="d", Category="Law") for i in range(2)]
both = step._kmmlu_tasks(test + [dict(test[0], Category="Math")], dev, 2, 0, "test.jsonl", "dev.jsonl")
alone = step._kmmlu_tasks(test, dev, 2, 0, "test.jsonl", "dev.jsonl")
law = lambda tasks: [t for t in tasks if t.name == "kmmlu_law"][0]
sample = lambda task: [[d["question"] + ":" + d["Category"] for d in step.FewshotSampler(task.pool).sample(2)] for _ in task.docs]
result = [[t.name for t in both], sample(law(both)), sample(law(alone))]
`);
    expect(result[0]).toEqual(['kmmlu_law', 'kmmlu_math']);
    expect(result[1]).toEqual(result[2]);
    for (const shot of result[1].flat()) expect(shot).toMatch(/:Law$/);
  });
});
