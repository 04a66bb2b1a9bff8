import { createHash, randomBytes } from 'node:crypto';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { groupAlive } from '../../electron/services/local/processes.ts';
import { stageSlots } from '../../electron/services/local/slot.ts';
import { fixturePipeline } from '../fixtures/run-pipelines.ts';
import { createHarness, processesWith } from './harness.ts';
import type { Harness } from './harness.ts';

let h: Harness;
afterEach(async () => h?.close());

describe('local target on the fixture pipeline', () => {
  it('runs every stage in dependency order, with logs, metrics, engine and the run environment', async () => {
    h = createHarness();
    const run = await h.run(fixturePipeline());
    expect(run.phase).toBe('succeeded');
    expect(h.phases(run.id)).toEqual({ a: 'succeeded', b: 'succeeded', c: 'succeeded', d: 'succeeded' });
    const started = h.started(run.id);
    expect(started[0]).toBe('a');
    expect(started.indexOf('d')).toBeGreaterThan(started.indexOf('b'));
    expect(run.nodes.d).toMatchObject({ engine: 'fixture', lastMetrics: { loss: 1, value: 1 } });
    expect((await h.manager.readMetrics(run.id, 'b')).map((m) => m.step)).toEqual([1, 2, 3]);
    const workspace = run.external?.workspace ?? '';
    const log = (await h.manager.readLog(run.id, 'c', 0, 100)).lines.map((l) => l.text);
    expect(log[0]).toBe('$ python3 -u steps/c.py --params-file params.yaml --params-key c --in-in data/a/out --out-out data/c/out');
    expect(log).toContain(`env ${run.id} c ${path.join(workspace, 'samples')} - 0`);
    expect(existsSync(path.join(workspace, 'dvc.yaml'))).toBe(true);
    expect(await fs.readFile(path.join(workspace, 'data/d/out/out.txt'), 'utf8')).toContain('"value": 1');
  });

  it('the run as startRun returns it names its workspace, and its record on disk does before the run ends', async () => {
    h = createHarness();
    const started = await h.manager.startRun({ document: fixturePipeline({ a: { sleep: 1 } }), target: 'local' });
    const workspace = path.join(h.dataDir, 'runs', started.id, 'workspace');
    expect(started.external?.workspace).toBe(workspace);
    let onDisk: string | undefined;
    for (let i = 0; i < 100 && !onDisk; i++) {
      await new Promise((r) => setTimeout(r, 10));
      onDisk = (JSON.parse(await fs.readFile(path.join(h.dataDir, 'runs', started.id, 'record.json'), 'utf8')) as { external?: { workspace?: string } }).external?.workspace;
    }
    expect(onDisk).toBe(workspace);
    expect((await h.manager.getRun(started.id)).phase).toBe('running');
    expect((await h.manager.waitForRun(started.id)).phase).toBe('succeeded');
  });

  it.runIf(stageSlots.available)('from the second run in a process on, stages start in the slots kept from the run before: each run its own folder and environment', async () => {
    h = createHarness();
    let spawned = 0;
    for (let i = 1; i <= 3; i++) {
      const run = await h.run(fixturePipeline({ a: { value: i } }));
      expect(run.phase).toBe('succeeded');
      const workspace = run.external?.workspace ?? '';
      for (const node of ['a', 'd']) {
        const log = (await h.manager.readLog(run.id, node, 0, 100)).lines.map((l) => l.text);
        expect(log).toContain(`env ${run.id} ${node} ${path.join(workspace, 'samples')} - 0`);
      }
      expect(await fs.readFile(path.join(workspace, 'data/a/out/out.txt'), 'utf8')).toContain(`"value": ${i}`);
      if (i === 1) spawned = stageSlots.spawned;
    }
    expect(stageSlots.spawned).toBe(spawned);
  });

  it('without slots (PIPEWRIGHT_STAGE_SLOTS=0, or no setsid), from the third run on the first stage starts in a process made ready during the run before', async () => {
    const saved = process.env.PIPEWRIGHT_STAGE_SLOTS;
    process.env.PIPEWRIGHT_STAGE_SLOTS = '0';
    try {
      h = createHarness();
      for (let i = 1; i <= 3; i++) {
        const run = await h.run(fixturePipeline({ a: { value: i } }));
        expect(run.phase).toBe('succeeded');
        const workspace = run.external?.workspace ?? '';
        const log = (await h.manager.readLog(run.id, 'a', 0, 100)).lines.map((l) => l.text);
        expect(log).toContain(`env ${run.id} a ${path.join(workspace, 'samples')} - 0`);
        expect(await fs.readFile(path.join(workspace, 'data/a/out/out.txt'), 'utf8')).toContain(`"value": ${i}`);
        // Let the process for the next run be started (it is, once this run has ended).
        await new Promise((r) => setTimeout(r, 20));
      }
      expect((h.manager as unknown as { drivers: Map<string, { nextRun?: unknown }> }).drivers.get('local')?.nextRun).toBeDefined();
    } finally {
      if (saved === undefined) delete process.env.PIPEWRIGHT_STAGE_SLOTS;
      else process.env.PIPEWRIGHT_STAGE_SLOTS = saved;
    }
  });

  it('skips every unchanged stage on a second run, and re-runs only a changed stage and what depends on it', async () => {
    h = createHarness();
    const first = await h.run(fixturePipeline());
    const second = await h.run(fixturePipeline());
    expect(h.phases(second.id)).toEqual({ a: 'cached', b: 'cached', c: 'cached', d: 'cached' });
    expect(h.started(second.id)).toEqual([]);
    expect(second.nodes.d).toMatchObject({ engine: 'fixture', lastMetrics: { loss: 1 } });
    expect((await h.manager.readLog(second.id, 'd', 0, 10)).lines[0].text).toBe(`Unchanged since run ${first.id}: outputs restored from the cache`);
    expect(await fs.readFile(path.join(second.external!.workspace!, 'data/d/out/out.txt'), 'utf8')).toContain('"value": 1');
    const third = await h.run(fixturePipeline({ b: { value: 2 } }));
    expect(h.phases(third.id)).toEqual({ a: 'cached', b: 'succeeded', c: 'cached', d: 'succeeded' });
    expect(third.nodes.b.lastMetrics?.value).toBe(2);
  });

  it('checks a cached output against its content hash: one changed on disk is dropped, the stage runs again and says so', async () => {
    h = createHarness();
    // c's output differs from b's (same bytes would share one cache object).
    const doc = () => fixturePipeline({ c: { value: 3 } });
    const first = await h.run(doc());
    const produced = await fs.readFile(path.join(first.external!.workspace!, 'data/b/out/out.txt'));
    const hash = createHash('sha256').update(produced).digest('hex');
    const object = path.join(h.dataDir, 'cache', 'local', 'objects', hash.slice(0, 2), hash);
    expect(existsSync(object)).toBe(true);
    // Same size, other bytes: only the content hash can tell.
    await fs.writeFile(object, Buffer.from(produced.toString('utf8').replace('"value": 1', '"value": 7')));
    const second = await h.run(doc());
    expect(second.phase).toBe('succeeded');
    expect(h.phases(second.id)).toEqual({ a: 'cached', b: 'succeeded', c: 'cached', d: 'cached' });
    expect(h.started(second.id)).toEqual(['b']);
    expect(second.nodes.b.message).toBe('Cached outputs changed on disk (data/b/out/out.txt): cache entry dropped, stage run again');
    const log = (await h.manager.readLog(second.id, 'b', 0, 10)).lines.map((l) => l.text);
    expect(log[0]).toBe(`warning: the cached outputs of run ${first.id} were changed on disk (content hash mismatch: data/b/out/out.txt); the cache entry was dropped and the stage runs again`);
    expect(log[1]).toMatch(/^\$ python3 -u steps\/b\.py/);
    const workspace = second.external!.workspace!;
    expect(await fs.readFile(path.join(workspace, 'data/b/out/out.txt'))).toEqual(produced);
    expect(await fs.readFile(path.join(workspace, 'data/d/out/out.txt'), 'utf8')).not.toContain('"value": 7');
    // The stage's fresh output went back into the cache, intact.
    expect(await fs.readFile(object)).toEqual(produced);
    const third = await h.run(doc());
    expect(h.phases(third.id)).toEqual({ a: 'cached', b: 'cached', c: 'cached', d: 'cached' });
  });

  it('skips the dependents of a failing stage, keeps its log, and fails the run naming it', async () => {
    h = createHarness();
    const run = await h.run(fixturePipeline({ b: { fail: 1 } }));
    expect(run.phase).toBe('failed');
    expect(run.message).toBe('stage "b" failed: told to fail by its parameters (exit status 1)');
    expect(h.phases(run.id)).toEqual({ a: 'succeeded', b: 'failed', c: 'succeeded', d: 'skipped' });
    const log = await h.manager.readLog(run.id, 'b', 0, 100);
    expect(log.lines.find((l) => l.stream === 'stderr')?.text).toBe('error: told to fail by its parameters');
  });

  it('cancels mid-stage and leaves no process of the run behind', async () => {
    h = createHarness();
    const marker = `pw-marker-${randomBytes(4).toString('hex')}`;
    const { id } = await h.manager.startRun({ document: fixturePipeline({ b: { sleep: 60, child: marker } }), target: 'local' });
    await expect.poll(() => processesWith(marker).length, { timeout: 20_000, interval: 100 }).toBe(1);
    const pid = Number(await fs.readFile(path.join(h.dataDir, 'runs', id, 'pids', 'b'), 'utf8'));
    await h.manager.cancelRun(id);
    const run = await h.manager.waitForRun(id);
    expect(run.phase).toBe('cancelled');
    expect(h.phases(id)).toMatchObject({ a: 'succeeded', b: 'cancelled', d: 'skipped' });
    expect(groupAlive(pid)).toBe(false);
    expect(processesWith(marker)).toEqual([]);
  });

  it('gives GPU stages their own GPUs and says how many (PIPEWRIGHT_GPUS), one stage per GPU at a time', async () => {
    h = createHarness({ gpuIds: ['7'] });
    const doc = fixturePipeline({ b: { sleep: 0.3 }, c: { sleep: 0.3 } });
    for (const n of doc.nodes) if (n.id === 'b' || n.id === 'c') n.resources = { gpus: 1 };
    const run = await h.run(doc);
    expect(run.phase).toBe('succeeded');
    const log = async (node: string) => (await h.manager.readLog(run.id, node, 0, 100)).lines.map((l) => l.text).find((t) => t.startsWith('env'));
    // CUDA_VISIBLE_DEVICES, then PIPEWRIGHT_GPUS: the count a training step starts its processes by.
    expect(await log('b')).toMatch(/ 7 1$/);
    expect(await log('c')).toMatch(/ 7 1$/);
    expect(await log('a')).toMatch(/ - 0$/);
    const [b, c] = [run.nodes.b, run.nodes.c];
    const overlap = b.startedAt! < c.finishedAt! && c.startedAt! < b.finishedAt!;
    expect(overlap).toBe(false);
  });
});

describe('local target interpreter check', () => {
  it('fails the run before any stage starts, naming each stage and what to install', async () => {
    const dir = await fs.mkdtemp(path.join((await import('node:os')).tmpdir(), 'pw-py-'));
    const python = path.join(dir, 'python-without-site');
    await fs.writeFile(python, '#!/bin/sh\nexec /usr/bin/python3 -S "$@"\n', { mode: 0o755 });
    try {
      h = createHarness({ settings: () => ({ pythonPath: python }) });
      const doc = fixturePipeline();
      doc.nodes.push({ id: 'cpt', type: 'cpt', position: { x: 0, y: 400 }, params: { engine: 'tiny' } });
      doc.edges.push({ id: 'dc', source: 'd', sourceHandle: 'out', target: 'cpt', targetHandle: 'dataset' });
      const run = await h.run(doc);
      expect(run.phase).toBe('failed');
      expect(run.message).toBe(`${python} cannot run these stages:\nstage "cpt" needs torch: install with ${python} -m pip install torch`);
      expect(h.started(run.id)).toEqual([]);
      expect(run.nodes.cpt).toMatchObject({ phase: 'failed', message: `needs torch: install with ${python} -m pip install torch` });
      expect(run.nodes.a.phase).toBe('skipped');
    } finally {
      await fs.rm(dir, { recursive: true });
    }
  });
});
