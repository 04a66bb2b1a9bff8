import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { BEHAVIOR_ANNOTATION, startKubeEmulator } from './index.ts';
import type { KubeEmulator, KubeObject } from './index.ts';
import { createWorkflow, mergePatch, nodesOf, phaseOf, recordWatch, waitFor, waitForWorkflowDone } from './test-helpers.ts';
import type { NodeView } from './test-helpers.ts';

const DIAMOND = parse(readFileSync(join(import.meta.dirname, '../../../shared/reference/argo/dag-diamond.yaml'), 'utf8')) as KubeObject;
const TRAIN_EVAL = parse(readFileSync(join(import.meta.dirname, 'fixtures/train-eval.yaml'), 'utf8')) as KubeObject;

type ContainerStatus = { name: string; restartCount: number; state: Record<string, Record<string, unknown>>; lastState: Record<string, Record<string, unknown>> };
type PodStatus = { phase: string; conditions?: Array<Record<string, string>>; containerStatuses?: ContainerStatus[] };

function byDisplay(wf: KubeObject | undefined, name: string): NodeView {
  const node = nodesOf(wf).find((n) => n.displayName === name);
  if (!node) throw new Error(`no node ${name}`);
  return node;
}

function podOf(emulator: KubeEmulator, wf: KubeObject, nodeName: string): KubeObject | undefined {
  return emulator.controller.list('pods', wf.metadata.namespace).find((p) => p.metadata.annotations?.['workflows.argoproj.io/node-name'] === `${wf.metadata.name}.${nodeName}`);
}

function main(pod: KubeObject | undefined): ContainerStatus | undefined {
  return (pod?.status as PodStatus | undefined)?.containerStatuses?.find((c) => c.name === 'main');
}

function withAnnotation(wf: KubeObject, behaviors: Record<string, unknown>): KubeObject {
  return { ...wf, metadata: { ...wf.metadata, annotations: { [BEHAVIOR_ANNOTATION]: JSON.stringify(behaviors) } } };
}

describe('the emulated workflow controller and kubelet', () => {
  let emulator: KubeEmulator;
  beforeAll(async () => {
    emulator = await startKubeEmulator({ timeScale: 0.05 });
  });
  afterAll(() => emulator.close());
  beforeEach(() => emulator.controller.clearStepBehaviors());

  it('moves a diamond DAG through Argo\'s phases in dependency order', async () => {
    const watch = await recordWatch(emulator, '/apis/argoproj.io/v1alpha1/namespaces/default/workflows');
    const wf = await createWorkflow(emulator, DIAMOND);
    const done = await waitForWorkflowDone(emulator, 'default', wf.metadata.name);
    await waitFor(() => watch.events.some((e) => e.object.metadata.name === wf.metadata.name && phaseOf(e.object) === 'Succeeded'), 5000, 'the last event');
    watch.stop();
    expect(phaseOf(done)).toBe('Succeeded');
    const status = done.status as { progress: string; startedAt: string; finishedAt: string };
    expect(status.progress).toBe('4/4');
    expect(status.finishedAt >= status.startedAt).toBe(true);

    const mine = watch.events.filter((e) => e.object.metadata.name === wf.metadata.name);
    const phases = (task: string) => [...new Set(mine.map((e) => nodesOf(e.object).find((n) => n.displayName === task)?.phase).filter(Boolean))];
    for (const task of ['A', 'B', 'C', 'D']) expect(phases(task)).toEqual(['Pending', 'Running', 'Succeeded']);
    const firstSeen = (task: string) => mine.findIndex((e) => nodesOf(e.object).some((n) => n.displayName === task));
    const doneAt = (task: string) => mine.findIndex((e) => byDisplayOrUndefined(e.object, task)?.phase === 'Succeeded');
    expect(firstSeen('B')).toBeGreaterThanOrEqual(doneAt('A'));
    expect(firstSeen('D')).toBeGreaterThanOrEqual(Math.max(doneAt('B'), doneAt('C')));
    expect(mine.map((e) => (e.object.status as { phase?: string } | undefined)?.phase ?? '')).toContain('Running');

    const root = byDisplay(done, wf.metadata.name);
    expect(root).toMatchObject({ type: 'DAG', phase: 'Succeeded', children: [byDisplay(done, 'A').id] });
    expect(byDisplay(done, 'A').children?.sort()).toEqual([byDisplay(done, 'B').id, byDisplay(done, 'C').id].sort());
    expect(byDisplay(done, 'B').children).toEqual([byDisplay(done, 'D').id]);
    for (const t of ['A', 'B', 'C', 'D']) expect(byDisplay(done, t)).toMatchObject({ type: 'Pod', boundaryID: root.id, name: `${wf.metadata.name}.${t}` });
    const podA = podOf(emulator, done, 'A')!;
    expect(podA.metadata.name).toBe(`${wf.metadata.name}-echo-${byDisplay(done, 'A').id.split('-').at(-1)}`);
    expect(podA.metadata.labels).toMatchObject({ 'workflows.argoproj.io/workflow': wf.metadata.name, 'workflows.argoproj.io/completed': 'true' });
    expect(main(podA)?.state.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
  });

  function byDisplayOrUndefined(wf: KubeObject, name: string): NodeView | undefined {
    return nodesOf(wf).find((n) => n.displayName === name);
  }

  it('fails a step with its exit code and omits the steps that depend on it', async () => {
    emulator.controller.setStepBehavior({ workflow: 'dag-diamond-', step: 'B' }, { outcome: 'fail', exitCode: 3, afterLines: 0 });
    const wf = await createWorkflow(emulator, DIAMOND);
    const done = await waitForWorkflowDone(emulator, 'default', wf.metadata.name);
    expect(phaseOf(done)).toBe('Failed');
    expect(byDisplay(done, 'B')).toMatchObject({ phase: 'Failed', message: 'Error (exit code 3)' });
    expect(byDisplay(done, 'C').phase).toBe('Succeeded');
    expect(byDisplay(done, 'D')).toMatchObject({ type: 'Skipped', phase: 'Omitted', message: 'omitted: depends condition not met' });
    expect((done.status as { message: string }).message).toBe(`child '${byDisplay(done, 'B').id}' failed`);
    expect((podOf(emulator, done, 'B')!.status as PodStatus).phase).toBe('Failed');
    expect(main(podOf(emulator, done, 'B'))?.state.terminated).toMatchObject({ exitCode: 3, reason: 'Error' });
    expect(podOf(emulator, done, 'D')).toBeUndefined();
  });

  it('retries a step per retryStrategy with a new pod for each attempt', async () => {
    emulator.controller.setStepBehavior({ step: 'cpt' }, { attempts: [{ outcome: 'fail' }, { outcome: 'oomKilled' }, { outcome: 'succeed' }], lines: ['training'] });
    const wf = await createWorkflow(emulator, TRAIN_EVAL);
    const done = await waitForWorkflowDone(emulator, 'default', wf.metadata.name);
    expect(phaseOf(done)).toBe('Succeeded');
    const retry = byDisplay(done, 'cpt');
    expect(retry).toMatchObject({ type: 'Retry', phase: 'Succeeded' });
    const attempts = retry.children!.map((id) => nodesOf(done).find((n) => n.id === id)!);
    expect(attempts.map((a) => [a.displayName, a.type, a.phase, a.message])).toEqual([
      ['cpt(0)', 'Pod', 'Failed', 'Error (exit code 1)'],
      ['cpt(1)', 'Pod', 'Failed', 'OOMKilled (exit code 137)'],
      ['cpt(2)', 'Pod', 'Succeeded', undefined],
    ]);
    const pods = attempts.map((a) => podOf(emulator, done, a.displayName)!.metadata.name);
    expect(new Set(pods).size).toBe(3);
    expect(byDisplay(done, 'eval').phase).toBe('Succeeded');
  });

  it('gives up after retryStrategy.limit with "No more retries left" and shows OOMKilled as kubelet does', async () => {
    emulator.controller.setStepBehavior({ step: 'cpt' }, { outcome: 'oomKilled', afterLines: 2 });
    const wf = await createWorkflow(emulator, TRAIN_EVAL);
    const done = await waitForWorkflowDone(emulator, 'default', wf.metadata.name);
    expect(phaseOf(done)).toBe('Failed');
    expect(byDisplay(done, 'cpt')).toMatchObject({ type: 'Retry', phase: 'Failed', message: 'No more retries left' });
    expect(byDisplay(done, 'cpt').children).toHaveLength(3);
    expect(byDisplay(done, 'eval').phase).toBe('Omitted');
    const pod = podOf(emulator, done, 'cpt(2)')!;
    expect((pod.status as PodStatus).phase).toBe('Failed');
    expect(main(pod)).toMatchObject({ ready: false, restartCount: 0, state: { terminated: { exitCode: 137, reason: 'OOMKilled' } } });
    expect(emulator.controller.logLines('default', pod.metadata.name)).toHaveLength(2);
  });

  it('keeps a pod Unschedulable (condition, event, node message) and then runs it', async () => {
    emulator.controller.setStepBehavior({ step: 'eval' }, { unschedulableMs: 4000 });
    const wf = await createWorkflow(emulator, TRAIN_EVAL);
    const pending = await waitFor(() => {
      const current = emulator.controller.get('workflows', 'default', wf.metadata.name);
      const node = byDisplayOrUndefined(current!, 'eval');
      return node?.message?.startsWith('Unschedulable:') ? { current, node } : undefined;
    }, 15_000, 'eval Unschedulable');
    expect(pending.node.phase).toBe('Pending');
    const pod = podOf(emulator, pending.current!, 'eval')!;
    expect((pod.status as PodStatus).conditions).toEqual([expect.objectContaining({ type: 'PodScheduled', status: 'False', reason: 'Unschedulable' })]);
    const events = emulator.controller.list('events', 'default').filter((e) => (e.involvedObject as { name: string }).name === pod.metadata.name);
    expect(events.map((e) => [e.type, e.reason])).toContainEqual(['Warning', 'FailedScheduling']);
    const done = await waitForWorkflowDone(emulator, 'default', wf.metadata.name);
    expect(phaseOf(done)).toBe('Succeeded');
  });

  it('shows ImagePullBackOff on a pod that cannot pull, until the workflow is terminated', async () => {
    emulator.controller.setStepBehavior({ step: 'preprocess' }, { imagePullBackOffMs: Infinity });
    const wf = await createWorkflow(emulator, TRAIN_EVAL);
    const node = await waitFor(() => {
      const n = byDisplayOrUndefined(emulator.controller.get('workflows', 'default', wf.metadata.name)!, 'preprocess');
      return n?.message?.startsWith('ImagePullBackOff:') ? n : undefined;
    }, 10_000, 'ImagePullBackOff');
    expect(node).toMatchObject({ phase: 'Pending', message: 'ImagePullBackOff: Back-off pulling image "python:3.11-slim"' });
    const pod = podOf(emulator, emulator.controller.get('workflows', 'default', wf.metadata.name)!, 'preprocess')!;
    expect(main(pod)?.state.waiting).toEqual({ reason: 'ImagePullBackOff', message: 'Back-off pulling image "python:3.11-slim"' });
    const reasons = emulator.controller.list('events', 'default').filter((e) => (e.involvedObject as { name: string }).name === pod.metadata.name).map((e) => `${e.type}/${e.reason}: ${e.message}`);
    expect(reasons).toContain('Warning/Failed: Error: ErrImagePull');
    expect(reasons).toContain('Warning/Failed: Error: ImagePullBackOff');
    expect(reasons).toContain('Normal/BackOff: Back-off pulling image "python:3.11-slim"');

    const patched = await mergePatch(emulator, `/apis/argoproj.io/v1alpha1/namespaces/default/workflows/${wf.metadata.name}`, { spec: { shutdown: 'Terminate' } });
    expect(patched.status).toBe(200);
    const done = await waitForWorkflowDone(emulator, 'default', wf.metadata.name);
    expect(done.status).toMatchObject({ phase: 'Failed', message: "Stopped with strategy 'Terminate'" });
    expect(byDisplay(done, 'preprocess')).toMatchObject({ phase: 'Failed', message: "Stopped with strategy 'Terminate'" });
  });

  it('restarts a crashing container in CrashLoopBackOff and keeps the previous instance\'s log', async () => {
    emulator.controller.setStepBehavior({ step: 'preprocess' }, { crashLoops: 2, afterLines: 1, lines: ['starting', 'done'] });
    const wf = await createWorkflow(emulator, TRAIN_EVAL);
    const looping = await waitFor(() => {
      const pod = podOf(emulator, emulator.controller.get('workflows', 'default', wf.metadata.name)!, 'preprocess');
      return main(pod)?.state.waiting?.reason === 'CrashLoopBackOff' ? pod : undefined;
    }, 10_000, 'CrashLoopBackOff');
    expect((looping.status as PodStatus).phase).toBe('Running');
    expect(main(looping)).toMatchObject({ restartCount: 1, lastState: { terminated: { exitCode: 1, reason: 'Error' } } });
    expect(String(main(looping)!.state.waiting.message)).toMatch(/^back-off 10s restarting failed container=main pod=/);
    await waitForWorkflowDone(emulator, 'default', wf.metadata.name);
    const pod = emulator.controller.get('pods', 'default', looping.metadata.name)!;
    expect(main(pod)).toMatchObject({ restartCount: 2, state: { terminated: { exitCode: 0, reason: 'Completed' } } });
    const previous = await fetch(`${emulator.url}/api/v1/namespaces/default/pods/${pod.metadata.name}/log?container=main&previous=true`, { headers: { Authorization: `Bearer ${emulator.token}` } });
    expect(await previous.text()).toBe('starting\n');
    const events = emulator.controller.list('events', 'default').filter((e) => (e.involvedObject as { name: string }).name === pod.metadata.name && e.reason === 'BackOff');
    expect(events[0]?.message).toMatch(/^Back-off restarting failed container main in pod /);
  });

  it('terminates a running workflow: the running pod exits 143 and the rest never start', async () => {
    emulator.controller.setStepBehavior({ step: 'cpt' }, { lineIntervalMs: 100_000 });
    const wf = await createWorkflow(emulator, TRAIN_EVAL);
    await waitFor(() => main(podOf(emulator, emulator.controller.get('workflows', 'default', wf.metadata.name)!, 'cpt(0)'))?.state.running, 10_000, 'cpt running');
    await mergePatch(emulator, `/apis/argoproj.io/v1alpha1/namespaces/default/workflows/${wf.metadata.name}`, { spec: { shutdown: 'Terminate' } });
    const done = await waitForWorkflowDone(emulator, 'default', wf.metadata.name);
    expect(phaseOf(done)).toBe('Failed');
    expect(main(podOf(emulator, done, 'cpt(0)'))?.state.terminated).toMatchObject({ exitCode: 143 });
    expect(byDisplayOrUndefined(done, 'eval')).toBeUndefined();
  });

  it('writes real-looking training output by default: metric lines, Trainer dicts and tqdm bars', async () => {
    const wf = await createWorkflow(emulator, withAnnotation(TRAIN_EVAL, { eval: { outcome: 'fail', afterLines: 1 } }));
    const done = await waitForWorkflowDone(emulator, 'default', wf.metadata.name);
    const log = emulator.controller.logLines('default', podOf(emulator, done, 'cpt(0)')!.metadata.name);
    expect(log.filter((l) => l.startsWith('PIPEWRIGHT_METRIC ')).map((l) => JSON.parse(l.slice(18)).step)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(log).toContain("{'train_runtime': 9.61, 'train_samples_per_second': 4.16, 'train_steps_per_second': 2.081, 'train_loss': 0.9713, 'epoch': 2.0}");
    expect(log.some((l) => /^\{'loss': \d+\.\d+, 'grad_norm': [\d.]+, 'learning_rate': [\d.e-]+, 'epoch': [\d.]+\}$/.test(l))).toBe(true);
    expect(log.some((l) => /^train: +\d+%\|[█ ]{10}\| \d+\/20 \[\d\d:\d\d<\d\d:\d\d, [\d.]+it\/s\]$/.test(l))).toBe(true);
    const losses = log.filter((l) => l.startsWith('PIPEWRIGHT_METRIC ')).map((l) => JSON.parse(l.slice(18)).loss as number);
    expect(losses.at(-1)!).toBeLessThan(losses[0]);
    expect(byDisplay(done, 'eval')).toMatchObject({ phase: 'Failed' });
  });

  it.each([
    ['a depends expression it cannot parse', { depends: 'A && (' }, /^invalid spec: /],
    ['a task naming a template that does not exist', { template: 'missing' }, /failed$/],
    ['dependencies beside depends (Argo\'s validation refuses the mix)', { dependencies: ['A'] }, /^invalid spec: templates\.diamond cannot use both 'depends' and 'dependencies' in the same DAG template$/],
  ])('ends a workflow with %s as Error or Failed with a message', async (_what, change, message) => {
    const spec = DIAMOND.spec as { templates: Array<{ dag?: { tasks: Array<Record<string, unknown>> } }> };
    const tasks = spec.templates[0].dag!.tasks.map((t) => (t.name === 'B' ? { ...t, ...change } : t));
    const broken = { ...DIAMOND, spec: { ...spec, templates: [{ ...spec.templates[0], dag: { tasks } }, ...spec.templates.slice(1)] } };
    const wf = await createWorkflow(emulator, broken);
    const done = await waitForWorkflowDone(emulator, 'default', wf.metadata.name);
    expect(['Error', 'Failed']).toContain(phaseOf(done));
    expect((done.status as { message: string }).message).toMatch(message);
  });
});
