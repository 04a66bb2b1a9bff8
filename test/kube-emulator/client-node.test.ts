import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { ApiextensionsV1Api, ApiException, AuthorizationV1Api, CoreV1Api, CustomObjectsApi, KubeConfig, Log, Watch } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startKubeEmulator } from './index.ts';
import type { KubeEmulator } from './index.ts';
import { waitFor, waitForWorkflowDone } from './test-helpers.ts';

const DIAMOND = parse(readFileSync(join(import.meta.dirname, '../../../shared/reference/argo/dag-diamond.yaml'), 'utf8')) as Record<string, unknown>;
const WF = { group: 'argoproj.io', version: 'v1alpha1', plural: 'workflows' };

interface WatchEvent {
  type: string;
  object: { metadata?: { name?: string; resourceVersion?: string }; code?: number; reason?: string; status?: { phase?: string } };
}

function kubeConfig(emulator: KubeEmulator, token?: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(emulator.kubeconfigPath);
  if (token === undefined) return kc;
  const changed = new KubeConfig();
  changed.loadFromOptions({ clusters: kc.clusters, users: kc.users.map((u) => ({ ...u, token })), contexts: kc.contexts, currentContext: kc.currentContext });
  return changed;
}

/** Collects watch events until `done` is called or the test stops it. */
async function collectWatch(kc: KubeConfig, path: string, query: Record<string, string | boolean>): Promise<{ events: WatchEvent[]; ended: Promise<unknown>; stop: () => void }> {
  const events: WatchEvent[] = [];
  let finish: (err: unknown) => void = () => undefined;
  const ended = new Promise<unknown>((resolve) => (finish = resolve));
  const controller = await new Watch(kc).watch(path, query, (type, object) => events.push({ type, object }), (err) => finish(err ?? null));
  return { events, ended, stop: () => controller.abort() };
}

/** A Writable that keeps every text chunk. */
function sink(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      text += chunk.toString('utf8');
      cb();
    },
  });
  return { stream, text: () => text };
}

describe('@kubernetes/client-node 1.4 against the emulator', () => {
  let emulator: KubeEmulator;
  let kc: KubeConfig;
  beforeAll(async () => {
    emulator = await startKubeEmulator({ timeScale: 0.05, requireToken: true, bookmarkIntervalMs: 100 });
    kc = kubeConfig(emulator);
  });
  afterAll(() => emulator.close());

  it('creates, reads and lists a Workflow with CustomObjectsApi', async () => {
    const api = kc.makeApiClient(CustomObjectsApi);
    const created = (await api.createNamespacedCustomObject({ ...WF, namespace: 'default', body: DIAMOND })) as { metadata: { name: string; uid: string; resourceVersion: string; creationTimestamp: string } };
    expect(created.metadata.name).toMatch(/^dag-diamond-[a-z0-9]{5}$/);
    expect(created.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(Number(created.metadata.resourceVersion)).toBeGreaterThan(0);
    const read = (await api.getNamespacedCustomObject({ ...WF, namespace: 'default', name: created.metadata.name })) as { metadata: { uid: string } };
    expect(read.metadata.uid).toBe(created.metadata.uid);
    const list = (await api.listNamespacedCustomObject({ ...WF, namespace: 'default' })) as { kind: string; items: unknown[]; metadata: { resourceVersion: string } };
    expect(list.kind).toBe('WorkflowList');
    expect(list.items.length).toBeGreaterThanOrEqual(1);
    await waitForWorkflowDone(emulator, 'default', created.metadata.name);
    const pods = await kc.makeApiClient(CoreV1Api).listNamespacedPod({ namespace: 'default', labelSelector: `workflows.argoproj.io/workflow=${created.metadata.name}` });
    expect(pods.items).toHaveLength(4);
    expect(pods.items.every((p) => p.status?.phase === 'Succeeded')).toBe(true);
    expect(pods.items.map((p) => p.metadata?.annotations?.['workflows.argoproj.io/node-name']).sort()).toEqual(['A', 'B', 'C', 'D'].map((t) => `${created.metadata.name}.${t}`));
  });

  it('answers a wrong token with 401, a refused verb with 403 and a missing object with 404', async () => {
    const wrong = kubeConfig(emulator, 'not-the-token').makeApiClient(CoreV1Api);
    const unauthorized = await wrong.listNamespace().catch((e: unknown) => e);
    expect(unauthorized).toBeInstanceOf(ApiException);
    expect((unauthorized as ApiException<string>).code).toBe(401);

    emulator.controller.deny({ verb: 'create', resource: 'workflows' });
    try {
      const refused = await kc.makeApiClient(CustomObjectsApi).createNamespacedCustomObject({ ...WF, namespace: 'kubeflow', body: DIAMOND }).catch((e: unknown) => e);
      expect((refused as ApiException<string>).code).toBe(403);
      const status = JSON.parse((refused as ApiException<string>).body) as { reason: string; message: string };
      expect(status.reason).toBe('Forbidden');
      expect(status.message).toContain('cannot create resource "workflows" in API group "argoproj.io" in the namespace "kubeflow"');
    } finally {
      emulator.controller.allowAll();
    }
    const missing = await kc.makeApiClient(CustomObjectsApi).getNamespacedCustomObject({ ...WF, namespace: 'default', name: 'nope' }).catch((e: unknown) => e);
    expect((missing as ApiException<string>).code).toBe(404);
    expect(JSON.parse((missing as ApiException<string>).body)).toMatchObject({ kind: 'Status', reason: 'NotFound', code: 404, details: { name: 'nope', group: 'argoproj.io', kind: 'workflows' } });
  });

  it('reads the Workflow CRD and answers SelfSubjectAccessReviews', async () => {
    const crd = await kc.makeApiClient(ApiextensionsV1Api).readCustomResourceDefinition({ name: 'workflows.argoproj.io' });
    expect(crd.spec.names.kind).toBe('Workflow');
    const authz = kc.makeApiClient(AuthorizationV1Api);
    const ask = () => authz.createSelfSubjectAccessReview({ body: { spec: { resourceAttributes: { namespace: 'kubeflow', verb: 'create', group: 'argoproj.io', resource: 'workflows' } } } });
    expect((await ask()).status?.allowed).toBe(true);
    emulator.controller.deny({ verb: 'create', group: 'argoproj.io', resource: 'workflows', namespace: 'kubeflow' });
    expect((await ask()).status?.allowed).toBe(false);
    emulator.controller.allowAll();
  });

  it('watches with bookmarks, and resumes from a resourceVersion without missing a change', async () => {
    const api = kc.makeApiClient(CustomObjectsApi);
    const list = (await api.listNamespacedCustomObject({ ...WF, namespace: 'default' })) as { metadata: { resourceVersion: string } };
    const first = await collectWatch(kc, '/apis/argoproj.io/v1alpha1/namespaces/default/workflows', { resourceVersion: list.metadata.resourceVersion, allowWatchBookmarks: true });
    const created = (await api.createNamespacedCustomObject({ ...WF, namespace: 'default', body: DIAMOND })) as { metadata: { name: string } };
    await waitFor(() => first.events.some((e) => e.type === 'BOOKMARK'), 5000, 'a bookmark');
    await waitFor(() => first.events.some((e) => e.type === 'MODIFIED' && e.object.metadata?.name === created.metadata.name), 5000, 'a change');
    first.stop();
    const lastSeen = first.events.filter((e) => e.type !== 'ERROR').at(-1)!.object.metadata!.resourceVersion!;
    await waitForWorkflowDone(emulator, 'default', created.metadata.name);
    const resumed = await collectWatch(kc, '/apis/argoproj.io/v1alpha1/namespaces/default/workflows', { resourceVersion: lastSeen, allowWatchBookmarks: true });
    await waitFor(() => resumed.events.some((e) => e.object.status?.phase === 'Succeeded'), 5000, 'the missed Succeeded change');
    resumed.stop();
    expect(resumed.events.every((e) => e.type === 'BOOKMARK' || Number(e.object.metadata?.resourceVersion) > Number(lastSeen))).toBe(true);
  });

  it('sends a 410 Expired ERROR event for a compacted resourceVersion and for a forced expiry', async () => {
    const api = kc.makeApiClient(CustomObjectsApi);
    const old = ((await api.listNamespacedCustomObject({ ...WF, namespace: 'default' })) as { metadata: { resourceVersion: string } }).metadata.resourceVersion;
    await api.createNamespacedCustomObject({ ...WF, namespace: 'default', body: DIAMOND });
    emulator.faults.compact();
    const expired = await collectWatch(kc, '/apis/argoproj.io/v1alpha1/namespaces/default/workflows', { resourceVersion: old });
    await expired.ended;
    expect(expired.events).toHaveLength(1);
    expect(expired.events[0]).toMatchObject({ type: 'ERROR', object: { code: 410, reason: 'Expired' } });

    emulator.faults.expireNextWatch();
    const forced = await collectWatch(kc, '/api/v1/namespaces/default/pods', { resourceVersion: String(Number.MAX_SAFE_INTEGER) });
    await forced.ended;
    expect(forced.events[0]).toMatchObject({ type: 'ERROR', object: { code: 410 } });
    const fine = await collectWatch(kc, '/api/v1/namespaces/default/pods', {});
    await waitFor(() => fine.events.length > 0, 5000, 'initial ADDED events');
    fine.stop();
    expect(fine.events[0].type).toBe('ADDED');
  });

  it('follows a log with timestamps and resumes from sinceTime without losing a line', async () => {
    emulator.controller.setStepBehavior({ step: 'A' }, { lines: Array.from({ length: 40 }, (_, i) => `line ${i + 1}`), lineIntervalMs: 200 });
    const created = (await kc.makeApiClient(CustomObjectsApi).createNamespacedCustomObject({ ...WF, namespace: 'default', body: DIAMOND })) as { metadata: { name: string } };
    const pod = await waitFor(() => {
      const p = emulator.controller.list('pods', 'default').find((x) => x.metadata.annotations?.['workflows.argoproj.io/node-name'] === `${created.metadata.name}.A`);
      return p && (p.status as { phase?: string }).phase === 'Running' ? p.metadata.name : undefined;
    }, 10_000, 'pod A running');
    const first = sink();
    const abort = await new Log(kc).log('default', pod, 'main', first.stream, { follow: true, timestamps: true });
    await waitFor(() => first.text().split('\n').length > 10, 10_000, 'ten lines');
    abort.abort();
    const seen = first.text().split('\n').filter((l) => / line \d+$/.test(l));
    const lastStamp = seen.at(-1)!.split(' ')[0];
    expect(lastStamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$/);
    const second = sink();
    const done = new Promise<void>((resolve) => second.stream.on('finish', resolve));
    await new Log(kc).log('default', pod, 'main', second.stream, { follow: true, timestamps: true, sinceTime: lastStamp });
    await done;
    const resumed = second.text().split('\n').filter(Boolean);
    expect(resumed[0]).toBe(seen.at(-1));
    const merged = [...seen, ...resumed.slice(1)].map((l) => l.slice(l.indexOf(' ') + 1));
    expect(merged).toEqual(Array.from({ length: 40 }, (_, i) => `line ${i + 1}`));
    emulator.controller.clearStepBehaviors();
  });
});
