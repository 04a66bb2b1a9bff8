/**
 * "When the data changes" on KFP: the recurring run's pipeline spec is data-check -> pipeline (the original
 * root DAG as a condition sub-DAG) with record-data inside it after the original sinks; parsed strictly as
 * KFP's own protobuf messages.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { catalog } from '../../../node-catalog/index.ts';
import { templateDocument } from '../../../node-catalog/templates/index.ts';
import { KFP_CHECKER } from '../../../test/fixtures/kfp-emulation.ts';
import { kfpRecurringRunCheck } from '../../../test/fixtures/schemaCheck.ts';
import { kfpDocuments } from '../../compile/kfp.ts';
import { KFP_LAUNCHER } from '../../compile/kfp/launcher.ts';
import type { PipelineDocument } from '../../pipeline/types.ts';
import { kfpRecurringRun } from '../kfp.ts';
import { ScheduleError, type ScheduleSpec } from '../types.ts';
import { CHANGED_CHANNEL, FINGERPRINTS_CHANNEL, KFP_DATA_CHANGED_CONDITION } from './kfp.ts';
import { dataCheckOutcome, KFP_DATA_UNCHANGED_MESSAGE } from './outcome.ts';
import { dataCheckRbac, kfpRunAccount } from './rbac.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const NOW = Date.parse('2026-12-01T00:00:00Z');
const spec: ScheduleSpec = { name: 'nightly', cron: '0 3 * * *', timezone: 'UTC', maxConcurrency: 1, catchUp: true, parameters: {}, trigger: 'data-changed' };

function doc(): PipelineDocument {
  const d = templateDocument('korean-llm-smoke')!;
  d.settings = { ...d.settings, secretEnv: [{ secret: 's3-creds', key: 'id', env: 'AWS_ACCESS_KEY_ID' }] };
  d.parameters = [
    { name: 'lr', type: 'number', default: 2e-4 },
    { name: 'corpus_uri', type: 'string', default: 'sample://ko_corpus.jsonl' },
  ];
  const node = (id: string) => d.nodes.find((n) => n.id === id)!;
  node('cpt').params = { ...node('cpt').params, learning_rate: { $param: 'lr' } };
  node('corpus').params = { ...node('corpus').params, uri: { $param: 'corpus_uri' } };
  return d;
}

const b64 = (s: string) => JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(s), (c) => c.charCodeAt(0)))) as unknown;

function wrapped(d = doc(), s = spec): { body: Json; pipeline: Json; platform: Json } {
  const body = kfpRecurringRun(d, catalog, s, {}, NOW) as unknown as Json;
  return { body, pipeline: body.pipeline_spec.pipeline_spec, platform: body.pipeline_spec.platform_spec };
}

const work = mkdtempSync(join(tmpdir(), 'pipewright-kfp-datacheck-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('KFP recurring run that runs when the data changes', () => {
  const { body, pipeline, platform } = wrapped();
  const plain = kfpDocuments(doc(), catalog) as unknown as { pipeline: Json; platform: Json };
  const root = pipeline.root;
  const exec = (task: Json) => pipeline.deploymentSpec.executors[pipeline.components[task.componentRef.name].executorLabel].container;

  it('is a valid v2beta1 RecurringRun body', () => {
    expect(kfpRecurringRunCheck()(body)).toEqual([]);
  });

  it('runs data-check first, then the pipeline as a condition on its `changed` output, as the KFP SDK compiles dsl.If', () => {
    expect(Object.keys(root.dag.tasks)).toEqual(['data-check', 'pipeline']);
    expect(root.dag.tasks['data-check']).toEqual({ cachingOptions: { enableCache: false }, componentRef: { name: 'comp-data-check' }, taskInfo: { name: 'data-check' } });
    const task = root.dag.tasks.pipeline;
    expect(task.dependentTasks).toEqual(['data-check']);
    expect(task.triggerPolicy).toEqual({ condition: "inputs.parameter_values['pipelinechannel--data-check-changed'] == 'true'" });
    expect(KFP_DATA_CHANGED_CONDITION).toBe(task.triggerPolicy.condition);
    expect(task.inputs.parameters[CHANGED_CHANNEL]).toEqual({ taskOutputParameter: { producerTask: 'data-check', outputParameterKey: 'changed' } });
    expect(task.inputs.parameters[FINGERPRINTS_CHANNEL]).toEqual({ taskOutputParameter: { producerTask: 'data-check', outputParameterKey: 'fingerprints' } });
    expect(pipeline.components['comp-data-check'].outputDefinitions.parameters).toEqual({ changed: { parameterType: 'STRING' }, message: { parameterType: 'STRING' }, fingerprints: { parameterType: 'STRING' } });
  });

  it("passes the pipeline's parameters through to the sub-DAG, whose tasks are the original ones (caching aside)", () => {
    expect(root.inputDefinitions).toEqual(plain.pipeline.root.inputDefinitions);
    const task = root.dag.tasks.pipeline;
    expect(task.inputs.parameters.lr).toEqual({ componentInputParameter: 'lr' });
    expect(task.inputs.parameters.corpus_uri).toEqual({ componentInputParameter: 'corpus_uri' });
    const sub = pipeline.components[task.componentRef.name];
    expect(sub.inputDefinitions.parameters).toEqual({
      lr: { parameterType: 'NUMBER_DOUBLE' },
      corpus_uri: { parameterType: 'STRING' },
      [CHANGED_CHANNEL]: { parameterType: 'STRING' },
      [FINGERPRINTS_CHANNEL]: { parameterType: 'STRING' },
    });
    const { 'record-data': record, ...original } = sub.dag.tasks;
    const withoutCaching = (tasks: Json) => Object.fromEntries(Object.entries(tasks).map(([n, t]) => [n, { ...t, cachingOptions: undefined }]));
    expect(withoutCaching(original)).toEqual(withoutCaching(plain.pipeline.root.dag.tasks));
    expect(original.cpt.inputs.parameters.learning_rate).toEqual({ componentInputParameter: 'lr' });
    expect(record).toBeDefined();
    // Every original component and executor is still there, unchanged.
    for (const [name, c] of Object.entries(plain.pipeline.components)) expect(pipeline.components[name]).toEqual(c);
    for (const [name, e] of Object.entries(plain.pipeline.deploymentSpec.executors)) expect(pipeline.deploymentSpec.executors[name]).toEqual(e);
    for (const [name, e] of Object.entries(plain.platform.platforms.kubernetes.deploymentSpec.executors)) expect(platform.platforms.kubernetes.deploymentSpec.executors[name]).toEqual(e);
  });

  it("runs the data-reading tasks and their direct consumers uncached (KFP's cache would hand them the last run's data); the rest cache as before", () => {
    const sub = pipeline.components[root.dag.tasks.pipeline.componentRef.name].dag.tasks;
    const before = plain.pipeline.root.dag.tasks;
    // The corpus (a fetch step here: its URI parameter stays the same when the data changes) and preprocess, which reads its artifact.
    expect(before.corpus.cachingOptions).toEqual({ enableCache: true });
    expect(before.preprocess.cachingOptions).toEqual({ enableCache: true });
    expect(sub.corpus.cachingOptions).toEqual({ enableCache: false });
    expect(sub.preprocess.cachingOptions).toEqual({ enableCache: false });
    // Further down, new artifacts come in anyway: their caching is the user's.
    expect(sub.cpt.dependentTasks).not.toContain('corpus');
    expect(sub.cpt.cachingOptions).toEqual(before.cpt.cachingOptions);
  });

  it('records the data inside the condition, after the sinks of the pipeline: only when it ran and every task succeeded', () => {
    const sub = pipeline.components[root.dag.tasks.pipeline.componentRef.name];
    const record = sub.dag.tasks['record-data'];
    const tasks = Object.entries(plain.pipeline.root.dag.tasks as Record<string, Json>);
    const sinks = tasks.filter(([name]) => !tasks.some(([, t]) => (t.dependentTasks ?? []).includes(name))).map(([name]) => name);
    expect(sinks.length).toBeGreaterThan(0);
    expect(record.dependentTasks).toEqual(sinks);
    // Every original task is an ancestor of record-data.
    const ancestors = new Set<string>();
    const walk = (name: string) => {
      if (ancestors.has(name)) return;
      ancestors.add(name);
      for (const d of sub.dag.tasks[name].dependentTasks ?? []) walk(d);
    };
    for (const s of record.dependentTasks) walk(s);
    expect([...ancestors].sort()).toEqual(tasks.map(([n]) => n).sort());
    expect(record.cachingOptions).toEqual({ enableCache: false });
    expect(record.triggerPolicy).toBeUndefined();
    expect(record.inputs.parameters).toEqual({ fingerprints: { componentInputParameter: FINGERPRINTS_CHANNEL }, run: { runtimeValue: { constant: '{{$.pipeline_job_name}}' } } });
    const args = exec(record).args;
    expect(args).toEqual([
      'record', '--configmap', 'pipewright-data.korean-llm-smoke.nightly', '--schedule', 'nightly', '--pipeline', 'korean-llm-smoke',
      '--fingerprints', "{{$.inputs.parameters['fingerprints']}}", '--run', "{{$.inputs.parameters['run']}}",
    ]); // prettier-ignore
  });

  it("checks the dataset inputs with the step script, the dataset step's image, credentials and bundled samples, in the run's namespace", () => {
    const c = exec(root.dag.tasks['data-check']);
    const corpus = plain.pipeline.deploymentSpec.executors[plain.pipeline.components[plain.pipeline.root.dag.tasks.corpus.componentRef.name].executorLabel].container;
    expect(c.image).toBe(corpus.image);
    expect(c.command.slice(0, 4)).toEqual(['python3', '-u', '-c', KFP_LAUNCHER]);
    expect(c.command[4]).toBe(catalog.dataCheckScript);
    expect(c.command.slice(5, 7)).toEqual(['--pipewright-sample=ko_corpus.jsonl', corpus.command[6]]);
    expect(c.command.filter((a: string) => a.startsWith('--pipewright-sample='))).toEqual([
      '--pipewright-sample=ko_corpus.jsonl',
      '--pipewright-sample=ko_instructions.jsonl',
      '--pipewright-sample=ko_test.jsonl',
      '--pipewright-sample=ko-bench',
    ]);
    expect(c.env).toEqual(expect.arrayContaining([{ name: 'PIPEWRIGHT_NODE_ID', value: 'data-check' }, { name: 'PIPEWRIGHT_PIPELINE', value: 'korean-llm-smoke' }]));
    expect(c.args.slice(0, 7)).toEqual(['check', '--configmap', 'pipewright-data.korean-llm-smoke.nightly', '--schedule', 'nightly', '--pipeline', 'korean-llm-smoke']);
    expect(b64(c.args[c.args.indexOf('--inputs') + 1])).toEqual([
      { nodeId: 'corpus', param: 'uri', uri: 'sample://ko_corpus.jsonl' },
      { nodeId: 'instructions', param: 'uri', uri: 'sample://ko_instructions.jsonl' },
      { nodeId: 'test-set', param: 'uri', uri: 'sample://ko_test.jsonl' },
      { nodeId: 'ko-bench', param: 'data_uri', uri: 'sample://ko-bench' },
    ]);
    for (const o of ['changed', 'message', 'fingerprints']) expect(c.args[c.args.indexOf(`--out-${o}`) + 1]).toBe(`{{$.outputs.parameters['${o}'].output_file}}`);
    const k8s = platform.platforms.kubernetes.deploymentSpec.executors['exec-data-check'];
    expect(k8s.secretAsEnv).toEqual([{ secretName: 's3-creds', keyToEnv: [{ secretKey: 'id', envVar: 'AWS_ACCESS_KEY_ID' }] }]);
    expect(k8s.fieldPathAsEnv).toContainEqual({ name: 'PIPEWRIGHT_NAMESPACE', fieldPath: 'metadata.namespace' });
    expect(platform.platforms.kubernetes.deploymentSpec.executors['exec-record-data']).toEqual(k8s);
  });

  it("the schedule's value of a bound dataset URI is what gets fingerprinted", () => {
    const { pipeline: p } = wrapped(doc(), { ...spec, parameters: { corpus_uri: 's3://datasets/ko/' } });
    const c = p.deploymentSpec.executors[p.components[p.root.dag.tasks['data-check'].componentRef.name].executorLabel].container;
    expect((b64(c.args[c.args.indexOf('--inputs') + 1]) as Json[])[0]).toEqual({ nodeId: 'corpus', param: 'uri', uri: 's3://datasets/ko/' });
  });

  it('refuses what it cannot do, naming why: no dataset input, an uploaded pipeline, a node taking record-data\'s name', () => {
    const none = doc();
    none.nodes = none.nodes.filter((n) => n.type !== 'dataset' && n.type !== 'ko-bench');
    none.edges = [];
    none.parameters = [];
    expect(() => kfpRecurringRun(none, catalog, spec, {}, NOW)).toThrow(/no dataset .* input whose changes could start a run/);
    expect(() => kfpRecurringRun(doc(), catalog, spec, { pipelineId: 'p1' }, NOW)).toThrow(ScheduleError);
    expect(() => kfpRecurringRun(doc(), catalog, spec, { pipelineId: 'p1' }, NOW)).toThrow(/cannot run an uploaded pipeline \(--pipeline-id\)/);
    const clash = doc();
    const evalNode = clash.nodes.find((n) => n.id === 'eval')!;
    const old = evalNode.id;
    evalNode.id = 'record-data';
    for (const e of clash.edges) {
      if (e.source === old) e.source = 'record-data';
      if (e.target === old) e.target = 'record-data';
    }
    expect(() => kfpRecurringRun(clash, catalog, spec, {}, NOW)).toThrow(/node "record-data" has the name of the data check's own step/);
  });

  it("RBAC: the runs' account, pipeline-runner on a single-user KFP, default-editor in a profile namespace", () => {
    expect(kfpRunAccount(undefined, 'kubeflow')).toEqual({ namespace: 'kubeflow', serviceAccount: 'pipeline-runner' });
    expect(kfpRunAccount('team-a', 'kubeflow')).toEqual({ namespace: 'team-a', serviceAccount: 'default-editor' });
    const [role, binding] = dataCheckRbac('korean-llm-smoke', 'nightly', kfpRunAccount('team-a', 'kubeflow')) as Json[];
    expect(role.metadata.namespace).toBe('team-a');
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'default-editor', namespace: 'team-a' }]);
  });

  const bindings = (process.env.KFP_PROTO_BINDINGS ?? '').split(':').filter(Boolean);
  if (bindings.length === 0) throw new Error('KFP_PROTO_BINDINGS is not set: run the tests through vitest.config.ts (its global setup builds the bindings)');
  it.each(bindings)("parses strictly as KFP's PipelineSpec and PlatformSpec (bindings in %s), both templates", (folder) => {
    const files = (['korean-llm-smoke', 'korean-llm'] as const).map((id) => {
      const d = templateDocument(id)!;
      const { pipeline: p, platform: k } = wrapped(d);
      const file = join(work, `${id}.yaml`);
      writeFileSync(file, k ? `${stringify(p)}---\n${stringify(k)}` : stringify(p));
      return file;
    });
    const run = spawnSync('/usr/bin/python3', [KFP_CHECKER, ...files], { env: { ...process.env, KFP_PROTO_BINDINGS: folder }, encoding: 'utf8', maxBuffer: 64 << 20 });
    expect(run.stdout.split('\n').filter(Boolean).map((l) => l.split(':')[0]), run.stdout + run.stderr).toEqual(files.map((f) => `ok ${f}`));
    // A check of the checker: it follows references inside the sub-DAG too.
    const { pipeline: p, platform: k } = wrapped();
    delete p.components['comp-pipeline'].inputDefinitions.parameters.lr;
    const broken = join(work, 'broken.yaml');
    writeFileSync(broken, `${stringify(p)}---\n${stringify(k)}`);
    const again = spawnSync('/usr/bin/python3', [KFP_CHECKER, broken], { env: { ...process.env, KFP_PROTO_BINDINGS: folder }, encoding: 'utf8' });
    expect(again.stdout).toMatch(/componentInputParameter lr is not an input of comp-pipeline/);
  });
});

describe("a KFP run's data check, read from its Workflow (the check's outputs stay in ML Metadata)", () => {
  const wf = (pipelinePhase: string | undefined, checkPhase = 'Succeeded') => ({
    status: {
      nodes: {
        a: { displayName: 'data-check', templateName: 'system-container-executor', phase: checkPhase },
        b: { displayName: 'pipeline-driver', templateName: 'system-dag-driver', phase: 'Succeeded' },
        ...(pipelinePhase ? { c: { displayName: 'pipeline', templateName: 'comp-pipeline', phase: pipelinePhase } } : {}),
      },
    },
  });
  it('the pipeline sub-DAG skipped: unchanged; started: changed; not decided yet or no check: nothing', () => {
    expect(dataCheckOutcome(wf('Skipped'))).toEqual({ changed: false, message: KFP_DATA_UNCHANGED_MESSAGE });
    expect(dataCheckOutcome(wf('Running'))?.changed).toBe(true);
    expect(dataCheckOutcome(wf('Failed'))?.changed).toBe(true);
    expect(dataCheckOutcome(wf(undefined))).toBeUndefined();
    expect(dataCheckOutcome(wf('Skipped', 'Failed'))).toBeUndefined();
    // A user's task named "pipeline" in a plain run is no data check's sub-DAG.
    expect(dataCheckOutcome({ status: { nodes: { c: { displayName: 'pipeline', templateName: 'system-container-executor', phase: 'Skipped' } } } })).toBeUndefined();
  });
});
