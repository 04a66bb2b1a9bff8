/** The objects pre-flight reads (Node, ResourceQuota, LimitRange, PVC, Secret), checked with the real kubectl. */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubeEmulator } from './index.ts';
import type { KubeEmulator } from './index.ts';
import { kubectl } from './test-helpers.ts';

const FIXTURE = join(import.meta.dirname, 'fixtures/gpu-node-and-quota.yaml');

describe('pre-flight objects with the real kubectl', () => {
  let emulator: KubeEmulator;
  beforeAll(async () => {
    emulator = await startKubeEmulator({ namespaces: ['ml'] });
  });
  afterAll(() => emulator.close());

  it('kubectl apply -f a GPU Node and a ResourceQuota; get nodes shows it Ready', async () => {
    const applied = await kubectl(emulator, ['apply', '-f', FIXTURE]);
    expect(applied.stderr).toBe('');
    expect(applied.stdout).toBe('node/gpu-h100-1 created\nresourcequota/gpu-quota created\n');
    const again = await kubectl(emulator, ['apply', '-f', FIXTURE]);
    expect(again.stdout).toMatch(/node\/gpu-h100-1 (unchanged|configured)/);
    const nodes = await kubectl(emulator, ['get', 'nodes']);
    expect(nodes.stdout).toMatch(/^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION\ngpu-h100-1\s+Ready\s+<none>\s+\d+s\s+v1\.32\.4\n$/);
  });

  it('kubectl describe node: labels, taints, allocatable and the requests of the pods on it', async () => {
    emulator.apply('pods', {
      metadata: { name: 'trainer', namespace: 'default' },
      spec: { nodeName: 'gpu-h100-1', containers: [{ name: 'main', image: 'x', resources: { requests: { cpu: '16', memory: '100Gi' }, limits: { 'nvidia.com/gpu': '2' } } }] },
      status: { phase: 'Running' },
    });
    const r = await kubectl(emulator, ['describe', 'node', 'gpu-h100-1']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Labels:\s+nvidia\.com\/gpu\.count=8\n\s+nvidia\.com\/gpu\.product=NVIDIA-H100-80GB-HBM3/);
    expect(r.stdout).toMatch(/Taints:\s+nvidia\.com\/gpu=present:NoSchedule/);
    expect(r.stdout).toMatch(/Allocatable:\n\s+cpu:\s+95\n\s+memory:\s+990Gi\n\s+nvidia\.com\/gpu:\s+8/);
    expect(r.stdout).toMatch(/Non-terminated Pods:\s+\(1 in total\)/);
    expect(r.stdout).toMatch(/default\s+trainer\s+16 \(16%\)/);
    expect(r.stdout).toMatch(/nvidia\.com\/gpu\s+2\s+2/);
  });

  it('kubectl describe quota: used counts the namespace\'s running pods', async () => {
    const r = await kubectl(emulator, ['describe', 'quota', 'gpu-quota']);
    expect(r.stdout).toMatch(/pods\s+1\s+20/);
    expect(r.stdout).toMatch(/requests\.cpu\s+16\s+64/);
    expect(r.stdout).toMatch(/requests\.nvidia\.com\/gpu\s+2\s+4/);
  });

  it('LimitRange, PVC and Secret by kubectl; a Table without objects carries secret names only', async () => {
    const yaml = [
      'apiVersion: v1', 'kind: LimitRange', 'metadata: {name: limits, namespace: ml}', 'spec: {limits: [{type: Container, max: {memory: 64Gi}}]}', '---',
      'apiVersion: v1', 'kind: PersistentVolumeClaim', 'metadata: {name: ckpt, namespace: ml}', 'spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 100Gi}}}',
    ].join('\n');
    const applied = await kubectl(emulator, ['apply', '-f', '-'], { stdin: yaml });
    expect(applied.stdout).toBe('limitrange/limits created\npersistentvolumeclaim/ckpt created\n');
    // kubectl create secret sends protobuf, which the emulator does not read: apply the same Secret as YAML.
    const secretYaml = ['apiVersion: v1', 'kind: Secret', 'metadata: {name: hf-token, namespace: ml}', 'type: Opaque', `data: {token: ${Buffer.from('hf_TOPSECRET').toString('base64')}}`].join('\n');
    const secret = await kubectl(emulator, ['apply', '-f', '-'], { stdin: secretYaml });
    expect(secret.stdout).toBe('secret/hf-token created\n');
    expect((await kubectl(emulator, ['get', 'secrets', '-n', 'ml', '-o', 'name'])).stdout).toBe('secret/hf-token\n');
    const auth = { Authorization: `Bearer ${emulator.token}` };
    const meta = await fetch(`${emulator.url}/api/v1/namespaces/ml/secrets`, { headers: { Accept: 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1', ...auth } });
    const body = (await meta.json()) as { kind: string; items: Array<Record<string, unknown>> };
    expect(body.kind).toBe('PartialObjectMetadataList');
    expect(body.items.map((i) => Object.keys(i).sort())).toEqual([['apiVersion', 'kind', 'metadata']]);
    // As on a real server, kubectl apply leaves the value in the last-applied annotation: metadata is not enough.
    expect(JSON.stringify(body)).toContain(Buffer.from('hf_TOPSECRET').toString('base64'));
    const table = await fetch(`${emulator.url}/api/v1/namespaces/ml/secrets?includeObject=None`, { headers: { Accept: 'application/json;as=Table;g=meta.k8s.io;v=v1', ...auth } });
    const text = await table.text();
    expect(JSON.parse(text).rows).toEqual([{ cells: ['hf-token', 'Opaque', '1', expect.stringMatching(/^\d+s$/)] }]);
    expect(text).not.toContain(Buffer.from('hf_TOPSECRET').toString('base64'));
  });
});
