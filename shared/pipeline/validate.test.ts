import { describe, expect, it } from 'vitest';
import { catalog } from '../../node-catalog/index.ts';
import { pipelineFromAscii } from '../../test/fixtures/asciiPipeline.ts';
import { hasErrors, PROBLEM_CODE_LIST, PROBLEM_CODES, validatePipeline } from './validate.ts';
import type { PipelineDocument, PipelineNode, Problem } from './types.ts';

const LLM = `
  raw:dataset -> clean:preprocess -> cpt -> sft -> eval -> deploy
  raw -> sft
  raw -> eval
  sft -> deploy
`;

const codes = (problems: Problem[]) => problems.map((p) => p.code);
const check = (doc: PipelineDocument) => validatePipeline(doc, catalog);
const withNode = (drawing: string, id: string, fields: Partial<PipelineNode>) => pipelineFromAscii(drawing, { nodes: { [id]: fields } });

describe('a clean pipeline', () => {
  it('has no problems', () => {
    const doc = pipelineFromAscii(LLM, { name: 'korean-llm' });
    expect(check(doc)).toEqual([]);
    expect(doc.edges).toHaveLength(8);
  });
});

describe('graph problems', () => {
  it.each<[string, string, string[]]>([
    ['a two-node cycle', 'raw:dataset\na:preprocess -> b:preprocess -> a', ['cycle']],
    ['a three-node cycle with a way in', 'raw:dataset -> a:preprocess.dataset\na -> b:preprocess -> c:preprocess -> a', ['input-multiple-sources', 'cycle']],
    ['a self-loop', 'a:preprocess -> a', ['cycle']],
    ['two separate cycles', 'a:preprocess -> b:preprocess -> a\nc:preprocess -> d:preprocess -> c', ['cycle', 'cycle']],
    ['an input with two sources', 'r1:dataset -> p:preprocess\nr2:dataset -> p', ['input-multiple-sources']],
    ['a required input left open', 'raw:dataset -> cpt\neval', ['input-unconnected', 'input-unconnected']],
    ['an optional input left open', 'raw:dataset -> sft', []],
    ['unequal port kinds', 'raw:dataset -> cpt -> eval.model\nraw -> eval\ncpt.model -> p:preprocess.dataset', ['edge-kind-mismatch']],
    ['a port the node lacks', 'raw:dataset -> cpt.tokens', ['edge-port-missing', 'input-unconnected']],
  ])('%s', (_label, drawing, expected) => {
    expect(codes(check(pipelineFromAscii(drawing)))).toEqual(expected);
  });

  it('names every node of a cycle, in document order, with its edges', () => {
    const [cycle] = check(pipelineFromAscii('a:preprocess -> b:preprocess -> c:preprocess -> a\nraw:dataset'));
    expect(cycle).toMatchObject({ code: 'cycle', location: { nodeId: 'a', nodeIds: ['a', 'b', 'c'], edgeIds: ['e1', 'e2', 'e3'] } });
    expect(cycle.message).toBe('Nodes "a", "b", "c" form a cycle (edges "e1", "e2", "e3"); a pipeline must flow one way.');
  });

  it('finds a cycle deep in a long chain without recursion trouble', () => {
    const chain = Array.from({ length: 5000 }, (_, i) => `n${i}:preprocess`).join(' -> ');
    const problems = check(pipelineFromAscii(`raw:dataset -> ${chain} -> n0`));
    const cycle = problems.find((p) => p.code === 'cycle');
    expect(cycle?.location.nodeIds).toHaveLength(5000);
  });

  it('says which sources feed an input twice', () => {
    const [p] = check(pipelineFromAscii('r1:dataset -> p:preprocess\nr2:dataset -> p'));
    expect(p.location).toMatchObject({ nodeId: 'p', field: 'inputs.dataset', edgeIds: ['e1', 'e2'] });
    expect(p.message).toMatch(/Input "dataset" of node "p" has 2 sources: r1\.dataset \(edge "e1"\), r2\.dataset \(edge "e2"\)/);
  });

  it('reports edges to missing nodes, bad and duplicate edge ids', () => {
    const doc = pipelineFromAscii('raw:dataset -> p:preprocess');
    doc.edges.push({ id: 'e1', source: 'ghost', sourceHandle: 'dataset', target: 'p', targetHandle: 'dataset' });
    doc.edges.push({ id: 'bad id', source: 'raw', sourceHandle: 'dataset', target: 'nowhere', targetHandle: 'dataset' });
    const problems = check(doc);
    expect(problems.map((p) => [p.code, p.location.edgeId, p.location.field])).toEqual([
      ['edge-id-duplicate', 'e1', 'id'],
      ['edge-node-missing', 'e1', 'source'],
      ['edge-id-invalid', 'bad id', 'id'],
      ['edge-node-missing', 'bad id', 'target'],
      ['input-multiple-sources', 'e1', 'inputs.dataset'],
    ]);
    expect(problems[1].message).toBe('Edge "e1" starts at node "ghost", which does not exist.');
  });

  it('names the ports a node does have', () => {
    const [p] = check(pipelineFromAscii('raw:dataset.data -> p:preprocess.dataset'));
    expect(p.message).toBe('Edge "e1" starts at output "data" of node "raw", which has no such output (its outputs: dataset).');
  });

  it('explains a kind mismatch with both ends', () => {
    const doc = pipelineFromAscii('raw:dataset -> cpt\ncpt.model -> p:preprocess.dataset');
    expect(check(doc).find((p) => p.code === 'edge-kind-mismatch')?.message).toBe(
      'Edge "e2" joins a model output (cpt.model) to a dataset input (p.dataset); an edge joins only ports of the same kind.',
    );
  });
});

describe('nodes and names', () => {
  it.each<[string, Partial<PipelineDocument>, string[]]>([
    ['an uppercase name', { name: 'Korean-LLM' }, ['name-invalid']],
    ['a name starting with a digit', { name: '7b-run' }, ['name-invalid']],
    ['a name ending with "-"', { name: 'run-' }, ['name-invalid']],
    ['a 64-character name', { name: `a${'b'.repeat(63)}` }, ['name-invalid']],
    ['an empty name', { name: '' }, ['name-invalid']],
    ['an unknown top-level field', { ...({ nodez: [] } as object) }, ['field-unknown']],
    ['no nodes', { nodes: [], edges: [] }, ['pipeline-empty']],
  ])('%s', (_label, change, expected) => {
    expect(codes(check({ ...pipelineFromAscii('raw:dataset -> p:preprocess'), ...change }))).toEqual(expected);
  });

  it('explains why a name is refused', () => {
    const [p] = check({ ...pipelineFromAscii('raw:dataset'), name: 'korean_llm' });
    expect(p.message).toBe('The pipeline name "korean_llm" is not allowed: "_" is not allowed (use lowercase letters, digits and "-").');
  });

  it.each<[string, string, string[]]>([
    ['an id with a capital', 'Raw:dataset', ['node-id-invalid']],
    ['an id with an underscore', 'raw_1:dataset', ['node-id-invalid']],
    ['an unknown type', 'x:trainer', ['node-type-unknown']],
  ])('%s', (_label, drawing, expected) => {
    expect(codes(check(pipelineFromAscii(drawing)))).toEqual(expected);
  });

  it('reports a duplicated node id once per extra node', () => {
    const doc = pipelineFromAscii('raw:dataset -> p:preprocess');
    doc.nodes.push({ ...doc.nodes[0] });
    expect(codes(check(doc))).toEqual(['node-id-duplicate']);
  });

  it.each<[string, string, Partial<PipelineNode>, string[]]>([
    ['code on a cpt node', 'cpt', { code: 'print(1)' }, ['code-not-allowed']],
    ['an interface on a cpt node', 'cpt', { interface: { inputs: [], outputs: [], parameters: [] } }, ['interface-not-allowed']],
    ['retries above 10', 'cpt', { retries: 11 }, ['retries-invalid']],
    ['fractional retries', 'cpt', { retries: 1.5 }, ['retries-invalid']],
    ['negative retries', 'cpt', { retries: -1 }, ['retries-invalid']],
    ['a label that is a number', 'cpt', { label: 7 as unknown as string }, ['node-field-invalid']],
    ['cache as text', 'cpt', { cache: 'yes' as unknown as boolean }, ['node-field-invalid']],
    ['a misspelt node field', 'cpt', { retry: 2 } as Partial<PipelineNode>, ['field-unknown']],
  ])('%s', (_label, id, fields, expected) => {
    expect(codes(check(withNode('raw:dataset -> cpt', id, fields)))).toEqual(expected);
  });
});

describe('parameters', () => {
  it.each<[string, string, Record<string, unknown>, string[], RegExp?]>([
    ['above the maximum', 'cpt', { learning_rate: 5 }, ['param-out-of-range'], /^Parameter learning_rate of node "cpt" is 5, above its maximum 1\.$/],
    ['below the minimum', 'cpt', { num_epochs: 0 }, ['param-out-of-range'], /is 0, below its minimum 1/],
    ['a fraction for an integer', 'cpt', { num_epochs: 2.5 }, ['param-type'], /is 2\.5, but it must be a whole number/],
    ['text for a number', 'cpt', { learning_rate: '1e-5' }, ['param-type'], /is "1e-5", but it must be a number/],
    ['a number for a boolean', 'cpt', { load_in_4bit: 1 }, ['param-type'], /true or false/],
    ['not in the enum', 'cpt', { precision: 'fp32' }, ['param-not-in-enum'], /is "fp32", not one of "fp16", "bf16"/],
    ['a list with a number', 'cpt', { target_modules: ['q_proj', 3] }, ['param-type'], /a list of texts/],
    ['a misspelt name', 'cpt', { learning_rat: 1e-5 }, ['param-unknown'], /has no parameter "learning_rat" \(did you mean "learning_rate"\?\)/],
    ['a required value left blank', 'cpt', { base_model: ' ' }, ['param-required'], /base_model of node "cpt" is required/],
    ['a required value with no default, missing', 'raw', { format: 'jsonl' }, ['param-required'], /uri of node "raw" is required/],
    ['null', 'cpt', { seed: null }, ['param-type'], /is null/],
    ['1e400 in the file (read as Infinity)', 'cpt', JSON.parse('{"learning_rate": 1e400}') as Record<string, unknown>, ['param-type'], /learning_rate of node "cpt" is not a finite number \(too large: read as Infinity\)/],
    ['-1e400 for an integer', 'cpt', JSON.parse('{"num_epochs": -1e400}') as Record<string, unknown>, ['param-type'], /num_epochs of node "cpt" is not a finite number \(too large: read as -Infinity\)/],
  ])('%s', (_label, id, params, expected, message) => {
    const problems = check(withNode('raw:dataset -> cpt', id, { params: params as PipelineNode['params'] }));
    expect(codes(problems)).toEqual(expected);
    expect(problems[0].location).toMatchObject({ nodeId: id, param: Object.keys(params).find((k) => k !== 'format') ?? 'uri' });
    if (message) expect(problems[0].message).toMatch(message);
  });

  it('reports every problem, not the first', () => {
    const problems = check(withNode('raw:dataset -> cpt', 'cpt', { params: { learning_rate: -1, num_epochs: 'two', precision: 'x', bogus: 1 } as never, retries: 99 }));
    expect(codes(problems).sort()).toEqual(['param-not-in-enum', 'param-out-of-range', 'param-type', 'param-unknown', 'retries-invalid']);
  });

  it('warns about a relative dataset path, not about absolute paths or URIs', () => {
    const at = (uri: string) => codes(check(withNode('raw:dataset -> p:preprocess', 'raw', { params: { uri } })));
    expect(at('data/corpus.jsonl')).toEqual(['dataset-uri-relative']);
    expect(at('/mnt/data/corpus.jsonl')).toEqual([]);
    expect(at('sample://korean-mini')).toEqual([]);
    expect(at('https://example.com/a.jsonl')).toEqual([]);
  });
});

describe('resources', () => {
  it.each<[string, Record<string, unknown>, string[]]>([
    ['good values', { gpus: 2, cpu: '500m', memory: '64Gi', gpuResource: 'amd.com/gpu', gpuProduct: 'NVIDIA-H100-80GB-HBM3' }, []],
    ['fractional gpus', { gpus: 1.5 }, ['resources-gpus-invalid']],
    ['negative gpus', { gpus: -1 }, ['resources-gpus-invalid']],
    ['gpus as text', { gpus: '4' }, ['resources-gpus-invalid']],
    ['cpu not a quantity', { cpu: 'two' }, ['resources-cpu-invalid']],
    ['cpu as a number', { cpu: 32 }, ['resources-cpu-invalid']],
    ['cpu zero', { cpu: '0' }, ['resources-cpu-invalid']],
    ['memory "200GB"', { memory: '200GB' }, ['resources-memory-invalid']],
    ['memory negative', { memory: '-1Gi' }, ['resources-memory-invalid']],
    ['memory in millibytes', { memory: '512m' }, ['resources-memory-tiny']],
    ['a native resource as gpuResource', { gpuResource: 'cpu' }, ['resources-gpu-resource-invalid']],
    ['a kubernetes.io gpuResource', { gpuResource: 'kubernetes.io/gpu' }, ['resources-gpu-resource-invalid']],
    ['a gpuResource with spaces', { gpuResource: 'nvidia.com/ gpu' }, ['resources-gpu-resource-invalid']],
    ['a gpuProduct with spaces', { gpuProduct: 'NVIDIA H100' }, ['resources-gpu-product-invalid']],
    ['a misspelt resource', { gpu: 4 }, ['field-unknown']],
    ['tolerations not a list', { tolerations: {} }, ['resources-toleration-invalid']],
    ['Exists with a value', { tolerations: [{ key: 'k', operator: 'Exists', value: 'v' }] }, ['resources-toleration-invalid']],
    ['an unknown operator', { tolerations: [{ key: 'k', operator: 'In' }] }, ['resources-toleration-invalid']],
    ['an unknown effect', { tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoRun' }] }, ['resources-toleration-invalid']],
    ['Equal without a key', { tolerations: [{ operator: 'Equal', value: 'x' }] }, ['resources-toleration-invalid']],
    ['tolerationSeconds without NoExecute', { tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoSchedule', tolerationSeconds: 5 }] }, ['resources-toleration-invalid']],
    ['well-formed tolerations', { tolerations: [{ operator: 'Exists' }, { key: 'nvidia.com/gpu', operator: 'Equal', value: 'present', effect: 'NoExecute', tolerationSeconds: 30 }] }, []],
  ])('%s', (_label, resources, expected) => {
    const problems = check(withNode('raw:dataset -> cpt', 'cpt', { resources: resources as PipelineNode['resources'] }));
    expect(codes(problems)).toEqual(expected);
    for (const p of problems) expect(p.location).toMatchObject({ nodeId: 'cpt' });
  });

  it('names the node and the value', () => {
    const [p] = check(withNode('raw:dataset -> cpt', 'cpt', { resources: { memory: '200GB' } }));
    expect(p.location.field).toBe('resources.memory');
    expect(p.message).toMatch(/^memory of node "cpt" is "200GB", which is not a Kubernetes quantity: unexpected "B"/);
    const [tiny] = check(withNode('raw:dataset -> cpt', 'cpt', { resources: { memory: '512m' } }));
    expect(tiny.message).toMatch(/did you mean "512Mi"\?/);
  });

  it('warns when GPUs are asked for without a gpuResource (catalog defaults count)', () => {
    const python = { interface: { inputs: [], outputs: [], parameters: [] }, resources: { gpus: 1 } };
    expect(codes(check(withNode('job:python', 'job', python)))).toEqual(['gpu-resource-missing']);
    expect(codes(check(withNode('raw:dataset -> cpt', 'cpt', { resources: { gpus: 8 } })))).toEqual([]);
  });
});

describe('python nodes', () => {
  const iface = (over: object) => ({ interface: { inputs: [], outputs: [], parameters: [], ...over } as never });
  it.each<[string, Partial<PipelineNode>, string[]]>([
    ['no code', { code: '' }, ['python-code-missing']],
    ['a declared interface, connected', iface({ outputs: [{ name: 'out', kind: 'dataset' }] }), []],
    ['a port name with a dash', iface({ inputs: [{ name: 'in-data', kind: 'dataset', optional: true }] }), ['python-interface-invalid']],
    ['an unknown port kind', iface({ outputs: [{ name: 'out', kind: 'tensor' }] }), ['python-interface-invalid']],
    ['two inputs with one name', iface({ inputs: [{ name: 'a', kind: 'model', optional: true }, { name: 'a', kind: 'model', optional: true }] }), ['python-interface-invalid']],
    ['an unknown parameter type', iface({ parameters: [{ name: 'p', type: 'float', title: { en: 'p', ko: 'p' }, help: { en: '', ko: '' } }] }), ['python-interface-invalid']],
    ['an enum without choices', iface({ parameters: [{ name: 'p', type: 'enum', title: { en: 'p', ko: 'p' }, help: { en: '', ko: '' } }] }), ['python-interface-invalid']],
    ['a default out of range', iface({ parameters: [{ name: 'p', type: 'integer', min: 0, max: 3, default: 9, title: { en: 'p', ko: 'p' }, help: { en: '', ko: '' } }] }), ['python-interface-invalid']],
    ['min above max', iface({ parameters: [{ name: 'p', type: 'number', min: 5, max: 1, title: { en: 'p', ko: 'p' }, help: { en: '', ko: '' } }] }), ['python-interface-invalid']],
    ['a value for a declared parameter, out of range', { ...iface({ parameters: [{ name: 'p', type: 'integer', max: 3, title: { en: 'p', ko: 'p' }, help: { en: '', ko: '' } }] }), params: { p: 4 } }, ['param-out-of-range']],
    ['a required declared input left open', iface({ inputs: [{ name: 'data', kind: 'dataset' }] }), ['input-unconnected']],
  ])('%s', (_label, fields, expected) => {
    expect(codes(check(withNode('job:python', 'job', fields)))).toEqual(expected);
  });
});

describe('settings', () => {
  const base = pipelineFromAscii('raw:dataset -> p:preprocess');
  it.each<[string, object, string[]]>([
    ['good settings', { namespace: 'kubeflow', pipelineRoot: 's3://b/p', mlflowTrackingUri: 'http://mlflow:5000', secretEnv: [{ secret: 'hf-token', key: 'token', env: 'HF_TOKEN' }] }, []],
    ['a namespace with capitals', { namespace: 'KubeFlow' }, ['settings-invalid']],
    ['a pipeline root without a scheme', { pipelineRoot: 'bucket/prefix' }, ['settings-invalid']],
    ['an image with a space', { image: 'python 3' }, ['settings-invalid']],
    ['a misspelt setting', { namspace: 'x' }, ['field-unknown']],
    ['a secret name with "_"', { secretEnv: [{ secret: 'hf_token', key: 'token', env: 'HF_TOKEN' }] }, ['secret-env-invalid']],
    ['an env name with "-"', { secretEnv: [{ secret: 'hf', key: 'token', env: 'HF-TOKEN' }] }, ['secret-env-invalid']],
    ['an env name starting with a digit', { secretEnv: [{ secret: 'hf', key: 'token', env: '1TOKEN' }] }, ['secret-env-invalid']],
    ['a key with "/"', { secretEnv: [{ secret: 'hf', key: 'a/b', env: 'T' }] }, ['secret-env-invalid']],
    ['one env set twice', { secretEnv: [{ secret: 'a', key: 'k', env: 'T' }, { secret: 'b', key: 'k', env: 'T' }] }, ['secret-env-duplicate']],
  ])('%s', (_label, settings, expected) => {
    const problems = check({ ...base, settings: settings as PipelineDocument['settings'] });
    expect(codes(problems)).toEqual(expected);
  });
});

describe('the code list', () => {
  it('describes every code once, with the severity the validator uses', () => {
    expect(new Set(PROBLEM_CODE_LIST.map((c) => c.code)).size).toBe(PROBLEM_CODE_LIST.length);
    for (const info of PROBLEM_CODE_LIST) {
      expect(info.description.length).toBeGreaterThan(10);
      expect(PROBLEM_CODES[info.code][0]).toBe(info.severity);
    }
  });

  it('hasErrors ignores warnings', () => {
    expect(hasErrors(check(withNode('raw:dataset', 'raw', { params: { uri: 'rel/path' } })))).toBe(false);
    expect(hasErrors(check(pipelineFromAscii('a:preprocess -> a')))).toBe(true);
  });
});
