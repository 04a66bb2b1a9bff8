import { describe, expect, it } from 'vitest';
import { downstreamStages, parseParams, readStages, stageParams } from './stages.ts';

const DVC_YAML = `stages:
  corpus:
    cmd: python3 -u steps/dataset.py --params-file params.yaml --params-key corpus --out-dataset data/corpus/dataset
    deps:
      - steps/dataset.py
      - samples/ko_corpus.jsonl
    params:
      - corpus.uri
    outs:
      - data/corpus/dataset
  eval:
    cmd: python3 -u steps/eval.py --params-file params.yaml --params-key eval --in-dataset data/corpus/dataset --out-metrics data/eval/metrics
    deps:
      - steps/eval.py
      - data/corpus/dataset
    params:
      - eval.max_samples
      - other.yaml:
          - threshold
    metrics:
      - data/eval/metrics/metrics.json:
          cache: false
  deploy:
    cmd: python3 -u steps/deploy.py --in-metrics data/eval/metrics --in-model data/corpus/dataset --out-endpoint data/deploy/endpoint
    deps:
      - data/eval/metrics
      - data/corpus/dataset
    outs:
      - data/deploy/endpoint
`;

describe('readStages', () => {
  const stages = readStages(DVC_YAML);

  it('reads commands, deps, params and every output, folding a metrics file into its directory', () => {
    expect(stages.map((s) => s.name)).toEqual(['corpus', 'eval', 'deploy']);
    expect(stages[1]).toMatchObject({
      deps: ['steps/eval.py', 'data/corpus/dataset'],
      outputs: ['data/eval/metrics'],
      params: ['eval.max_samples', 'other.yaml:threshold'],
    });
  });

  it('derives the graph from deps and outs, as DVC does', () => {
    expect(stages.map((s) => [s.name, s.upstream])).toEqual([
      ['corpus', []],
      ['eval', ['corpus']],
      ['deploy', ['corpus', 'eval']],
    ]);
    expect([...downstreamStages(stages, 'corpus')].sort()).toEqual(['deploy', 'eval']);
    expect([...downstreamStages(stages, 'deploy')]).toEqual([]);
  });

  it("takes a stage's parameter values from params.yaml", () => {
    expect(stageParams(stages[1], '{"eval": {"max_samples": 3}}')).toEqual({ 'eval.max_samples': 3, 'other.yaml:threshold': undefined });
  });

  it('refuses a file without stages', () => {
    expect(() => readStages('vars: []\n')).toThrow('dvc.yaml has no stages');
    expect(() => readStages('stages:\n  a:\n    deps: []\n')).toThrow('stage "a" has no cmd');
  });
});

describe('reading the same dvc.yaml again', () => {
  it('gives equal stages that a caller may change without changing the next read', () => {
    const first = readStages(DVC_YAML);
    first[0].deps.push('changed');
    first[0].cmd = 'changed';
    const second = readStages(DVC_YAML);
    expect(second[0].deps).not.toContain('changed');
    expect(second[0].cmd).not.toBe('changed');
    expect(second.map((s) => s.name)).toEqual(first.map((s) => s.name));
  });
});

describe('parseParams', () => {
  it.each([
    ['{"a": {"lr": 0.1, "name": "x"}}', { a: { lr: 0.1, name: 'x' } }],
    ['a:\n  lr: 0.1\n', { a: { lr: 0.1 } }],
    // YAML flow mapping that is not JSON.
    ['{a: {lr: 0.1}}', { a: { lr: 0.1 } }],
  ])('%j', (text, value) => {
    expect(parseParams(text)).toEqual(value);
  });
});
