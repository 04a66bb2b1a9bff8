import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubeEmulator } from './index.ts';
import type { KubeEmulator } from './index.ts';
import { kubectl, phaseOf, spawnKubectl, waitFor, waitForWorkflowDone } from './test-helpers.ts';

const DIAMOND = join(import.meta.dirname, '../../../shared/reference/argo/dag-diamond.yaml');
const TRAIN_EVAL = join(import.meta.dirname, 'fixtures/train-eval.yaml');
const GOLDEN = join(import.meta.dirname, '../golden/argo/korean-llm/workflow.yaml');

/** `workflow.argoproj.io/NAME created` -> NAME */
function createdName(stdout: string): string {
  const m = /workflow\.argoproj\.io\/(\S+) created/.exec(stdout);
  if (!m) throw new Error(`no "created" line in: ${stdout}`);
  return m[1];
}

describe('the real kubectl against the emulator', () => {
  let emulator: KubeEmulator;
  beforeAll(async () => {
    emulator = await startKubeEmulator({ timeScale: 0.05, namespaces: ['ml-team'] });
  });
  afterAll(() => emulator.close());

  it('kubectl version reports the server version', async () => {
    const r = await kubectl(emulator, ['version', '-o', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).serverVersion).toMatchObject({ major: '1', minor: '32' });
  });

  it('kubectl get namespaces lists default and kubeflow as Active', async () => {
    const r = await kubectl(emulator, ['get', 'namespaces']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^NAME\s+STATUS\s+AGE/);
    expect(r.stdout).toMatch(/\ndefault\s+Active\s+\d+s/);
    expect(r.stdout).toMatch(/\nkubeflow\s+Active\s+\d+s/);
  });

  it('kubectl create -f runs Argo\'s diamond example; get workflows, get pods and logs show it', async () => {
    const created = await kubectl(emulator, ['create', '-f', DIAMOND]);
    expect(created.stderr).toBe('');
    const name = createdName(created.stdout);
    expect(name).toMatch(/^dag-diamond-[a-z0-9]{5}$/);
    await waitForWorkflowDone(emulator, 'default', name);

    const wfs = await kubectl(emulator, ['get', 'workflows']);
    expect(wfs.stdout).toMatch(new RegExp(`^NAME\\s+STATUS\\s+AGE\\n${name}\\s+Succeeded\\s+\\d+s`, 'm'));

    const pods = await kubectl(emulator, ['get', 'pods', '-n', 'default', '-l', `workflows.argoproj.io/workflow=${name}`]);
    const rows = pods.stdout.trim().split('\n').slice(1);
    expect(rows).toHaveLength(4);
    for (const row of rows) expect(row).toMatch(new RegExp(`^${name}-echo-\\d+\\s+0/2\\s+Completed\\s+0\\s+`));

    const podNames = rows.map((r) => r.split(/\s+/)[0]);
    const printed = await Promise.all(podNames.map(async (pod) => (await kubectl(emulator, ['logs', pod])).stdout.trim()));
    expect(printed.sort()).toEqual(['A', 'B', 'C', 'D']);
  });

  it('kubectl create -f the compiled golden workflow runs every step to Succeeded', async () => {
    const created = await kubectl(emulator, ['create', '-f', GOLDEN]);
    const name = createdName(created.stdout);
    const wf = await waitForWorkflowDone(emulator, 'kubeflow', name, 30_000);
    expect(phaseOf(wf)).toBe('Succeeded');
    const pods = await kubectl(emulator, ['get', 'pods', '-n', 'kubeflow', '-o', 'name']);
    expect(pods.stdout).toContain(`pod/${name}-cpt-`);
    expect(pods.stdout).toContain(`pod/${name}-sft-`);
  });

  it('kubectl logs -f streams a training step until its pod ends', async () => {
    emulator.controller.timeScale = 0.2;
    try {
      const name = createdName((await kubectl(emulator, ['create', '-f', TRAIN_EVAL])).stdout);
      const pod = await waitFor(() => {
        const p = emulator.controller.list('pods', 'default').find((x) => x.metadata.name.startsWith(`${name}-cpt-`) && (x.status as { phase?: string }).phase === 'Running');
        return p?.metadata.name;
      }, 15_000, 'the cpt pod to run');
      const follow = spawnKubectl(emulator, ['logs', '-f', pod]);
      await waitFor(() => follow.output().includes('PIPEWRIGHT_METRIC'), 10_000, 'a metric line');
      const podPhase = (emulator.controller.get('pods', 'default', pod)?.status as { phase?: string }).phase;
      expect(podPhase).toBe('Running');
      expect(await follow.exited).toBe(0);
      const out = follow.output();
      expect(out).toContain("{'loss': ");
      expect(out).toContain('PIPEWRIGHT_METRIC {"step":20,');
      expect(out.trim().split('\n').at(-1)).toBe('Saved model to /tmp/outputs/model');
      expect((emulator.controller.get('pods', 'default', pod)?.status as { phase?: string }).phase).toBe('Succeeded');
    } finally {
      emulator.controller.timeScale = 0.05;
    }
  });

  it('kubectl get workflows -w prints the workflow as its phase changes', async () => {
    const watch = spawnKubectl(emulator, ['get', 'workflows', '-n', 'default', '-w']);
    try {
      await waitFor(() => watch.output().startsWith('NAME'), 10_000, 'the header');
      const name = createdName((await kubectl(emulator, ['create', '-f', DIAMOND])).stdout);
      await waitFor(() => new RegExp(`${name}\\s+Running`).test(watch.output()), 10_000, 'a Running row');
      await waitFor(() => new RegExp(`${name}\\s+Succeeded`).test(watch.output()), 10_000, 'a Succeeded row');
    } finally {
      watch.child.kill();
    }
  });

  it('kubectl delete workflow removes it and its pods', async () => {
    const name = createdName((await kubectl(emulator, ['create', '-f', TRAIN_EVAL])).stdout);
    await waitFor(() => emulator.controller.list('pods', 'default').some((p) => p.metadata.name.startsWith(name)), 10_000, 'a pod');
    const deleted = await kubectl(emulator, ['delete', 'workflow', name]);
    expect(deleted.stdout.trim()).toBe(`workflow.argoproj.io "${name}" deleted`);
    expect(emulator.controller.list('pods', 'default').filter((p) => p.metadata.name.startsWith(name))).toEqual([]);
    const gone = await kubectl(emulator, ['get', 'workflow', name]);
    expect(gone.code).toBe(1);
    expect(gone.stderr.trim()).toBe(`Error from server (NotFound): workflows.argoproj.io "${name}" not found`);
  });

  it('kubectl auth can-i follows the emulator\'s access rules', async () => {
    const yes = await kubectl(emulator, ['auth', 'can-i', 'create', 'workflows.argoproj.io', '-n', 'kubeflow']);
    expect([yes.code, yes.stdout.trim()]).toEqual([0, 'yes']);
    emulator.controller.deny({ verb: 'create', resource: 'workflows', namespace: 'kubeflow' });
    try {
      const no = await kubectl(emulator, ['auth', 'can-i', 'create', 'workflows.argoproj.io', '-n', 'kubeflow']);
      expect([no.code, no.stdout.trim()]).toEqual([1, 'no']);
      const refused = await kubectl(emulator, ['create', '-n', 'kubeflow', '-f', DIAMOND]);
      expect(refused.stderr).toContain('Error from server (Forbidden)');
      expect(refused.stderr).toContain('User "pipewright" cannot create resource "workflows" in API group "argoproj.io" in the namespace "kubeflow"');
    } finally {
      emulator.controller.allowAll();
    }
  });

  it('kubectl get events shows the kubelet\'s events for a pod', async () => {
    const r = await kubectl(emulator, ['get', 'events', '-n', 'default']);
    expect(r.stdout).toMatch(/Normal\s+Scheduled\s+pod\/\S+\s+Successfully assigned default\//);
    expect(r.stdout).toMatch(/Normal\s+Started\s+pod\/\S+\s+Started container main/);
  });

  it('kubectl reads the Workflow CRD and reports bad input as the API server does', async () => {
    const crd = await kubectl(emulator, ['get', 'crd', 'workflows.argoproj.io', '-o', 'jsonpath={.spec.names.kind}']);
    expect(crd.stdout).toBe('Workflow');
    const badName = readFileSync(DIAMOND, 'utf8').replace('generateName: dag-diamond-', 'name: Bad_Name');
    const invalid = await kubectl(emulator, ['create', '-f', '-'], { stdin: badName });
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain('The Workflow "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain');
    const noSpec = 'apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata:\n  name: empty\n';
    const missing = await kubectl(emulator, ['create', '-f', '-'], { stdin: noSpec });
    expect(missing.stderr).toContain('The Workflow "empty" is invalid: spec: Required value');
    const twice = await kubectl(emulator, ['create', '-f', '-'], { stdin: readFileSync(DIAMOND, 'utf8').replace('generateName: dag-diamond-', 'name: once') });
    expect(twice.code).toBe(0);
    const again = await kubectl(emulator, ['create', '-f', '-'], { stdin: readFileSync(DIAMOND, 'utf8').replace('generateName: dag-diamond-', 'name: once') });
    expect(again.stderr.trim()).toBe('Error from server (AlreadyExists): error when creating "STDIN": workflows.argoproj.io "once" already exists');
  });
});
