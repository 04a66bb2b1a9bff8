import { describe, expect, it } from 'vitest';
import { faceHeight, fitText, keyFigure, titleLines, uriTail } from './farFace.ts';
import type { FaceInput } from './farFace.ts';

const input = (patch: Partial<FaceInput> = {}): FaceInput => ({ phase: '', gpus: 0, params: [], ...patch });

describe('keyFigure', () => {
  it.each<[string, Partial<FaceInput>, ReturnType<typeof keyFigure>]>([
    ['a running step: how far it is', { phase: 'running', progress: 0.734, gpus: 4, lastLoss: 1.2 }, { key: 'ux.far.progress', values: { percent: 73 } }],
    ['a step with a loss and no progress: the last loss', { phase: 'succeeded', lastLoss: 1.234567, gpus: 4 }, { key: 'ux.far.loss', values: { value: 1.23 } }],
    ['a GPU step: its GPUs', { gpus: 2, params: [{ title: 'LR', text: '2e-5', value: 2e-5 }] }, { key: 'ux.far.gpus', values: { count: 2 } }],
    ['a data set: the end of its URI', { params: [{ title: 'URI', text: 's3://b/corpus/', value: 's3://b/corpus/' }] }, { text: 'corpus' }],
    ['else the first parameter with its title', { params: [{ title: 'Replicas', text: '2', value: 2 }] }, { text: 'Replicas 2' }],
    ['nothing to show', {}, null],
  ])('%s', (_, patch, expected) => {
    expect(keyFigure(input(patch))).toEqual(expected);
  });

  it('progress is clamped to 0..100', () => {
    expect(keyFigure(input({ phase: 'running', progress: 1.7 }))).toEqual({ key: 'ux.far.progress', values: { percent: 100 } });
  });
});

describe('uriTail', () => {
  it.each([
    ['s3://korean-llm-data/eval/ko_test.jsonl', 'ko_test.jsonl'],
    ['gs://bucket/corpus/', 'corpus'],
    ['/data/train', 'train'],
    ['s3://bucket', null],
    ['jsonl', null],
    [3, null],
  ])('%s → %s', (value, tail) => expect(uriTail(value)).toBe(tail));
});

describe('fitText', () => {
  it('keeps text that fits as it is', () => {
    expect(fitText('데이터셋', 26, 2)).toBe('데이터셋');
  });

  it('wraps at a space onto the next line when a second line is allowed', () => {
    expect(fitText('지속 사전학습 (CPT)', 26, 2)).toBe('지속 사전학습\n(CPT)');
  });

  it('cuts with an ellipsis what does not fit the lines allowed, never wider than the card', () => {
    const one = fitText('Continued pretraining (CPT) of a very large model', 26, 1);
    expect(one.endsWith('…')).toBe(true);
    expect(one).not.toContain('\n');
    const two = fitText('Continued pretraining (CPT) of a very large model', 26, 2);
    expect(two.split('\n')).toHaveLength(2);
    expect(two.endsWith('…')).toBe(true);
  });

  it('breaks a word longer than a line', () => {
    const out = fitText('unsloth/Qwen2.5-7B-bnb-4bit-instruct-extra', 24, 1);
    expect(out.endsWith('…')).toBe(true);
    expect(out.length).toBeLessThan(20);
  });
});

describe('face size', () => {
  it('takes the room of the detailed text: head and label, parameter rows, resources', () => {
    // A dataset card (two parameters) measured 145 px high with 59 px for an empty card; its ports take 25 px and 4 px margin.
    expect(faceHeight(59, 2)).toBe(145 - 4 - 25 - 20);
    expect(faceHeight(59, 0)).toBe(56);
  });

  it('gives the title as many lines as fit above the figure', () => {
    expect(titleLines(56)).toBe(1);
    expect(titleLines(96)).toBe(2);
    expect(titleLines(400)).toBe(3);
  });
});
