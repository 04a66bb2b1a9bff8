import { describe, expect, it } from 'vitest';
import type { ArgoNodeStatus, WorkflowLike } from './argoStatus.ts';
import { kfpPodNode, kfpTaskStates, runPhaseOfKfp } from './kfpStatus.ts';
import { runtimeParameters, versionName } from './kfpDriver.ts';

const WF = 'p-x1';

function wf(nodes: Partial<ArgoNodeStatus>[]): WorkflowLike {
  return { status: { nodes: Object.fromEntries(nodes.map((n, i) => [`id${i}`, { id: `id${i}`, type: 'Pod', ...n } as ArgoNodeStatus])) } };
}

const driver = (task: string, phase: string) => ({ name: `${WF}.root.${task}-driver`, displayName: `${task}-driver`, templateName: 'system-container-driver', phase });
const dag = (task: string, phase: string, retry = false) => ({ name: `${WF}.root.${task}`, displayName: task, type: 'DAG', templateName: `${retry ? 'retry-' : ''}system-container-executor`, phase });
const executor = (task: string, phase: string, type = 'Pod') => ({ name: `${WF}.root.${task}.executor`, displayName: 'executor', type, templateName: 'system-container-impl', phase });

describe('KFP task states from its Workflow', () => {
  it.each([
    ['driver running', [driver('a', 'Running')], 'pending'],
    ['driver failed', [driver('a', 'Failed')], 'failed'],
    ['driver omitted (upstream failed)', [driver('a', 'Omitted')], 'skipped'],
    ['executor pod pending', [driver('a', 'Succeeded'), dag('a', 'Running'), executor('a', 'Pending')], 'pending'],
    ['executor running', [driver('a', 'Succeeded'), dag('a', 'Running'), executor('a', 'Running')], 'running'],
    ['retry node running between attempts', [driver('a', 'Succeeded'), dag('a', 'Running', true), executor('a', 'Running', 'Retry')], 'running'],
    ['succeeded', [driver('a', 'Succeeded'), dag('a', 'Succeeded'), executor('a', 'Succeeded')], 'succeeded'],
    ['cached: executor skipped', [driver('a', 'Succeeded'), dag('a', 'Succeeded'), executor('a', 'Skipped', 'Skipped')], 'cached'],
    ['failed', [driver('a', 'Succeeded'), dag('a', 'Failed'), executor('a', 'Failed')], 'failed'],
    ['condition false', [driver('a', 'Succeeded'), dag('a', 'Skipped')], 'skipped'],
    ['importer', [{ name: `${WF}.root.a`, displayName: 'a', templateName: 'system-importer', phase: 'Succeeded' }], 'succeeded'],
  ])('%s', (_name, nodes, phase) => {
    expect(kfpTaskStates(wf(nodes), ['a']).get('a')?.phase).toBe(phase);
  });

  it('knows nothing of a task that has not begun', () => {
    expect(kfpTaskStates(wf([driver('b', 'Running')]), ['a']).has('a')).toBe(false);
  });
});

describe('which pod runs a pipeline node', () => {
  const pod = (nodeName: string) => ({ metadata: { annotations: { 'workflows.argoproj.io/node-name': nodeName } } });
  it.each([
    [`${WF}.root.cpt.executor`, 'cpt'],
    [`${WF}.root.cpt.executor(2)`, 'cpt'],
    [`${WF}.root.cpt-driver`, undefined],
    [`${WF}.root-driver`, undefined],
    [`${WF}.root.corpus`, 'corpus'],
    ['other-wf.root.cpt.executor', undefined],
  ])('%s → %s', (nodeName, node) => {
    expect(kfpPodNode(pod(nodeName), WF, ['cpt', 'corpus'])).toBe(node);
  });
});

describe('KFP run states', () => {
  it.each([
    ['PENDING', 'pending'],
    ['RUNNING', 'running'],
    ['CANCELING', 'running'],
    ['SUCCEEDED', 'succeeded'],
    ['FAILED', 'failed'],
    ['CANCELED', 'cancelled'],
    [undefined, 'pending'],
  ])('%s → %s', (state, phase) => {
    expect(runPhaseOfKfp(state)).toBe(phase);
  });
});

describe('KFP submission details', () => {
  it('names versions by time and content', () => {
    const at = new Date('2026-11-28T10:20:30.456Z');
    expect(versionName('a', at)).toMatch(/^2026-11-28-102030-[0-9a-f]{8}$/);
    expect(versionName('a', at)).not.toBe(versionName('b', at));
  });

  it('passes root input defaults as runtime parameters', () => {
    const ir = { root: { inputDefinitions: { parameters: { lr: { parameterType: 'NUMBER_DOUBLE', defaultValue: 0.001 }, name: { parameterType: 'STRING' } } } } };
    expect(runtimeParameters(ir)).toEqual({ lr: 0.001 });
    expect(runtimeParameters({ root: { dag: {} } })).toEqual({});
  });
});
