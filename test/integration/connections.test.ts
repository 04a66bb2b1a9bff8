/** Contexts from KUBECONFIG (several files, as kubectl merges them) and "Test connection" against emulated clusters. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { KubeConfig } from '@kubernetes/client-node';
import { createKubeConnections } from '../../electron/services/kube/connections.ts';
import { emulatorIt, emulatorOf, openClusterEnv } from './cluster-env.ts';
import type { ClusterEnv } from './cluster-env.ts';

const EMULATED = 'it needs emulated clusters with and without Argo and KFP';

function loaderOf(file: string): () => KubeConfig {
  return () => {
    const kc = new KubeConfig();
    kc.loadFromFile(file);
    return kc;
  };
}

describe('kube connections', () => {
  let env: ClusterEnv;
  beforeAll(async () => {
    env = await openClusterEnv();
  });
  afterAll(() => env?.close());
  afterEach(() => env.emulator?.controller.allowAll());

  it('tests a working connection: version, Argo, KFP and the right to create workflows', async () => {
    const check = await createKubeConnections({ load: env.kubeConfig, kfpNamespace: env.kfpNamespace }).testConnection(env.context, env.namespace);
    expect(check).toMatchObject({ ok: true, argoInstalled: true, kfpReachable: true, canCreateWorkflows: true, messages: [] });
    expect(check.serverVersion).toMatch(/^v1\.\d+/);
  });

  emulatorIt('lists the contexts of every file in KUBECONFIG, the first file\'s current context first', EMULATED, async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'pw-kubeconfig-'));
    const second = path.join(dir, 'staging');
    writeFileSync(second, [
      'apiVersion: v1', 'kind: Config', 'current-context: staging',
      'clusters: [{ name: staging, cluster: { server: "https://staging.example:6443" } }]',
      'users: [{ name: alice, user: { token: t } }]',
      'contexts: [{ name: staging, context: { cluster: staging, user: alice, namespace: ml } }]', '',
    ].join('\n'));
    const saved = process.env.KUBECONFIG;
    process.env.KUBECONFIG = [env.kubeconfigPath, second].join(path.delimiter);
    try {
      const contexts = await createKubeConnections().listContexts();
      expect(contexts).toEqual([
        { name: 'pipewright-emulator', cluster: 'pipewright-emulator', user: 'pipewright', namespace: 'default', server: env.emulator!.url, current: true },
        { name: 'staging', cluster: 'staging', user: 'alice', namespace: 'ml', server: 'https://staging.example:6443', current: false },
      ]);
    } finally {
      if (saved === undefined) delete process.env.KUBECONFIG;
      else process.env.KUBECONFIG = saved;
    }
  });

  emulatorIt('says when this identity may not create workflows', EMULATED, async () => {
    emulatorOf(env).controller.deny({ verb: 'create', group: 'argoproj.io', resource: 'workflows', namespace: 'team-a' });
    const check = await createKubeConnections({ load: env.kubeConfig }).testConnection(env.context, 'team-a');
    expect(check).toMatchObject({ argoInstalled: true, canCreateWorkflows: false, kfpReachable: true, ok: true });
    expect(check.messages).toEqual(['You may not create workflows.argoproj.io in namespace team-a. Ask a cluster admin for an RBAC Role granting "create" on "workflows.argoproj.io".']);
  });

  emulatorIt('an unknown context fails with the known ones named', EMULATED, async () => {
    const check = await createKubeConnections({ load: env.kubeConfig }).testConnection('prod', 'default');
    expect(check).toEqual({ ok: false, messages: ['No context "prod" in the kubeconfig (contexts: pipewright-emulator).'] });
  });
});

describe('kube connections to clusters without Argo or KFP, or not there', () => {
  emulatorIt('a cluster with neither Argo nor KFP cannot take a run', EMULATED, async () => {
    const env = await openClusterEnv({ argo: false, kfp: false });
    try {
      const check = await createKubeConnections({ load: loaderOf(env.kubeconfigPath) }).testConnection(env.context, 'default');
      expect(check).toMatchObject({ ok: false, argoInstalled: false, kfpReachable: false });
      expect(check.messages[0]).toBe('Argo Workflows is not installed in this cluster (its Workflow resource type was not found).');
      expect(check.messages[1]).toMatch(/^Kubeflow Pipelines does not answer through the service proxy \(service ml-pipeline in namespace kubeflow\): Could not reach the Kubeflow Pipelines API: not found \(404\)/);
    } finally {
      await env.close();
    }
  });

  emulatorIt('an unreachable server is one message', EMULATED, async () => {
    const env = await openClusterEnv();
    await env.close();
    const check = await createKubeConnections({ load: loaderOf(env.kubeconfigPath) }).testConnection(env.context, 'default');
    expect(check.ok).toBe(false);
    expect(check.serverVersion).toBeUndefined();
    expect(check.messages).toHaveLength(1);
    expect(check.messages[0]).toMatch(/^Cannot reach the cluster at 127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
  });
});

