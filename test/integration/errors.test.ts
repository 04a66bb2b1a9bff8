/**
 * Every cluster error a user can hit ends as a run in phase `error` with a plain-language message
 * (never a stack), or as a refused start that says what is wrong: 401, 403 with the RBAC verb and
 * resource, Argo or KFP missing, a missing namespace, 409, 422 with the field, an unreachable server.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect } from 'vitest';
import { ArgoDriver, workflowNameFor } from '../../electron/services/kube/argoDriver.ts';
import { ClusterError } from '../../electron/services/kube/errors.ts';
import { kubeJson } from '../../electron/services/kube/request.ts';
import { catalog } from '../../node-catalog/index.ts';
import type { RunContext } from '../../electron/services/runs/target.ts';
import type { RunTarget } from '../../shared/runs/types.ts';
import { emulatorIt, emulatorOf, openClusterEnv } from './cluster-env.ts';
import type { ClusterEnv } from './cluster-env.ts';
import { createClusterHarness, smokeDocument } from './harness.ts';
import type { ClusterHarness } from './harness.ts';

const EMULATED = 'it needs an emulated cluster it can misconfigure';

/** A run that ends in `error` with `pattern` in its message, and no stack trace. */
async function expectRunError(h: ClusterHarness, target: RunTarget, pattern: RegExp, extra = {}): Promise<string> {
  const started = await h.start(target, extra);
  const done = started.phase === 'error' ? started : await h.finish(started.id);
  expect(done.phase).toBe('error');
  expect(done.message).toMatch(pattern);
  expect(done.message).not.toMatch(/\n\s+at /);
  return done.message!;
}

describe('cluster errors in plain language', () => {
  let env: ClusterEnv;
  let h: ClusterHarness;
  beforeAll(async () => {
    env = await openClusterEnv();
    h = createClusterHarness(env);
  });
  afterAll(async () => {
    await h?.close();
    await env?.close();
  });
  afterEach(() => env.emulator?.controller.allowAll());

  emulatorIt('401: the cluster refuses the credentials', EMULATED, async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'pw-kubeconfig-'));
    const file = path.join(dir, 'kubeconfig');
    writeFileSync(file, readFileSync(env.kubeconfigPath, 'utf8').replace(/token: .*/, 'token: expired-token'));
    const badEnv: ClusterEnv = { ...env, kubeconfigPath: file, kubeConfig: () => {
      const kc = env.kubeConfig();
      kc.loadFromFile(file);
      return kc;
    } };
    const bad = createClusterHarness(badEnv);
    try {
      for (const target of ['argo', 'kfp'] as const) await expectRunError(bad, target, /did not accept your credentials \(401\)\. Log in again/);
    } finally {
      await bad.close();
    }
  });

  emulatorIt('403: names the verb and resource that were refused', EMULATED, async () => {
    emulatorOf(env).controller.deny({ verb: 'create', group: 'argoproj.io', resource: 'workflows' });
    await expectRunError(h, 'argo', /permission denied \(403\)\. You may not create workflows\.argoproj\.io in namespace default\. Ask a cluster admin for an RBAC Role granting "create"/);
    emulatorOf(env).controller.deny({ resource: 'services', subresource: 'proxy' });
    await expectRunError(h, 'kfp', /Kubeflow Pipelines API: permission denied \(403\)\. You may not get services\/proxy in namespace kubeflow/);
  });

  emulatorIt('a namespace that does not exist is named', EMULATED, async () => {
    await expectRunError(h, 'argo', /create the Workflow in namespace no-such-ns: not found \(404\): namespaces "no-such-ns" not found/, { namespace: 'no-such-ns' });
  });

  emulatorIt('an unknown context is named with the ones that exist', EMULATED, async () => {
    await expectRunError(h, 'argo', /No context "prod" in the kubeconfig \(contexts: pipewright-emulator\)/, { context: 'prod' });
  });

  emulatorIt('409: a Workflow of that name made by someone else', EMULATED, async () => {
    const kc = env.kubeConfig();
    const record = { id: '20261128-100000-cafe', document: smokeDocument() };
    const name = workflowNameFor(record.document.name, record.id);
    await kubeJson(kc, { method: 'POST', path: '/apis/argoproj.io/v1alpha1/namespaces/default/workflows', body: { apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', metadata: { name }, spec: { entrypoint: 'x', templates: [] } } }, 'create');
    const driver = new ArgoDriver({ catalog, kubeConfigFor: () => kc });
    const ctx = { record, request: { document: record.document, target: 'argo', namespace: 'default' }, emit: () => {}, setExternal: async () => {}, logTail: async () => [] } as unknown as RunContext;
    await expect(driver.start(ctx)).rejects.toThrow(new RegExp(`create the Workflow in namespace default: it already exists or was changed by someone else \\(409\\): .*${name}`));
  });

  emulatorIt('422: the field the cluster rejected is named', EMULATED, async () => {
    const error = await kubeJson(env.kubeConfig(), { method: 'POST', path: '/apis/argoproj.io/v1alpha1/namespaces/default/workflows', body: { metadata: { name: 'Bad_Name' }, spec: {} } }, 'create the Workflow in namespace default').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClusterError);
    expect((error as ClusterError).kind).toBe('invalid');
    expect((error as ClusterError).message).toMatch(/^Could not create the Workflow in namespace default: the cluster rejected a field \(422\): metadata\.name: Invalid value: "Bad_Name"/);
  });

  emulatorIt('5xx that does not stop is given up on with a message that says so', EMULATED, async () => {
    emulatorOf(env).faults.failRatio(1, { code: 503, path: /\/workflows$/ });
    try {
      await expectRunError(h, 'argo', /the server failed \(503\).*; gave up after 5 attempts\.$/);
    } finally {
      emulatorOf(env).faults.clear();
    }
  }, 60_000);

  emulatorIt('an invalid pipeline is refused before anything reaches the cluster', EMULATED, async () => {
    const doc = smokeDocument();
    doc.edges = doc.edges.filter((e) => e.target !== 'cpt');
    const before = emulatorOf(env).controller.list('workflows').length;
    await expect(h.manager.startRun({ document: doc, target: 'argo', context: env.context })).rejects.toThrow(/node cpt/);
    await expect(h.manager.startRun({ document: doc, target: 'kfp', context: env.context })).rejects.toThrow(/node cpt/);
    expect(emulatorOf(env).controller.list('workflows')).toHaveLength(before);
  });
});

describe('clusters that lack a target, or are not there', () => {
  emulatorIt('Argo Workflows not installed (404 of its resource type)', EMULATED, async () => {
    const env = await openClusterEnv({ argo: false });
    const h = createClusterHarness(env);
    try {
      await expectRunError(h, 'argo', /^Argo Workflows is not installed in this cluster/);
    } finally {
      await h.close();
      await env.close();
    }
  });

  emulatorIt('Kubeflow Pipelines not installed', EMULATED, async () => {
    const env = await openClusterEnv({ kfp: false });
    const h = createClusterHarness(env);
    try {
      await expectRunError(h, 'kfp', /Could not reach the Kubeflow Pipelines API: not found \(404\)/);
    } finally {
      await h.close();
      await env.close();
    }
  });

  emulatorIt('an unreachable server', EMULATED, async () => {
    const env = await openClusterEnv();
    const h = createClusterHarness(env);
    await env.close();
    try {
      await expectRunError(h, 'argo', /^Cannot reach the cluster at 127\.0\.0\.1:\d+ \(ECONNREFUSED\).*network\/VPN/);
    } finally {
      await h.close();
    }
  }, 60_000);
});
