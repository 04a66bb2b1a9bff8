import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { catalog } from '../../../node-catalog/index.ts';
import { templateDocument } from '../../../node-catalog/templates/index.ts';
import { argoCronWorkflowCheck } from '../../../test/fixtures/schemaCheck.ts';
import { argoWorkflow } from '../../compile/argo.ts';
import type { PipelineDocument } from '../../pipeline/types.ts';
import { argoCronWorkflow } from '../argo.ts';
import { ScheduleError, type ScheduleSpec } from '../types.ts';
import { DATA_CHECK_ENTRYPOINT, dataCheckConfigMapName } from './argo.ts';
import { dataCheckRbac, dataCheckRbacYaml } from './rbac.ts';

const NOW = Date.parse('2026-12-01T00:00:00Z');
const spec: ScheduleSpec = { name: 'nightly', cron: '0 3 * * *', timezone: 'UTC', maxConcurrency: 1, catchUp: true, parameters: {}, trigger: 'data-changed' };

interface Template {
  name: string;
  dag?: { tasks: { name: string; template: string; dependencies?: string[]; depends?: string; when?: string; arguments?: { parameters: { name: string; value: string }[] } }[] };
  outputs?: { parameters?: { name: string; valueFrom: { path: string } }[] };
  container?: { image: string; command: string[]; args: string[]; env: { name: string; value?: string }[] };
}
interface Cw {
  metadata: { annotations: Record<string, string> };
  spec: { workflowSpec: { entrypoint: string; templates: Template[]; arguments: { parameters: { name: string; value: string }[] } } };
}

function doc(): PipelineDocument {
  const d = templateDocument('korean-llm-smoke')!;
  d.settings = { ...d.settings, namespace: 'ml', secretEnv: [{ secret: 's3-creds', key: 'id', env: 'AWS_ACCESS_KEY_ID' }] };
  return d;
}

const b64 = (s: string) => JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(s), (c) => c.charCodeAt(0)))) as unknown;

describe('Argo CronWorkflow that runs when the data changes', () => {
  const check = argoCronWorkflowCheck();
  const cw = argoCronWorkflow(doc(), catalog, spec, NOW) as unknown as Cw;
  const wf = cw.spec.workflowSpec;
  const byName = new Map(wf.templates.map((t) => [t.name, t]));

  it("is valid against Argo's schema", () => {
    expect(check(cw)).toEqual([]);
  });

  it('starts with DataCheck, runs the pipeline only when it says changed, and records only after the pipeline succeeded', () => {
    expect(wf.entrypoint).toBe(DATA_CHECK_ENTRYPOINT);
    const tasks = byName.get(DATA_CHECK_ENTRYPOINT)!.dag!.tasks;
    expect(tasks.map((t) => t.name)).toEqual(['DataCheck', 'Pipeline', 'RecordData']);
    expect(tasks[1]).toMatchObject({ template: 'Pipeline', depends: 'DataCheck', when: '{{tasks.DataCheck.outputs.parameters.changed}} == true' });
    // Argo refuses a DAG template that mixes `depends` and `dependencies`.
    expect(tasks.some((t) => t.dependencies)).toBe(false);
    expect(tasks[2].depends).toBe('DataCheck.Succeeded && Pipeline.Succeeded');
    expect(tasks[2].arguments!.parameters).toEqual([{ name: 'fingerprints', value: '{{tasks.DataCheck.outputs.parameters.fingerprints}}' }]);
    // The pipeline's own templates are untouched.
    const plain = argoWorkflow(doc(), catalog).spec as unknown as { templates: Template[] };
    expect(wf.templates.slice(3)).toEqual(plain.templates);
  });

  it('checks the dataset inputs in the dataset step\'s image, with its credentials and its bundled sample', () => {
    const t = byName.get('DataCheck')!;
    expect((t as { automountServiceAccountToken?: boolean }).automountServiceAccountToken).toBe(true);
    const corpus = byName.get('corpus')!;
    expect(t.container!.image).toBe(corpus.container!.image);
    expect(t.container!.env.map((e) => e.name)).toEqual(expect.arrayContaining(['AWS_ACCESS_KEY_ID', 'PIPEWRIGHT_PIPELINE']));
    expect(t.container!.env.find((e) => e.name === 'PIPEWRIGHT_NODE_ID')?.value).toBe('DataCheck');
    expect(t.container!.command.slice(0, 5)).toEqual(['python3', '-u', '-c', '{{workflow.parameters.pipewright-launcher}}', '{{workflow.parameters.pipewright-data-check}}']);
    // Each reader's bundled sample, by the same workflow parameter the reader gets it from.
    expect(t.container!.command.slice(5)).toEqual([
      ...corpus.container!.command.slice(5),
      ...['instructions', 'test-set', 'ko-bench'].flatMap((id) => byName.get(id)!.container!.command.slice(5)),
    ]);
    expect(t.container!.command.slice(5, 7)).toEqual(['--pipewright-sample=ko_corpus.jsonl', '{{workflow.parameters.sample-ko_corpus-jsonl}}']);
    const args = t.container!.args;
    expect(args.slice(0, 9)).toEqual(['check', '--namespace', '{{workflow.namespace}}', '--configmap', 'pipewright-data.korean-llm-smoke.nightly', '--schedule', 'nightly', '--pipeline', 'korean-llm-smoke']);
    expect(b64(args[args.indexOf('--inputs') + 1])).toEqual([
      { nodeId: 'corpus', param: 'uri', uri: 'sample://ko_corpus.jsonl' },
      { nodeId: 'instructions', param: 'uri', uri: 'sample://ko_instructions.jsonl' },
      { nodeId: 'test-set', param: 'uri', uri: 'sample://ko_test.jsonl' },
      { nodeId: 'ko-bench', param: 'data_uri', uri: 'sample://ko-bench' },
    ]);
    expect(t.outputs!.parameters!.map((p) => [p.name, p.valueFrom.path, args[args.indexOf(`--out-${p.name}`) + 1]])).toEqual([
      ['changed', '/tmp/outputs/changed', '/tmp/outputs/changed'],
      ['message', '/tmp/outputs/message', '/tmp/outputs/message'],
      ['fingerprints', '/tmp/outputs/fingerprints', '/tmp/outputs/fingerprints'],
    ]);
    const script = wf.arguments.parameters.find((p) => p.name === 'pipewright-data-check')!.value;
    expect(script.startsWith('#!/usr/bin/env python3\n"""Pipewright data check')).toBe(true);
  });

  it('a bound dataset URI takes the schedule\'s parameter value; ko-bench on the hub can never be compared', () => {
    const d = doc();
    d.parameters = [{ name: 'corpus_uri', type: 'string', default: 's3://a/old/' }];
    d.nodes.find((n) => n.id === 'corpus')!.params!.uri = { $param: 'corpus_uri' };
    d.nodes.push({ id: 'bench', type: 'ko-bench', position: { x: 0, y: 0 }, params: { benchmarks: ['kobest_boolq'] } });
    const made = argoCronWorkflow(d, catalog, { ...spec, parameters: { corpus_uri: 's3://datasets/ko/' } }, NOW) as unknown as Cw;
    const args = made.spec.workflowSpec.templates.find((t) => t.name === 'DataCheck')!.container!.args;
    const inputs = b64(args[args.indexOf('--inputs') + 1]) as { nodeId: string }[];
    expect(inputs[0]).toEqual({ nodeId: 'corpus', param: 'uri', uri: 's3://datasets/ko/' });
    expect(inputs.at(-1)).toEqual({ nodeId: 'bench', param: 'data_uri', unavailable: 'the Hugging Face hub, read by the step' });
  });

  it('a pipeline without dataset inputs is refused: nothing could ever start a run', () => {
    const d = doc();
    d.nodes = d.nodes.filter((n) => n.type !== 'dataset' && n.type !== 'ko-bench');
    d.edges = [];
    expect(() => argoCronWorkflow(d, catalog, spec, NOW)).toThrow(ScheduleError);
    expect(() => argoCronWorkflow(d, catalog, spec, NOW)).toThrow(/no dataset .* input whose changes could start a run/);
  });

  it('a cron schedule is left as it was', () => {
    const plain = argoCronWorkflow(doc(), catalog, { ...spec, trigger: 'cron' }, NOW) as unknown as Cw;
    expect(plain.spec.workflowSpec.entrypoint).toBe('Pipeline');
    expect(plain.spec.workflowSpec.templates.some((t) => t.name === 'DataCheck')).toBe(false);
  });
});

describe('RBAC for the data check', () => {
  it('a Role limited to the schedule\'s ConfigMap (create unrestricted, as Kubernetes requires) bound to the account', () => {
    const [role, binding] = dataCheckRbac('korean-llm-smoke', 'nightly', { namespace: 'ml', serviceAccount: 'default' }) as unknown as [
      { rules: unknown[]; metadata: { name: string; namespace: string } },
      { subjects: unknown[]; roleRef: unknown },
    ];
    expect(role.metadata).toMatchObject({ name: 'pipewright-data-check-nightly', namespace: 'ml' });
    expect(role.rules).toEqual([
      { apiGroups: [''], resources: ['configmaps'], verbs: ['create'] },
      { apiGroups: [''], resources: ['configmaps'], resourceNames: [dataCheckConfigMapName('korean-llm-smoke', 'nightly')], verbs: ['get', 'update'] },
    ]);
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'default', namespace: 'ml' }]);
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'pipewright-data-check-nightly' });
    const docs = parseAllDocuments(dataCheckRbacYaml('korean-llm-smoke', 'nightly', { namespace: 'ml', serviceAccount: 'default' })).map((d) => d.toJS() as { kind: string });
    expect(docs.map((d) => d.kind)).toEqual(['Role', 'RoleBinding']);
  });
});
