/**
 * A bundled sample named at run time reaches a cluster run only when the compiled pipeline carries it, and
 * that is decided by the parameter's default. The rule is checked here against the compilers themselves:
 * what the KFP and Argo output holds for each default.
 */
import { describe, expect, it } from 'vitest';
import { catalog } from '../../node-catalog/index.ts';
import { templateDocument } from '../../node-catalog/templates/index.ts';
import { compileTarget } from '../compile/index.ts';
import { runParameterValues } from './parameters.ts';
import type { PipelineDocument, PipelineParameterValue } from './types.ts';

/** The smoke template with ko-bench's data_uri bound to `bench_data` (default as given). */
function boundDocument(fallback: PipelineParameterValue): PipelineDocument {
  const doc = templateDocument('korean-llm-smoke')!;
  doc.parameters = [...(doc.parameters ?? []), { name: 'bench_data', type: 'string', default: fallback }];
  const bench = doc.nodes.find((n) => n.id === 'ko-bench')!;
  bench.params = { ...bench.params, data_uri: { $param: 'bench_data' } };
  return doc;
}

const carriesSample = (doc: PipelineDocument, target: 'kfp' | 'argo', values: Record<string, PipelineParameterValue>) =>
  Object.values(compileTarget(doc, catalog, target, values)).join('\n').includes('--pipewright-sample=ko-bench');

describe('a sample named at run time', () => {
  it('is refused on KFP and Argo when the default does not name it, since the compiled pipeline does not carry it', () => {
    const doc = boundDocument('s3://bench/ko');
    for (const target of ['kfp', 'argo'] as const) {
      expect(carriesSample(doc, target, { bench_data: 'sample://ko-bench' })).toBe(false);
      const run = runParameterValues(doc, catalog, { bench_data: 'sample://ko-bench' }, target);
      expect(run.problems).toHaveLength(1);
      expect(run.problems[0].parameter).toBe('bench_data');
      expect(run.problems[0].message).toContain('Parameter bench_data is sample://ko-bench (for data_uri of node "ko-bench")');
      expect(run.problems[0].message).toContain(target === 'kfp' ? 'on Kubeflow Pipelines' : 'on Argo Workflows');
      expect(run.problems[0].message).toContain('built with the default (s3://bench/ko) and so carries no sample');
      expect(run.problems[0].message).toContain("make sample://ko-bench the parameter's default");
    }
  });

  it('is accepted on this machine, which finds every bundled sample', () => {
    const run = runParameterValues(boundDocument('s3://bench/ko'), catalog, { bench_data: 'sample://ko-bench' }, 'local');
    expect(run.problems).toEqual([]);
    expect(run.values.bench_data).toBe('sample://ko-bench');
  });

  it('is accepted on a cluster when it is the default, which the compiled pipeline carries; other URIs always are', () => {
    const doc = boundDocument('sample://ko-bench');
    for (const target of ['kfp', 'argo'] as const) {
      expect(carriesSample(doc, target, {})).toBe(true);
      expect(runParameterValues(doc, catalog, {}, target).problems).toEqual([]);
      expect(runParameterValues(doc, catalog, { bench_data: 'sample://ko-bench' }, target).problems).toEqual([]);
      expect(runParameterValues(doc, catalog, { bench_data: 's3://other/ko' }, target).problems).toEqual([]);
    }
  });

  it('must name a bundled sample, on every target, listing those there are', () => {
    for (const target of ['local', 'kfp', 'argo'] as const) {
      const run = runParameterValues(boundDocument('sample://ko-bench'), catalog, { bench_data: 'sample://ko-bnech' }, target);
      expect(run.problems.map((p) => p.message)).toEqual([expect.stringMatching(/^Parameter bench_data is sample:\/\/ko-bnech \(for data_uri of node "ko-bench"\), but no bundled sample is named "ko-bnech" \(bundled: .*sample:\/\/ko-bench/)]);
    }
  });

  it('is not judged without a target (editing, where no run starts)', () => {
    expect(runParameterValues(boundDocument('s3://bench/ko'), catalog, { bench_data: 'sample://ko-bench' }).problems).toEqual([]);
  });
});
