import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ParamsJson, paramsJson } from './dvcParams.ts';

describe('params.yaml text', () => {
  it('is JSON of the entries in the order added: run settings and parameters first, then each node', () => {
    const out = new ParamsJson();
    out.addHead('_pipewright', { pipeline: 'p', pushgateway_url: 'http://pg:9091' });
    out.addHead('lr', 2e-5);
    out.add('data', { uri: 's3://b/x', format: 'jsonl' });
    out.add('cpt', { learning_rate: 1e-7, target_modules: ['q_proj', 'v_proj'], empty: {} });
    const text = out.text();
    expect(Object.keys(JSON.parse(text))).toEqual(['_pipewright', 'lr', 'data', 'cpt']);
    expect(JSON.parse(text)).toEqual({
      _pipewright: { pipeline: 'p', pushgateway_url: 'http://pg:9091' },
      lr: 2e-5,
      data: { uri: 's3://b/x', format: 'jsonl' },
      cpt: { learning_rate: 1e-7, target_modules: ['q_proj', 'v_proj'], empty: {} },
    });
    // YAML 1.1 readers read 1.0e-7 as a number (1e-7 as a string): the numbers are written as formatYamlNumber does.
    expect(text).toContain('"learning_rate": 1.0e-7');
    expect(parse(text)).toEqual(JSON.parse(text));
  });

  it('a node whose id is a parameter name takes the parameter\'s place with its own section, as an object spread does', () => {
    const out = new ParamsJson();
    out.addHead('seed', 1);
    out.addHead('lr', 2e-5);
    out.add('seed', { n: 3 });
    out.add('eval', { max_samples: 100 });
    const spread = { ...{ seed: 1, lr: 2e-5 }, ...{ seed: { n: 3 }, eval: { max_samples: 100 } } };
    expect(out.text()).toBe(paramsJson(spread));
    expect(Object.keys(JSON.parse(out.text()))).toEqual(['seed', 'lr', 'eval']);
  });

  it('is {} with no entries, and the same for head-only and node-only entries as for the whole mapping', () => {
    expect(new ParamsJson().text()).toBe('{}\n');
    const head = new ParamsJson();
    head.addHead('only', 'x');
    expect(head.text()).toBe('{\n  "only": "x"\n}\n');
    const nodes = new ParamsJson();
    for (let i = 0; i < 3000; i++) nodes.add(`n-${i}`, { i, s: `v${i % 7}` });
    const parsed = JSON.parse(nodes.text());
    expect(Object.keys(parsed)).toHaveLength(3000);
    expect(parsed['n-2999']).toEqual({ i: 2999, s: 'v3' });
  });
});
