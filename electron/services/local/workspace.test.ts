import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../shared/runs/types.ts';
import { StageCache } from './stageCache.ts';
import { StageScheduler } from './scheduler.ts';
import type { SchedulerOptions } from './scheduler.ts';
import type { LocalStage } from './stages.ts';
import { splitWorkspace, writeWorkspaceFiles } from './workspace.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pw-workspace-'));
  dirs.push(dir);
  return dir;
}

const stage = (name: string, deps: string[], upstream: string[], cmd = `python3 steps/${name}.py`, outputs = [`data/${name}/out`]): LocalStage => ({ name, cmd, deps, outputs, params: [], upstream });

describe('splitWorkspace: what the first stages need before they start', () => {
  it('defers dvc.yaml and the files that only stages with upstream stages depend on', () => {
    const stages = [
      stage('a', ['steps/a.py', 'samples/shared'], []),
      stage('b', ['steps/b.py', 'data/a/out', 'samples/shared', 'samples/b-only/'], ['a']),
      stage('c', ['steps/c.py'], []),
    ];
    const compiled = {
      'dvc.yaml': 'stages: {}',
      'params.yaml': '{}',
      'steps/a.py': 'a',
      'steps/b.py': 'b',
      'steps/c.py': 'c',
      'steps/common.py': 'helper no stage names',
      'samples/shared/x.csv': 'x',
      'samples/b-only/y.csv': 'y',
    };
    const { first, later } = splitWorkspace(compiled, stages);
    expect(first.map(([name]) => name).sort()).toEqual(['params.yaml', 'samples/shared/x.csv', 'steps/a.py', 'steps/c.py', 'steps/common.py']);
    expect(later.map(([name]) => name).sort()).toEqual(['dvc.yaml', 'samples/b-only/y.csv', 'steps/b.py']);
  });

  it('writes both parts into folders it makes', () => {
    const workspace = tempDir();
    writeWorkspaceFiles(workspace, [['steps/a.py', 'print(1)'], ['samples/x/y.csv', '1,2']]);
    expect(readFileSync(path.join(workspace, 'steps', 'a.py'), 'utf8')).toBe('print(1)');
    expect(readFileSync(path.join(workspace, 'samples', 'x', 'y.csv'), 'utf8')).toBe('1,2');
  });
});

/** a makes data/a/out; b, after it, prints later.txt, which firstStarted writes. */
function schedule(workspace: string, firstStarted: () => void, extra: Partial<SchedulerOptions> = {}): { scheduler: StageScheduler; events: RunEvent[] } {
  const events: RunEvent[] = [];
  const stages = [
    stage('a', [], [], 'sh -c "mkdir -p data/a/out && echo made > data/a/out/f"'),
    stage('b', ['data/a/out'], ['a'], 'cat later.txt', []),
  ];
  const scheduler = new StageScheduler({
    runId: 'r',
    workspace,
    runDir: workspace,
    stages,
    paramsYaml: '{}',
    cache: null,
    uncached: new Set(['b']),
    concurrency: 1,
    gpuIds: [],
    stageGpus: new Map(),
    env: process.env,
    emit: (e) => events.push(e),
    graceMs: 500,
    firstStarted,
    ...extra,
  });
  return { scheduler, events };
}

const logOf = (events: RunEvent[], node: string) => events.flatMap((e) => (e.kind === 'log' && e.nodeId === node ? e.lines.map((l) => l.text) : []));
const phaseOf = (events: RunEvent[], node: string) => events.filter((e) => e.kind === 'node-phase' && e.nodeId === node).at(-1);

describe('StageScheduler.firstStarted: the rest of the workspace, once the first stage runs', () => {
  it('is called once, after the first stage started and before the stage after it', async () => {
    const workspace = tempDir();
    const calls: boolean[] = [];
    // When it is called, the first stage's process has been started (it is running or has run).
    const { scheduler, events } = schedule(workspace, () => {
      calls.push(events.some((e) => e.kind === 'node-phase' && e.nodeId === 'a' && e.phase === 'running'));
      writeFileSync(path.join(workspace, 'later.txt'), 'written later\n');
    });
    expect(await scheduler.run()).toEqual({ phase: 'succeeded' });
    expect(calls).toEqual([true]);
    expect(logOf(events, 'b')).toContain('written later');
  });

  it('what it throws fails the stages after the first, naming it; the first stage runs to its end', async () => {
    const workspace = tempDir();
    const { scheduler, events } = schedule(workspace, () => {
      throw new Error('the run workspace could not be written: ENOSPC');
    });
    const outcome = await scheduler.run();
    expect(outcome.phase).toBe('failed');
    expect(outcome.message).toContain('ENOSPC');
    expect(phaseOf(events, 'a')).toMatchObject({ phase: 'succeeded' });
    expect(phaseOf(events, 'b')).toMatchObject({ phase: 'failed', message: 'the run workspace could not be written: ENOSPC' });
    expect(existsSync(path.join(workspace, 'data/a/out/f'))).toBe(true);
  });

  it('is called before the next stage also when the first stage is restored from the cache (no process started)', async () => {
    const cache = new StageCache(tempDir());
    const first = tempDir();
    const one = schedule(first, () => writeFileSync(path.join(first, 'later.txt'), 'one\n'), { cache });
    expect(await one.scheduler.run()).toEqual({ phase: 'succeeded' });
    const second = tempDir();
    let called = 0;
    const two = schedule(second, () => {
      called++;
      writeFileSync(path.join(second, 'later.txt'), 'two\n');
    }, { cache });
    expect(await two.scheduler.run()).toEqual({ phase: 'succeeded' });
    expect(phaseOf(two.events, 'a')).toMatchObject({ phase: 'cached' });
    expect(called).toBe(1);
    expect(logOf(two.events, 'b')).toContain('two');
  });

  it('is called at the end of a run stopped before any stage started', async () => {
    const workspace = tempDir();
    let called = 0;
    const { scheduler } = schedule(workspace, () => called++);
    await scheduler.stop('cancel');
    expect((await scheduler.run()).phase).toBe('cancelled');
    expect(called).toBe(1);
  });
});
