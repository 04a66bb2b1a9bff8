import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startKubeEmulator } from './index.ts';
import type { KubeEmulator, KubeObject } from './index.ts';
import { createWorkflow, recordWatch, waitFor, waitForWorkflowDone } from './test-helpers.ts';

const DIAMOND = parse(readFileSync(join(import.meta.dirname, '../../../shared/reference/argo/dag-diamond.yaml'), 'utf8')) as KubeObject;

describe('fault injection', () => {
  let emulator: KubeEmulator;
  const get = (path: string, init: RequestInit = {}) => fetch(`${emulator.url}${path}`, { ...init, headers: { Authorization: `Bearer ${emulator.token}` } });
  beforeAll(async () => {
    emulator = await startKubeEmulator({ timeScale: 0.05 });
  });
  afterAll(() => emulator.close());
  beforeEach(() => {
    emulator.faults.clear();
    emulator.controller.clearStepBehaviors();
  });

  it.each([
    [503, 'ServiceUnavailable'],
    [500, 'InternalError'],
    [504, 'Timeout'],
    [429, 'TooManyRequests'],
  ])('answers the next requests with %i %s, then recovers', async (code, reason) => {
    emulator.faults.failNext(2, { code });
    for (let i = 0; i < 2; i++) {
      const res = await get('/api/v1/namespaces');
      expect(res.status).toBe(code);
      expect(await res.json()).toMatchObject({ kind: 'Status', code, reason });
      if (code === 429) expect(res.headers.get('retry-after')).toBe('1');
    }
    expect((await get('/api/v1/namespaces')).status).toBe(200);
  });

  it('fails only the matching paths, at the given ratio', async () => {
    emulator.faults.failRatio(1, { path: /\/pods$/ });
    expect((await get('/api/v1/namespaces/default/pods')).status).toBe(503);
    expect((await get('/api/v1/namespaces/default/events')).status).toBe(200);
    emulator.faults.failRatio(0);
    expect((await get('/api/v1/namespaces/default/pods')).status).toBe(200);
  });

  it('slows every response down', async () => {
    emulator.faults.slow(150);
    const started = Date.now();
    expect((await get('/version')).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(145);
  });

  it('drops open connections: a watch and a log follow are cut mid-stream', async () => {
    emulator.controller.setStepBehavior({ step: 'A' }, { lines: ['first'], lineIntervalMs: 100_000 });
    const wf = await createWorkflow(emulator, DIAMOND);
    const pod = await waitFor(() => {
      const p = emulator.controller.list('pods', 'default').find((x) => x.metadata.annotations?.['workflows.argoproj.io/node-name'] === `${wf.metadata.name}.A`);
      return p && emulator.controller.logLines('default', p.metadata.name).length ? p.metadata.name : undefined;
    }, 5000, 'pod A writing');
    const log = await get(`/api/v1/namespaces/default/pods/${pod}/log?container=main&follow=true`);
    const reader = log.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('first\n');
    await recordWatch(emulator, '/api/v1/namespaces/default/pods');
    await waitFor(() => emulator.controller.openWatches === 1, 10_000, 'the watch to open');
    emulator.faults.dropConnections();
    await expect(reader.read()).rejects.toThrow();
    expect(emulator.controller.openWatches).toBe(0);
    expect(emulator.faults.stats.droppedConnections).toBeGreaterThanOrEqual(2);
  });

  it('restarts: watches are lost, the port refuses connections for a while, old resourceVersions get 410', async () => {
    const before = (await (await get('/apis/argoproj.io/v1alpha1/namespaces/default/workflows')).json()) as { metadata: { resourceVersion: string } };
    await createWorkflow(emulator, DIAMOND);
    await recordWatch(emulator, '/api/v1/namespaces/default/pods');
    await waitFor(() => emulator.controller.openWatches === 1, 10_000, 'the watch to open');
    const restarting = emulator.faults.restart({ compact: true, downMs: 1000 }); // long enough that a loaded machine still finds it down 100 ms later
    await new Promise((r) => setTimeout(r, 100));
    await expect(get('/version')).rejects.toThrow();
    await restarting;
    expect(emulator.controller.openWatches).toBe(0);
    expect((await get('/version')).status).toBe(200);
    const stale = await recordWatch(emulator, '/apis/argoproj.io/v1alpha1/namespaces/default/workflows', `resourceVersion=${before.metadata.resourceVersion}`);
    await waitFor(() => stale.events.length > 0, 10_000, 'the 410 event');
    expect(stale.events[0]).toMatchObject({ type: 'ERROR', object: { code: 410, reason: 'Expired' } });
    stale.stop();
  });

  it('drops connections every 50 ms while a client that resumes by sinceTime loses and repeats no log line', async () => {
    const total = 150;
    emulator.controller.setStepBehavior({ step: 'A' }, { lines: Array.from({ length: total }, (_, i) => `line ${i + 1}`), lineIntervalMs: 40 });
    const wf = await createWorkflow(emulator, DIAMOND);
    const pod = await waitFor(() => {
      const p = emulator.controller.list('pods', 'default').find((x) => x.metadata.annotations?.['workflows.argoproj.io/node-name'] === `${wf.metadata.name}.A`);
      return p && (p.status as { phase?: string }).phase === 'Running' ? p.metadata.name : undefined;
    }, 5000, 'pod A running');
    const stopDrops = emulator.faults.dropConnectionsEvery(50);
    const received: string[] = [];
    let lastStamp: string | undefined;
    let reconnects = 0;
    for (;;) {
      const since = lastStamp ? `&sinceTime=${encodeURIComponent(lastStamp)}` : '';
      let complete = false;
      try {
        const res = await get(`/api/v1/namespaces/default/pods/${pod}/log?container=main&follow=true&timestamps=true${since}`);
        let buffer = '';
        const reader = res.body!.getReader();
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += Buffer.from(value).toString('utf8');
          let nl: number;
          while ((nl = buffer.indexOf('\n')) >= 0) {
            const line = buffer.slice(0, nl);
            buffer = buffer.slice(nl + 1);
            const stamp = line.slice(0, line.indexOf(' '));
            if (lastStamp && stamp === lastStamp) continue;
            lastStamp = stamp;
            received.push(line.slice(line.indexOf(' ') + 1));
          }
        }
        complete = true;
      } catch {
        reconnects++;
      }
      if (complete) break;
    }
    stopDrops();
    await waitForWorkflowDone(emulator, 'default', wf.metadata.name);
    expect(reconnects).toBeGreaterThan(3);
    expect(received).toEqual(Array.from({ length: total }, (_, i) => `line ${i + 1}`));
  });
});
