/** Cluster pre-flight against the Kubernetes emulator: every finding from a cluster set up to cause it. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { catalog } from '../../node-catalog/index.ts';
import { runPreflight } from '../../electron/services/preflight/index.ts';
import type { PipelineDocument, PipelineNode } from '../../shared/pipeline/types.ts';
import { gpuNode, H100, pipeline, runningPod, step } from '../fixtures/preflightCluster.ts';
import type { PreflightTarget } from '../../shared/preflight/types.ts';
import { startKubeEmulator } from '../kube-emulator/index.ts';
import type { KubeEmulator } from '../kube-emulator/index.ts';
import { emulatorKubeConfig } from './emulatorSuite.ts';

const sft = (resources: PipelineNode['resources']) => pipeline([step('data', 'dataset'), step('sft', 'sft', { gpus: 2, gpuProduct: H100, cpu: '16', memory: '100Gi', ...resources })]);

describe('pre-flight against the emulator', () => {
  let emulator: KubeEmulator;
  const load = () => emulatorKubeConfig(emulator);
  const preflight = (doc: PipelineDocument, target: PreflightTarget = 'argo', namespace = 'ml') => runPreflight(doc, catalog, { target, context: emulator.context, namespace, load });
  const codes = async (doc: PipelineDocument, target: PreflightTarget = 'argo') => (await preflight(doc, target)).findings.map((f) => `${f.severity} ${f.code} ${f.node ?? '-'}`);

  // A fresh cluster per test (it starts in milliseconds): nothing one test sets up leaks into the next.
  beforeEach(async () => {
    emulator = await startKubeEmulator({ namespaces: ['ml', 'other'] });
  });
  afterEach(() => emulator.close());

  it('passes a pipeline the cluster can run now, with no findings', async () => {
    emulator.apply('nodes', gpuNode('gpu-a', H100, 8));
    const report = await preflight(sft({}));
    expect(report).toMatchObject({ ok: true, findings: [] });
  });

  it('no GPU node at all; a GPU product no node has (naming the products there)', async () => {
    expect(await codes(sft({}))).toEqual(['error no-gpu-nodes sft']);
    emulator.apply('nodes', gpuNode('gpu-l4', 'NVIDIA-L4', 4));
    const report = await preflight(sft({}));
    expect(report.ok).toBe(false);
    expect(report.findings).toEqual([expect.objectContaining({ code: 'gpu-product-missing', severity: 'error', node: 'sft' })]);
    expect(report.findings[0].message).toContain('nvidia.com/gpu.product=NVIDIA-H100-80GB-HBM3; the GPU nodes here are NVIDIA-L4 (1 node)');
    expect(report.findings[0].fix).toContain('NVIDIA-L4');
  });

  it('a cordoned node does not count', async () => {
    emulator.apply('nodes', gpuNode('gpu-a', H100, 8, { unschedulable: true }));
    expect(await codes(sft({}))).toEqual(['error no-gpu-nodes sft']);
  });

  it('taints the step does not tolerate; a matching toleration clears it', async () => {
    emulator.apply('nodes', gpuNode('gpu-a', H100, 8, { taints: [{ key: 'dedicated', value: 'training', effect: 'NoSchedule' }] }));
    const report = await preflight(sft({}));
    expect(report.findings.map((f) => f.code)).toEqual(['taint-not-tolerated']);
    expect(report.findings[0].message).toContain('gpu-a (dedicated=training:NoSchedule)');
    expect(report.findings[0].fix).toContain('{key: dedicated, operator: Equal, value: training, effect: NoSchedule}');
    expect((await preflight(sft({ tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'training', effect: 'NoSchedule' }] }))).findings).toEqual([]);
    expect((await preflight(sft({ tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'inference', effect: 'NoSchedule' }] }))).findings.map((f) => f.code)).toEqual(['taint-not-tolerated']);
  });

  it('more GPUs (or memory) than any node has is an error; GPUs taken by running pods a warning', async () => {
    emulator.apply('nodes', gpuNode('gpu-a', H100, 4));
    const big = await preflight(sft({ gpus: 8 }));
    expect(big.findings.map((f) => `${f.severity} ${f.code}`)).toEqual(['error gpu-insufficient']);
    expect(big.findings[0].message).toContain('gpu-a, has 4 nvidia.com/gpu');
    expect(big.findings[0].fix).toContain('GPUs to 4 or fewer');
    expect((await codes(sft({ memory: '2000Gi' })))).toEqual(['error gpu-insufficient sft']);

    emulator.apply('pods', runningPod('busy-1', 'gpu-a', 3));
    emulator.apply('pods', { ...runningPod('done-1', 'gpu-a', 4), status: { phase: 'Succeeded' } });
    const busy = await preflight(sft({}));
    expect(busy.ok).toBe(true);
    expect(busy.findings).toEqual([expect.objectContaining({ code: 'gpu-busy', severity: 'warning', node: 'sft' })]);
    expect(busy.findings[0].message).toContain('gpu-a, 1 of 4 nvidia.com/gpu');
  });

  it('parallel GPU steps that together need more than is free now: a warning naming them', async () => {
    emulator.apply('nodes', gpuNode('gpu-a', H100, 4));
    const wide = pipeline([step('data', 'dataset', { cpu: '1' }), ...['a', 'b', 'c'].map((id) => step(id, 'sft', { gpus: 2, gpuProduct: H100, cpu: '4', memory: '10Gi' }))]);
    const report = await preflight(wide);
    expect(report.ok).toBe(true);
    expect(report.findings.map((f) => `${f.severity} ${f.code} ${f.node}`)).toEqual(['warning gpu-busy null']);
    expect(report.findings[0].message).toBe('Steps a, b, c can start together and ask for 6 nvidia.com/gpu (NVIDIA-H100-80GB-HBM3) at once; the nodes they may use have 4 free now, so some will wait Pending for others to finish.');
  });

  it('ResourceQuota: a step over the hard limit is an error; one over what is left a warning; CPU unset under a CPU quota an error', async () => {
    emulator.apply('nodes', gpuNode('gpu-a', H100, 8));
    emulator.apply('resourcequotas', { metadata: { name: 'gpu-quota', namespace: 'ml' }, spec: { hard: { 'requests.nvidia.com/gpu': '1', 'requests.cpu': '64' } } });
    const over = await preflight(sft({}));
    // The dataset step is a pod too (Argo runs importers as containers) and sets no CPU: the quota refuses it.
    expect(over.findings.map((f) => `${f.severity} ${f.code} ${f.node}`)).toEqual(['error quota-exceeded sft', 'error quota-requires-requests data']);
    expect(over.findings[1].fix).toContain("Set step data's CPU");
    expect(over.findings[0].message).toContain('requests.nvidia.com/gpu: 1');

    emulator.apply('resourcequotas', { metadata: { name: 'gpu-quota', namespace: 'ml' }, spec: { hard: { 'requests.nvidia.com/gpu': '4', 'requests.cpu': '64' } } });
    emulator.apply('pods', runningPod('theirs', 'gpu-a', 3, 'ml'));
    const doc = sft({});
    doc.nodes[0].resources = { cpu: '500m' };
    const queued = await preflight(doc);
    expect(queued.findings.map((f) => `${f.severity} ${f.code} ${f.node}`)).toEqual(['warning quota-queued sft']);
    expect(queued.findings[0].message).toContain('1 nvidia.com/gpu of 4 left (3 used)');
  });

  it('LimitRange: above the per-container max is an error; its defaults satisfy a CPU quota', async () => {
    emulator.apply('nodes', gpuNode('gpu-a', H100, 8));
    emulator.apply('limitranges', { metadata: { name: 'limits', namespace: 'ml' }, spec: { limits: [{ type: 'Container', max: { memory: '64Gi' }, default: { cpu: '1', memory: '1Gi' } }] } });
    const report = await preflight(sft({}));
    expect(report.findings.map((f) => `${f.code} ${f.node}`)).toEqual(['limitrange-exceeded sft']);
    expect(report.findings[0].message).toContain('allows at most 64Gi memory per container');
    emulator.apply('resourcequotas', { metadata: { name: 'q', namespace: 'ml' }, spec: { hard: { 'requests.cpu': '64' } } });
    expect((await codes(sft({ memory: '32Gi' })))).toEqual([]);
  });

  it('Secrets and PVCs by name only: missing ones are errors; secret names come from a Table without objects, values never travel', async () => {
    emulator.apply('nodes', gpuNode('gpu-a', H100, 8));
    const doc = { ...sft({}), settings: { secretEnv: [{ secret: 'hf-token', key: 'token', env: 'HF_TOKEN' }], checkpointPvc: 'ckpt' } };
    expect(await codes(doc)).toEqual(['error secret-missing -', 'error pvc-missing -']);
    const data = { token: Buffer.from('hf_SECRET').toString('base64') };
    const lastApplied = JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'hf-token', namespace: 'ml' }, type: 'Opaque', data });
    emulator.apply('secrets', { metadata: { name: 'hf-token', namespace: 'ml', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': lastApplied } }, type: 'Opaque', data });
    emulator.apply('persistentvolumeclaims', { metadata: { name: 'ckpt', namespace: 'ml' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '100Gi' } } }, status: { phase: 'Pending' } });
    emulator.clearRequests();
    expect(await codes(doc)).toEqual(['warning pvc-not-bound -']);
    const secretReads = emulator.requests.filter((r) => r.path.includes('/secrets'));
    expect(secretReads).toHaveLength(1);
    expect(secretReads[0]).toMatchObject({ method: 'GET', path: '/api/v1/namespaces/ml/secrets' });
    expect(secretReads[0].accept).toBe('application/json;as=Table;g=meta.k8s.io;v=v1');
    expect(secretReads[0].query).toContain('includeObject=None');
    const answer = await fetch(`${emulator.url}${secretReads[0].path}${secretReads[0].query}`, { headers: { Accept: secretReads[0].accept, Authorization: `Bearer ${emulator.token}` } });
    expect(await answer.text()).not.toContain(Buffer.from('hf_SECRET').toString('base64'));
  });

  it('permissions: each verb the target needs, one review each; denials are grouped per resource with the RBAC rule to ask for', async () => {
    emulator.apply('nodes', gpuNode('gpu-a', H100, 8));
    emulator.controller.deny({ verb: 'create', group: 'argoproj.io', resource: 'workflows', namespace: 'ml' });
    emulator.controller.deny({ verb: 'patch', group: 'argoproj.io', resource: 'workflows', namespace: 'ml' });
    emulator.controller.deny({ resource: 'pods', subresource: 'log' });
    const report = await preflight(sft({}));
    expect(report.findings.map((f) => `${f.code} ${f.message}`)).toEqual([
      'forbidden You may not create, patch workflows.argoproj.io in namespace ml, which the run needs.',
      'forbidden You may not get pods/log in namespace ml, which the run needs.',
    ]);
    expect(report.findings[0].fix).toContain('{apiGroups: ["argoproj.io"], resources: ["workflows"], verbs: ["create", "patch"]}');
    emulator.controller.allowAll();
    emulator.controller.deny({ verb: 'create', resource: 'services', subresource: 'proxy', namespace: 'kubeflow' });
    expect(await codes(sft({}), 'kfp')).toEqual(['error forbidden -']);
  });

  it('a node list that is forbidden is a warning (the rest is still checked), not a silent pass', async () => {
    emulator.controller.deny({ verb: 'list', resource: 'nodes' });
    const report = await preflight(sft({}));
    expect(report.ok).toBe(true);
    expect(report.findings).toEqual([expect.objectContaining({ code: 'cannot-inspect', severity: 'warning' })]);
    expect(report.findings[0].message).toMatch(/Could not read the cluster's nodes.*permission denied \(403\)/);
  });

  it('an unknown context and an unreachable cluster are errors saying which', async () => {
    const bad = await runPreflight(sft({}), catalog, { target: 'argo', context: 'nope', load });
    expect(bad.findings).toEqual([expect.objectContaining({ code: 'cluster-unreachable', message: expect.stringContaining('No context "nope"') })]);
  });

  it('one list per resource kind, whatever the number of steps', async () => {
    emulator.apply('nodes', gpuNode('gpu-a', H100, 8));
    const many = pipeline([step('data', 'dataset'), ...Array.from({ length: 200 }, (_, i) => step(`s${i}`, 'sft', { gpus: 1, gpuProduct: H100, cpu: '4', memory: '10Gi' }))], { secretEnv: [{ secret: 's', key: 'k', env: 'E' }], checkpointPvc: 'p' });
    emulator.clearRequests();
    await preflight(many);
    const lists = emulator.requests.filter((r) => r.method === 'GET' && r.path.startsWith('/api/v1/'));
    expect(lists.map((r) => r.path).sort()).toEqual([
      '/api/v1/namespaces/ml/limitranges', '/api/v1/namespaces/ml/persistentvolumeclaims', '/api/v1/namespaces/ml/resourcequotas',
      '/api/v1/namespaces/ml/secrets', '/api/v1/nodes', '/api/v1/pods',
    ]);
    expect(emulator.requests.filter((r) => r.path.endsWith('selfsubjectaccessreviews'))).toHaveLength(9);
  });
});

describe('pre-flight: Argo or KFP installed', () => {
  it('reports the engine the target needs when it is missing', async () => {
    const emulator = await startKubeEmulator({ argo: false, kfp: false });
    try {
      const load = () => emulatorKubeConfig(emulator);
      const doc = pipeline([step('data', 'dataset')]);
      const argo = await runPreflight(doc, catalog, { target: 'argo', context: emulator.context, load });
      expect(argo.findings.map((f) => f.code)).toEqual(['engine-missing']);
      expect(argo.findings[0].message).toContain('Argo Workflows is not installed');
      const kfp = await runPreflight(doc, catalog, { target: 'kfp', context: emulator.context, load });
      expect(kfp.findings.map((f) => f.code)).toEqual(['engine-missing']);
      expect(kfp.findings[0].message).toContain('no service ml-pipeline in namespace kubeflow');
      expect(kfp.namespace).toBe('default');
    } finally {
      await emulator.close();
    }
  });
});
