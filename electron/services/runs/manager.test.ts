import { spawn } from 'node:child_process';
import { mkdtempSync, promises as fs, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PipelineDocument } from '../../../shared/pipeline/types.ts';
import type { LogLine, RunEvent } from '../../../shared/runs/types.ts';
import { RunManager } from './manager.ts';
import { readStoredRun, recordFile, requestCancel, writeJsonAtomic } from './runFiles.ts';
import type { RunContext, RunHandle, RunTargetDriver } from './target.ts';

const doc: PipelineDocument = {
  format: 'pipewright.pipeline/v2',
  name: 'two-steps',
  nodes: [
    { id: 'prep', type: 'python', position: { x: 0, y: 0 } },
    { id: 'train', type: 'python', position: { x: 0, y: 100 } },
  ],
  edges: [{ id: 'e1', source: 'prep', sourceHandle: 'out', target: 'train', targetHandle: 'in' }],
};

const at = () => new Date().toISOString();
const lines = (from: number, to: number): LogLine[] =>
  Array.from({ length: to - from + 1 }, (_, i) => ({ seq: from + i, ts: '2026-11-28T10:00:00Z', text: `line ${from + i}` }));

/** A driver whose runs do what the test script says. */
class ScriptedDriver implements RunTargetDriver {
  readonly target = 'argo' as const;
  contexts: RunContext[] = [];
  cancelled: string[] = [];
  detached: string[] = [];
  script: (ctx: RunContext) => void = (ctx) => this.succeed(ctx);
  reattachScript: (ctx: RunContext) => Promise<RunHandle | null> = async () => null;

  async compile() {
    return { 'workflow.yaml': 'kind: Workflow\n' };
  }
  succeed(ctx: RunContext) {
    const runId = ctx.record.id;
    ctx.emit({ kind: 'run-phase', runId, phase: 'running', at: at() });
    for (const nodeId of ['prep', 'train']) {
      ctx.emit({ kind: 'node-phase', runId, nodeId, phase: 'running', at: at() });
      ctx.emit({ kind: 'log', runId, nodeId, lines: lines(1, 3) });
      ctx.emit({ kind: 'metrics', runId, nodeId, records: [{ step: 1, values: { loss: 2.5 } }, { step: 2, values: { loss: NaN } }] });
      ctx.emit({ kind: 'node-phase', runId, nodeId, phase: 'succeeded', at: at() });
    }
    ctx.emit({ kind: 'run-phase', runId, phase: 'succeeded', at: at() });
  }
  handle(ctx: RunContext): RunHandle {
    return {
      cancel: async () => {
        this.cancelled.push(ctx.record.id);
        ctx.emit({ kind: 'run-phase', runId: ctx.record.id, phase: 'cancelled', at: at() });
      },
      detach: async () => {
        this.detached.push(ctx.record.id);
      },
    };
  }
  async start(ctx: RunContext) {
    this.contexts.push(ctx);
    this.script(ctx);
    return this.handle(ctx);
  }
  reattach(ctx: RunContext) {
    this.contexts.push(ctx);
    return this.reattachScript(ctx);
  }
}

let dir: string;
let driver: ScriptedDriver;
let manager: RunManager;
let events: RunEvent[];

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'pw-runs-'));
  driver = new ScriptedDriver();
  manager = new RunManager({ runsDir: dir, drivers: [driver], tickMs: 20 });
  events = [];
  manager.subscribe((e) => events.push(e));
});

afterEach(async () => {
  await manager.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('RunManager', () => {
  it('records a run: phases, document, compiled files, logs and metrics, served back from disk', async () => {
    const started = await manager.startRun({ document: doc, target: 'argo', context: 'dev', namespace: 'ml', kfpToken: 'secret' });
    const done = await manager.waitForRun(started.id);
    expect(done.phase).toBe('succeeded');
    expect(done.nodes.train).toMatchObject({ phase: 'succeeded', lastMetrics: { loss: NaN } });
    const record = await manager.getRun(started.id);
    expect(record).toMatchObject({ pipelineName: 'two-steps', context: 'dev', namespace: 'ml', compiled: { 'workflow.yaml': 'kind: Workflow\n' } });
    expect(record.document).toEqual(doc);
    // Input hashes and parameter values are recorded with the run (hashing itself: inputHashes.test.ts).
    expect(record).toMatchObject({ inputs: [], parameterValues: {} });
    const onDisk = await fs.readFile(recordFile(path.join(dir, started.id)), 'utf8');
    expect(onDisk).not.toContain('secret');
    expect((await readStoredRun(path.join(dir, started.id))).phase).toBe('succeeded');
    expect(await manager.readLog(started.id, 'prep', 1, 10)).toEqual({ lines: lines(2, 3), lastSeq: 3 });
    const metrics = await manager.readMetrics(started.id, 'train');
    expect(metrics.map((m) => m.values.loss)).toEqual([2.5, NaN]);
    expect((await manager.listRuns()).map((r) => r.id)).toEqual([started.id]);
    expect(events.filter((e) => e.kind === 'run-phase').map((e) => e.kind === 'run-phase' && e.phase)).toEqual(['pending', 'running', 'succeeded']);
  });

  it('drops log lines it already has (a driver resuming a follow)', async () => {
    driver.script = (ctx) => {
      const runId = ctx.record.id;
      ctx.emit({ kind: 'log', runId, nodeId: 'prep', lines: lines(1, 5) });
      ctx.emit({ kind: 'log', runId, nodeId: 'prep', lines: lines(3, 8) });
      ctx.emit({ kind: 'run-phase', runId, phase: 'succeeded', at: at() });
    };
    const { id } = await manager.startRun({ document: doc, target: 'argo' });
    await manager.waitForRun(id);
    expect((await manager.readLog(id, 'prep', 0, 100)).lines.map((l) => l.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const published = events.flatMap((e) => (e.kind === 'log' ? e.lines.map((l) => l.seq) : []));
    expect(published).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('keeps the head and the tail of a long log, with a truncation marker between', async () => {
    await manager.close();
    manager = new RunManager({ runsDir: dir, drivers: [driver], tickMs: 20, logCaps: { headBytes: 300, tailBytes: 600, segmentBytes: 200 } });
    driver.script = (ctx) => {
      for (let i = 0; i < 100; i++) ctx.emit({ kind: 'log', runId: ctx.record.id, nodeId: 'train', lines: lines(i * 10 + 1, i * 10 + 10) });
      ctx.emit({ kind: 'run-phase', runId: ctx.record.id, phase: 'succeeded', at: at() });
    };
    const { id } = await manager.startRun({ document: doc, target: 'argo' });
    await manager.waitForRun(id);
    const page = await manager.readLog(id, 'train', 0, 10_000);
    expect(page.lastSeq).toBe(1000);
    expect(page.lines[0].seq).toBe(1);
    expect(page.lines.at(-1)?.seq).toBe(1000);
    const markers = page.lines.filter((l) => l.text.startsWith('[truncated:'));
    expect(markers).toHaveLength(1);
    const marker = markers[0];
    const before = page.lines[page.lines.indexOf(marker) - 1].seq;
    expect(marker.text).toBe(`[truncated: ${marker.seq - before} earlier lines]`);
    expect(page.lines.length).toBeLessThan(200);
    const afterGap = await manager.readLog(id, 'train', before + 5, 3);
    expect(afterGap.lines[0]).toMatchObject({ seq: marker.seq, text: `[truncated: ${marker.seq - before - 5} earlier lines]` });
  });

  it('refuses a document its driver cannot compile, recording nothing', async () => {
    driver.compile = async () => {
      throw new Error('node "train": learning_rate must be at most 1');
    };
    await expect(manager.startRun({ document: doc, target: 'argo' })).rejects.toThrow('node "train": learning_rate');
    await expect(manager.startRun({ document: doc, target: 'kfp' })).rejects.toThrow('target "kfp" are not available');
    expect(await manager.listRuns()).toEqual([]);
  });

  it('ends a run whose driver fails to start as error, with the reason', async () => {
    driver.start = async () => {
      throw new Error('Argo Workflows is not installed in this cluster');
    };
    const { id } = await manager.startRun({ document: doc, target: 'argo' });
    const done = await manager.waitForRun(id);
    expect(done).toMatchObject({ phase: 'error', message: 'Argo Workflows is not installed in this cluster' });
    expect(done.nodes.prep.phase).toBe('skipped');
  });

  it('cancels through a cancel-request file (another process asking), and refuses to delete a live run', async () => {
    driver.script = (ctx) => ctx.emit({ kind: 'run-phase', runId: ctx.record.id, phase: 'running', at: at() });
    const { id } = await manager.startRun({ document: doc, target: 'argo' });
    await expect(manager.deleteRun(id)).rejects.toThrow('cancel it before deleting it');
    await requestCancel(path.join(dir, id));
    const done = await manager.waitForRun(id);
    expect(done.phase).toBe('cancelled');
    expect(driver.cancelled).toEqual([id]);
    await manager.deleteRun(id);
    expect(await manager.listRuns()).toEqual([]);
  });

  it('retries a finished run as a new run of the same request', async () => {
    const first = await manager.startRun({ document: doc, target: 'argo', namespace: 'ml' });
    await manager.waitForRun(first.id);
    const second = await manager.retryRun(first.id);
    expect(second.id).not.toBe(first.id);
    expect(second.namespace).toBe('ml');
    expect((await manager.waitForRun(second.id)).phase).toBe('succeeded');
  });

  it('lists an unreadable record as an error run instead of failing the list', async () => {
    await fs.mkdir(path.join(dir, 'broken-run'));
    await fs.writeFile(path.join(dir, 'broken-run', 'record.json'), '{"id": ');
    const [run] = await manager.listRuns();
    expect(run).toMatchObject({ id: 'broken-run', phase: 'error' });
    expect(run.message).toContain('cannot be read');
  });
});

describe('RunManager start-up', () => {
  async function leaveRunning(): Promise<string> {
    driver.script = (ctx) => {
      ctx.emit({ kind: 'run-phase', runId: ctx.record.id, phase: 'running', at: at() });
      ctx.emit({ kind: 'node-phase', runId: ctx.record.id, nodeId: 'prep', phase: 'running', at: at() });
      ctx.emit({ kind: 'log', runId: ctx.record.id, nodeId: 'prep', lines: lines(1, 4) });
    };
    const { id } = await manager.startRun({ document: doc, target: 'argo' });
    await manager.close();
    expect(driver.detached).toEqual([id]);
    return id;
  }

  it('hands orphaned runs to their driver, which resumes after the last recorded line', async () => {
    const id = await leaveRunning();
    const next = new RunManager({ runsDir: dir, drivers: [driver], tickMs: 20 });
    const seen: RunEvent[] = [];
    next.subscribe((e) => seen.push(e));
    let tail: LogLine[] = [];
    driver.reattachScript = async (ctx) => {
      tail = await ctx.logTail('prep', 2);
      ctx.emit({ kind: 'log', runId: id, nodeId: 'prep', lines: lines(3, 6) });
      ctx.emit({ kind: 'run-phase', runId: id, phase: 'succeeded', at: at() });
      return driver.handle(ctx);
    };
    expect(await next.reattachRuns()).toEqual([id]);
    const done = await next.waitForRun(id);
    expect(tail.map((l) => l.seq)).toEqual([3, 4]);
    expect(done.phase).toBe('succeeded');
    expect((await next.readLog(id, 'prep', 0, 100)).lines.map((l) => l.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(seen.flatMap((e) => (e.kind === 'log' ? e.lines.map((l) => l.seq) : []))).toEqual([5, 6]);
    await next.close();
  });

  it('settles a run its driver cannot pick up again', async () => {
    const id = await leaveRunning();
    const next = new RunManager({ runsDir: dir, drivers: [driver], tickMs: 20 });
    await next.reattachRuns();
    const done = await next.waitForRun(id);
    expect(done.phase).toBe('error');
    expect(done.nodes.prep.phase).toBe('failed');
    await next.close();
  });

  it('follows from disk a run that another live process owns, without taking it', async () => {
    const id = await leaveRunning();
    const other = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      const runDir = path.join(dir, id);
      await writeJsonAtomic(path.join(runDir, 'owner.json'), { pid: other.pid, hostname: os.hostname(), heartbeatAt: at() });
      const next = new RunManager({ runsDir: dir, drivers: [driver], tickMs: 20 });
      const seen: RunEvent[] = [];
      next.subscribe((e) => seen.push(e));
      expect(await next.reattachRuns()).toEqual([id]);
      const stored = await readStoredRun(runDir);
      await writeJsonAtomic(recordFile(runDir), { ...stored, phase: 'succeeded', nodes: { ...stored.nodes, prep: { phase: 'succeeded' } } });
      await expect.poll(() => seen.some((e) => e.kind === 'run-phase' && e.phase === 'succeeded'), { timeout: 5000 }).toBe(true);
      expect(seen.flatMap((e) => (e.kind === 'log' ? e.lines.map((l) => l.seq) : []))).toEqual([1, 2, 3, 4]);
      expect(driver.contexts).toHaveLength(1);
      await next.close();
    } finally {
      other.kill();
    }
  });
});
