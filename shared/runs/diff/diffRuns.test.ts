import { describe, expect, it } from 'vitest';
import { catalog } from '../../../node-catalog/index.ts';
import type { PipelineDocument } from '../../pipeline/types.ts';
import type { RunSummary } from '../types.ts';
import { metricDirection, metricGroup, verdictOf } from './direction.ts';
import { diffRuns, overlayCurves } from './diffRuns.ts';
import type { DiffSide } from './types.ts';

function doc(over: { lr?: number; extra?: boolean; code?: string; gpus?: number; image?: string; uri?: string; param?: number } = {}): PipelineDocument {
  return {
    format: 'pipewright.pipeline/v2',
    name: 'ko',
    parameters: [{ name: 'epochs', type: 'integer', default: over.param ?? 2 }],
    nodes: [
      { id: 'data', type: 'dataset', position: { x: 0, y: 0 }, params: { uri: over.uri ?? 'sample://ko_corpus.jsonl' } },
      { id: 'cpt', type: 'cpt', position: { x: 1, y: 0 }, params: { learning_rate: over.lr ?? 1e-5, num_epochs: { $param: 'epochs' } }, resources: { gpus: over.gpus ?? 4 }, ...(over.image ? { image: over.image } : {}) },
      { id: 'py', type: 'python', position: { x: 2, y: 0 }, code: over.code ?? 'print(1)\n' },
      ...(over.extra ? [{ id: 'bench', type: 'ko-bench', position: { x: 3, y: 0 } }] : []),
    ],
    edges: [
      { id: 'e1', source: 'data', sourceHandle: 'dataset', target: 'cpt', targetHandle: 'dataset' },
      ...(over.extra ? [{ id: 'e9', source: 'cpt', sourceHandle: 'model', target: 'bench', targetHandle: 'model' }] : []),
    ],
  };
}

const T0 = '2026-12-01T00:00:00.000Z';
const at = (s: number) => new Date(Date.parse(T0) + s * 1000).toISOString();

function run(id: string, document: PipelineDocument, nodes: RunSummary['nodes'], extra: Partial<NonNullable<DiffSide['run']>> = {}, end = 4000): DiffSide {
  return { label: id, document, run: { id, pipelineName: 'ko', target: 'local', phase: 'succeeded', createdAt: T0, finishedAt: at(end), nodes, ...extra } };
}

describe('direction', () => {
  it.each([
    ['loss', 'lower'], ['eval_loss', 'lower'], ['train/perplexity', 'lower'], ['accuracy', 'higher'], ['exact_match', 'higher'],
    ['kmmlu/acc', 'higher'], ['kmmlu/stem/acc_norm', 'higher'], ['delta/kobest_copa/acc', 'higher'], ['learning_rate', 'none'], ['epoch', 'none'], ['grad_norm', 'none'],
  ])('%s: %s is better', (key, dir) => expect(metricDirection(key)).toBe(dir));

  it('loss down, accuracy up improve; the opposite regresses; NaN is worst; a small time change is noise', () => {
    expect(verdictOf('lower', 2.0, 1.5)).toBe('improved');
    expect(verdictOf('lower', 1.5, 2.0)).toBe('regressed');
    expect(verdictOf('higher', 0.4, 0.5)).toBe('improved');
    expect(verdictOf('higher', 0.5, 0.4)).toBe('regressed');
    expect(verdictOf('lower', 1, NaN)).toBe('regressed');
    expect(verdictOf('lower', NaN, 1)).toBe('improved');
    expect(verdictOf('lower', 100, 103, 0.05)).toBe('neutral');
    expect(verdictOf('none', 1, 2)).toBe('neutral');
    expect(metricGroup('ko-bench', 'kmmlu/acc')).toBe('benchmark');
    expect(metricGroup('eval', 'accuracy')).toBe('evaluation');
    expect(metricGroup('cpt', 'loss')).toBe('training');
  });
});

describe('diffRuns', () => {
  it('graph: nodes and edges added, removed and changed with their fields', () => {
    const d = diffRuns({ label: 'a', document: doc() }, { label: 'b', document: doc({ extra: true, lr: 2e-5, gpus: 2 }) }, catalog);
    expect(d.graph.nodes.find((n) => n.nodeId === 'bench')).toMatchObject({ change: 'added', type: 'ko-bench' });
    expect(d.graph.nodes.find((n) => n.nodeId === 'cpt')).toMatchObject({ change: 'changed', fields: ['params.learning_rate', 'resources.gpus'] });
    expect(d.graph.nodes.find((n) => n.nodeId === 'data')?.change).toBe('same');
    expect(d.graph.edges).toEqual([
      { key: 'data.dataset -> cpt.dataset', source: 'data', target: 'cpt', change: 'same' },
      { key: 'cpt.model -> bench.model', source: 'cpt', target: 'bench', change: 'added' },
    ]);
    const back = diffRuns({ label: 'b', document: doc({ extra: true }) }, { label: 'a', document: doc() }, catalog);
    expect(back.graph.nodes.find((n) => n.nodeId === 'bench')?.change).toBe('removed');
    expect(back.graph.edges.find((e) => e.target === 'bench')?.change).toBe('removed');
  });

  it('params (defaults filled in), pipeline parameter values (a run\'s value over the default), images, resources', () => {
    const a = run('a', doc(), {}, { parameterValues: { epochs: 3 } });
    const b = run('b', doc({ lr: 3e-5, image: 'ghcr.io/acme/train:2', gpus: 8 }), {});
    const d = diffRuns(a, b, catalog);
    expect(d.fields).toContainEqual({ nodeId: 'cpt', field: 'params.learning_rate', a: '0.00001', b: '0.00003', change: 'changed' });
    expect(d.fields).toContainEqual({ nodeId: 'cpt', field: 'params.num_epochs', a: '3', b: '2', change: 'changed' });
    expect(d.fields.some((r) => r.field === 'params.lora_r')).toBe(false);
    expect(d.parameters).toEqual([{ field: 'epochs', a: '3', b: '2', change: 'changed' }]);
    expect(d.images.find((r) => r.nodeId === 'cpt')).toMatchObject({ b: 'ghcr.io/acme/train:2', change: 'changed' });
    expect(d.images.find((r) => r.nodeId === 'data')?.change).toBe('same');
    expect(d.resources.find((r) => r.nodeId === 'cpt' && r.field === 'resources.gpus')).toMatchObject({ a: '4', b: '8', change: 'changed' });
  });

  it('inputs: dataset content hashes and python code hashes; the document side compares its code to the run\'s', () => {
    const hashA = { nodeId: 'data', param: 'uri', uri: '/d/c.jsonl', sha256: 'a'.repeat(64), bytes: 10 };
    const a = run('a', doc(), {}, { inputs: [hashA, { nodeId: 'py', param: 'code', sha256: 'c'.repeat(64) }] });
    const b = run('b', doc(), {}, { inputs: [{ ...hashA, sha256: 'b'.repeat(64) }, { nodeId: 'py', param: 'code', sha256: 'c'.repeat(64) }] });
    const d = diffRuns(a, b, catalog);
    expect(d.inputs.find((r) => r.nodeId === 'data')).toEqual({ nodeId: 'data', field: 'uri', a: `/d/c.jsonl sha256:${'a'.repeat(12)} (10 B)`, b: `/d/c.jsonl sha256:${'b'.repeat(12)} (10 B)`, change: 'changed' });
    expect(d.inputs.find((r) => r.nodeId === 'py')?.change).toBe('same');
    const same = diffRuns(a, { label: 'doc', document: doc() }, catalog);
    expect(same.inputs.find((r) => r.nodeId === 'py')).toMatchObject({ change: 'same' });
    expect(same.inputs.find((r) => r.nodeId === 'data')?.b).toBe('sample://ko_corpus.jsonl (not run)');
    const edited = diffRuns(a, { label: 'doc', document: doc({ code: 'print(2)\n' }) }, catalog);
    expect(edited.inputs.find((r) => r.nodeId === 'py')).toMatchObject({ b: '9 characters (not run)', change: 'changed' });
  });

  it('engines, durations and GPU-hours (GPUs x hours, lower is better, 5 % noise neutral)', () => {
    const a = run('a', doc(), { cpt: { phase: 'succeeded', engine: 'unsloth', startedAt: at(0), finishedAt: at(3600) }, data: { phase: 'succeeded', startedAt: at(0), finishedAt: at(10) } });
    const b = run('b', doc(), { cpt: { phase: 'succeeded', engine: 'transformers', startedAt: at(0), finishedAt: at(1800) }, data: { phase: 'succeeded', startedAt: at(0), finishedAt: at(10.2) } }, {}, 2000);
    const d = diffRuns(a, b, catalog);
    expect(d.engines).toContainEqual({ nodeId: 'cpt', field: 'engine', a: 'unsloth', b: 'transformers', change: 'changed' });
    expect(d.durations.find((r) => r.nodeId === 'cpt')).toMatchObject({ a: 3600, b: 1800, delta: -1800, verdict: 'improved' });
    expect(d.durations.find((r) => r.nodeId === 'data')?.verdict).toBe('neutral');
    expect(d.durations.find((r) => r.nodeId === undefined)).toMatchObject({ a: 4000, b: 2000, verdict: 'improved' });
    expect(d.gpuHours.find((r) => r.nodeId === 'cpt')).toMatchObject({ a: 4, b: 2, verdict: 'improved' });
    expect(d.gpuHours.find((r) => r.nodeId === undefined)).toMatchObject({ a: 4, b: 2 });
    const docSide = diffRuns(a, { label: 'doc', document: doc() }, catalog);
    expect(docSide.engines.find((r) => r.nodeId === 'cpt')?.b).toBe('auto (not run)');
  });

  it('metrics: final values, deltas and verdicts per group (loss down improves, benchmark accuracy down regresses)', () => {
    const a = run('a', doc({ extra: true }), { cpt: { phase: 'succeeded', lastMetrics: { loss: 2.5, learning_rate: 1e-5 } }, bench: { phase: 'succeeded', lastMetrics: { 'kmmlu/acc': 0.41, 'haerae/acc': 0.5 } } });
    const b = run('b', doc({ extra: true }), { cpt: { phase: 'succeeded', lastMetrics: { loss: 2.1, learning_rate: 2e-5 } }, bench: { phase: 'succeeded', lastMetrics: { 'kmmlu/acc': 0.39, 'haerae/acc': 0.5 } } });
    const d = diffRuns(a, b, catalog);
    const m = (key: string) => d.metrics.find((r) => r.key === key)!;
    expect(m('loss')).toMatchObject({ group: 'training', verdict: 'improved' });
    expect(m('loss').delta).toBeCloseTo(-0.4);
    expect(m('learning_rate').verdict).toBe('neutral');
    expect(m('kmmlu/acc')).toMatchObject({ group: 'benchmark', verdict: 'regressed' });
    expect(m('haerae/acc').verdict).toBe('neutral');
    expect(d.score).toEqual({ improved: 1, regressed: 1 });
  });

  it('curves: one chart per node metric, a curve per run; more than two runs overlay too', () => {
    const s = (label: string, k: number): DiffSide => ({ label, document: doc(), curves: { cpt: [1, 2, 3].map((step) => ({ step, values: { loss: k / step, epoch: step } })) } });
    const sets = overlayCurves([s('r1', 3), s('r2', 2), s('r3', 1)]);
    const loss = sets.find((c) => c.key === 'loss')!;
    expect(loss.series.map((x) => x.label)).toEqual(['r1', 'r2', 'r3']);
    expect(loss.series[1]).toEqual({ label: 'r2', steps: [1, 2, 3], values: [2, 1, 2 / 3] });
    expect(diffRuns(s('a', 3), s('b', 2), catalog).curves.map((c) => c.key)).toEqual(['loss', 'epoch']);
  });
});
