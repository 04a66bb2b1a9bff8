/** The run dialog's parameter check follows the chosen target: a bundled sample the cluster run would not carry blocks Run there only. */
import { expect, it } from 'vitest';
import { catalog } from '../../node-catalog/index.ts';
import { templateDocument } from '../../node-catalog/templates/index.ts';
import { checkRunParameters } from './model.ts';

it('blocks a sample:// value on KFP and Argo, not on this machine', () => {
  const doc = templateDocument('korean-llm-smoke')!;
  doc.parameters = [{ name: 'bench_data', type: 'string', default: 's3://bench/ko' }];
  const bench = doc.nodes.find((n) => n.id === 'ko-bench')!;
  bench.params = { ...bench.params, data_uri: { $param: 'bench_data' } };
  const texts = { bench_data: 'sample://ko-bench' };
  expect(checkRunParameters(doc, catalog, texts, 'local').problems).toEqual({});
  for (const target of ['kfp', 'argo'] as const) {
    expect(checkRunParameters(doc, catalog, texts, target).problems).toEqual({
      bench_data: { kind: 'value', message: expect.stringContaining('a bundled sample travels inside the compiled pipeline') },
    });
  }
  expect(checkRunParameters(doc, catalog, { bench_data: 's3://bench/other' }, 'kfp').problems).toEqual({});
});
