import { describe, expect, it } from 'vitest';
import type { KubeContextInfo } from '../../shared/api/runs.ts';
import type { PipelineDocument } from '../../shared/pipeline/types.ts';
import { formIssues, initialForm, isNamespace, rememberedChoice, runRequest, withContexts } from './runDialogModel.ts';
import type { RunForm } from './runDialogModel.ts';

const doc: PipelineDocument = { format: 'pipewright.pipeline/v2', name: 'smoke', settings: { namespace: 'kubeflow' }, nodes: [], edges: [] };
const ctx = (name: string, over: Partial<KubeContextInfo> = {}): KubeContextInfo => ({ name, cluster: name, user: 'u', server: 'https://k', current: false, ...over });
const form = (over: Partial<RunForm> = {}): RunForm => ({ target: 'argo', context: 'emu', namespace: 'default', kfpDirect: false, kfpUrl: '', kfpToken: '', kfpAuth: 'session', kfpTokenEnv: '', kfpCookieEnv: '', kfpServiceAccount: '', experiment: '', ...over });

describe('run form', () => {
  it.each([
    ['default', true],
    ['team-a1', true],
    ['Team', false],
    ['-a', false],
    ['a-', false],
    ['a_b', false],
    ['a'.repeat(63), true],
    ['a'.repeat(64), false],
  ])('namespace %s valid: %s', (ns, ok) => {
    expect(isNamespace(ns)).toBe(ok);
  });

  it('starts from the pipeline’s remembered target and context, else this machine; the namespace is the pipeline’s setting first', () => {
    expect(initialForm(doc, undefined)).toMatchObject({ target: 'local', namespace: 'kubeflow' });
    expect(initialForm(doc, { target: 'argo', context: 'prod', namespace: 'default', usedAt: '' })).toMatchObject({ target: 'argo', context: 'prod', namespace: 'kubeflow' });
    const unset: PipelineDocument = { ...doc, settings: {} };
    expect(initialForm(unset, { target: 'argo', context: 'prod', namespace: 'ml', usedAt: '' })).toMatchObject({ namespace: 'ml' });
    expect(initialForm(unset, undefined).namespace).toBe('');
    // With nothing chosen, the context's namespace (then `default`) fills it once contexts are known.
    expect(withContexts(initialForm(doc, undefined), [ctx('a', { current: true, namespace: 'team-a' })]).namespace).toBe('kubeflow');
    expect(withContexts(initialForm(unset, undefined), [ctx('a', { current: true })]).namespace).toBe('default');
  });

  it('keeps a remembered context that still exists, else takes the current one and its namespace', () => {
    const contexts = [ctx('a'), ctx('b', { current: true, namespace: 'team-b' })];
    expect(withContexts(form({ context: 'a', namespace: 'x' }), contexts)).toMatchObject({ context: 'a', namespace: 'x' });
    expect(withContexts(form({ context: 'gone', namespace: '' }), contexts)).toMatchObject({ context: 'b', namespace: 'team-b' });
    expect(withContexts(form({ context: 'a' }), []).context).toBe('');
  });

  const cases: [string, RunForm, Parameters<typeof formIssues>[1], string[]][] = [
    ['local with a clean pipeline', form({ target: 'local', namespace: '' }), { contexts: null, pipelineErrors: 0 }, []],
    ['local with pipeline errors', form({ target: 'local' }), { contexts: null, pipelineErrors: 2 }, ['pipelineErrors']],
    ['cluster, contexts still loading', form({ context: '' }), { contexts: null, pipelineErrors: 0 }, []],
    ['cluster, no contexts at all', form({ context: '' }), { contexts: [], pipelineErrors: 0 }, ['noContexts']],
    ['cluster, no context chosen', form({ context: '' }), { contexts: [ctx('a')], pipelineErrors: 0 }, ['noContext']],
    ['cluster, empty namespace', form({ namespace: ' ' }), { contexts: [ctx('emu')], pipelineErrors: 0 }, ['namespaceEmpty']],
    ['cluster, bad namespace', form({ namespace: 'My_NS' }), { contexts: [ctx('emu')], pipelineErrors: 0 }, ['namespaceInvalid']],
    ['kfp direct without a URL', form({ target: 'kfp', kfpDirect: true, kfpUrl: 'kubeflow.local' }), { contexts: [ctx('emu')], pipelineErrors: 0 }, ['kfpUrlInvalid']],
    ['kfp direct with a URL', form({ target: 'kfp', kfpDirect: true, kfpUrl: 'https://kfp.example.com/pipeline' }), { contexts: [ctx('emu')], pipelineErrors: 0 }, []],
  ];
  it.each(cases)('issues: %s', (_name, f, c, keys) => {
    expect(formIssues(f, c).map((i) => i.key)).toEqual(keys);
  });

  it('builds the request each target needs', () => {
    expect(runRequest(form({ target: 'local' }), doc)).toEqual({ document: doc, target: 'local' });
    expect(runRequest(form({ namespace: ' ml ' }), doc)).toEqual({ document: doc, target: 'argo', context: 'emu', namespace: 'ml' });
    expect(runRequest(form({ target: 'kfp', kfpDirect: true, kfpUrl: ' http://k:8888 ', kfpToken: 't' }), doc)).toMatchObject({ kfpUrl: 'http://k:8888', kfpToken: 't' });
    expect(runRequest(form({ target: 'kfp', kfpDirect: false, kfpUrl: 'http://k' }), doc)).not.toHaveProperty('kfpUrl');
    expect(runRequest(form({ target: 'kfp', experiment: ' tuning ' }), doc)).toMatchObject({ experiment: 'tuning' });
    expect(runRequest(form({ target: 'kfp', experiment: '' }), doc)).not.toHaveProperty('experiment');
    expect(runRequest(form({ target: 'argo', experiment: 'x' }), doc)).not.toHaveProperty('experiment');
  });

  it('remembers target, context and namespace, never a token', () => {
    expect(rememberedChoice(form({ target: 'kfp', kfpDirect: true, kfpToken: 'secret' }))).toEqual({ target: 'kfp', context: 'emu', namespace: 'default' });
    expect(rememberedChoice(form({ target: 'local' }))).toEqual({ target: 'local' });
  });

describe('the KFP connection in the request', () => {
  it('a session sends the URL, the pasted token (memory only) or the variables\' names; a service account its name', () => {
    const doc = { format: 'pipewright.pipeline/v2', name: 'p', nodes: [], edges: [] } as never;
    expect(runRequest(form({ target: 'kfp', kfpDirect: true, kfpUrl: 'https://kf/pipeline', kfpCookieEnv: ' KF_SESSION ', kfpTokenEnv: 'KF_ID' }), doc)).toMatchObject({ kfpUrl: 'https://kf/pipeline', kfpAuth: 'session', kfpCookieEnv: 'KF_SESSION', kfpTokenEnv: 'KF_ID' });
    expect(runRequest(form({ target: 'kfp', kfpDirect: true, kfpUrl: 'https://kf/pipeline', kfpToken: 't', kfpTokenEnv: 'KF_ID' }), doc)).not.toHaveProperty('kfpTokenEnv');
    const sa = runRequest(form({ target: 'kfp', kfpDirect: true, kfpAuth: 'service-account', kfpUrl: 'http://localhost:8888', kfpServiceAccount: 'ci-bot', kfpToken: 'stale' }), doc);
    expect(sa).toMatchObject({ kfpAuth: 'service-account', kfpServiceAccount: 'ci-bot' });
    expect(sa).not.toHaveProperty('kfpToken');
    expect(runRequest(form({ target: 'kfp', kfpDirect: false, kfpCookieEnv: 'X' }), doc)).not.toHaveProperty('kfpAuth');
  });

  it('a variable name that is not one is named', () => {
    expect(formIssues(form({ target: 'kfp', kfpDirect: true, kfpUrl: 'https://kf', kfpCookieEnv: 'my cookie' }), { contexts: [ctx('emu')], pipelineErrors: 0 })).toEqual([{ key: 'kfpEnvInvalid', values: { value: 'my cookie' } }]);
  });
});

});
