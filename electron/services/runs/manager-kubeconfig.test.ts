/** A cluster run picked up after a restart while its kubeconfig runs programs nobody confirmed: kept, not failed, followed once confirmed. */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { PipelineDocument } from '../../../shared/pipeline/types.ts';
import type { RunEvent } from '../../../shared/runs/types.ts';
import { KubeconfigNotConfirmedError } from '../kube/kubeconfigTrust.ts';
import { RunManager } from './manager.ts';
import type { RunContext, RunHandle, RunTargetDriver } from './target.ts';

const doc: PipelineDocument = { format: 'pipewright.pipeline/v2', name: 'one', nodes: [{ id: 'train', type: 'python', position: { x: 0, y: 0 } }], edges: [] };
const at = () => new Date().toISOString();

class Driver implements RunTargetDriver {
  readonly target = 'argo' as const;
  cancelled = 0;
  reattachScript: (ctx: RunContext) => Promise<RunHandle | null> = async () => null;
  async compile() {
    return { 'workflow.yaml': 'kind: Workflow\n' };
  }
  handle(): RunHandle {
    return { cancel: async () => void (this.cancelled += 1), detach: async () => undefined };
  }
  async start(ctx: RunContext) {
    ctx.emit({ kind: 'run-phase', runId: ctx.record.id, phase: 'running', at: at() });
    return this.handle();
  }
  reattach(ctx: RunContext) {
    return this.reattachScript(ctx);
  }
}

let dir: string;
let driver: Driver;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'pw-runs-kc-'));
  driver = new Driver();
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('is kept running (not failed), says why it is not followed, refuses to cancel blind, and is followed once the kubeconfig is confirmed', async () => {
  const first = new RunManager({ runsDir: dir, drivers: [driver], tickMs: 20 });
  const { id } = await first.startRun({ document: doc, target: 'argo' });
  await first.close();

  const unconfirmed = new KubeconfigNotConfirmedError([{ file: '/k/prod.yaml', commands: ['/tmp/x.sh (user evil)'] }]);
  let confirmed = false;
  let attempts = 0;
  driver.reattachScript = async (ctx) => {
    attempts += 1;
    if (!confirmed) throw unconfirmed;
    // Followed again: the run's end arrives later, as from a watch.
    setTimeout(() => ctx.emit({ kind: 'run-phase', runId: id, phase: 'succeeded', at: at() }), 20);
    return driver.handle();
  };
  const next = new RunManager({ runsDir: dir, drivers: [driver], tickMs: 20, kubeconfigRetryMs: 50 });
  const seen: RunEvent[] = [];
  next.subscribe((e) => seen.push(e));
  try {
    expect(await next.reattachRuns()).toEqual([id]);
    expect((await next.getRun(id)).phase).toBe('running');
    expect(seen).toContainEqual({ kind: 'connection', runId: id, state: 'disconnected', message: unconfirmed.message });
    await expect(next.cancelRun(id)).rejects.toBe(unconfirmed);
    expect(driver.cancelled).toBe(0);
    // Tried again while waiting, still not failed.
    await expect.poll(() => attempts, { timeout: 5000 }).toBeGreaterThan(2);
    expect((await next.getRun(id)).phase).toBe('running');
    confirmed = true;
    expect((await next.waitForRun(id)).phase).toBe('succeeded');
    expect(seen).toContainEqual({ kind: 'connection', runId: id, state: 'connected' });
  } finally {
    await next.close();
  }
});
