import { createHash } from 'node:crypto';
import { getEventListeners } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { catalog } from '../../../node-catalog/index.ts';
import { templateDocument } from '../../../node-catalog/templates/index.ts';
import type { PipelineDocument } from '../../../shared/pipeline/types.ts';
import type { ScheduleSpec } from '../../../shared/schedules/types.ts';
import { dataChanges, fingerprintData } from './dataChange.ts';
import { LocalScheduler, SchedulesFileError, type LocalSchedule, type RunState } from './localScheduler.ts';
import { startS3StandIn, type S3StandIn } from './s3StandIn.testkit.ts';

const T0 = Date.parse('2026-12-05T00:00:00Z'); // Saturday; Sunday 02:00 in Seoul is 17:00 UTC today
const SUNDAY_0200_SEOUL = Date.parse('2026-12-05T17:00:00Z');
const WEEK = 7 * 86400000;

const weekly: ScheduleSpec = { name: 'weekly', cron: '0 2 * * 0', timezone: 'Asia/Seoul', maxConcurrency: 1, catchUp: true, parameters: {}, trigger: 'cron' };

let dir: string;
let clock: number;
let runs: Map<string, RunState>;
let started: string[];
let data: { nodeId: string; param: string; uri: string; sha256: string }[];

function scheduler(extra: Partial<ConstructorParameters<typeof LocalScheduler>[0]> = {}) {
  return new LocalScheduler({
    dataDir: dir,
    now: () => clock,
    startRun: async (s: LocalSchedule) => {
      const runId = `run-${started.length + 1}`;
      started.push(`${s.name}@${new Date(clock).toISOString()}`);
      runs.set(runId, 'running');
      return { runId };
    },
    runState: async (id) => runs.get(id) ?? 'unknown',
    fingerprint: async () => data.map((d) => ({ ...d })),
    ...extra,
  });
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pw-sched-'));
  clock = T0;
  runs = new Map();
  started = [];
  data = [{ nodeId: 'corpus', param: 'uri', uri: '/data/corpus.jsonl', sha256: 'a'.repeat(64) }];
});

describe('local scheduler with a fake clock', () => {
  it('fires at Sunday 02:00 Seoul time, once, and not while the previous run holds the only slot', async () => {
    const s = scheduler();
    await s.add(weekly, '/p/smoke.pipewright.json', 'korean-llm-smoke');
    clock = SUNDAY_0200_SEOUL - 1000;
    expect(await s.tick()).toEqual([]);
    clock = SUNDAY_0200_SEOUL + 5000;
    const [e] = await s.tick();
    expect(e).toMatchObject({ outcome: 'started', runId: 'run-1', firedFor: SUNDAY_0200_SEOUL });
    expect(await s.tick()).toEqual([]);
    clock += WEEK;
    expect(await s.tick()).toEqual([]); // run-1 still running, max concurrency 1
    expect((await s.list())[0].pending).toEqual([SUNDAY_0200_SEOUL + WEEK]);
    runs.set('run-1', 'succeeded');
    expect((await s.tick()).map((x) => x.runId)).toEqual(['run-2']);
    expect(started).toHaveLength(2);
  });

  it('catch-up off: runs missed while nothing was running are skipped and said so', async () => {
    const s = scheduler();
    await s.add({ ...weekly, catchUp: false }, '/p/x.json', 'x');
    clock = SUNDAY_0200_SEOUL + 3 * WEEK + 10_000; // down for three weeks, back 10 s after a firing
    const events = await s.tick();
    expect(events.map((e) => e.outcome)).toEqual(['skipped', 'skipped', 'skipped', 'started']);
    expect(events[0].message).toMatch(/missed at 2026-12-05T17:00:00.000Z while Pipewright was not running; catch-up is off/);
  });

  it('catch-up on: each missed firing runs, as many at once as max concurrency allows', async () => {
    const s = scheduler();
    await s.add({ ...weekly, maxConcurrency: 2 }, '/p/x.json', 'x');
    clock = SUNDAY_0200_SEOUL + 2 * WEEK + 3600_000;
    expect((await s.tick()).map((e) => e.outcome)).toEqual(['started', 'started']);
    expect((await s.list())[0].pending).toHaveLength(1);
    runs.set('run-1', 'failed');
    expect((await s.tick()).map((e) => e.runId)).toEqual(['run-3']);
  });

  it('pause stops firing without owing the paused time; delete removes it; all of it is kept in the data folder', async () => {
    const s = scheduler();
    await s.add(weekly, '/p/x.json', 'x');
    await s.setPaused('weekly', true);
    clock = SUNDAY_0200_SEOUL + 10_000;
    expect(await s.tick()).toEqual([]);
    await s.setPaused('weekly', false);
    expect(await s.tick()).toEqual([]);
    const again = scheduler();
    expect((await again.list()).map((x) => [x.name, x.paused, x.file])).toEqual([['weekly', false, '/p/x.json']]);
    clock += WEEK;
    expect((await again.tick()).map((e) => e.outcome)).toEqual(['started']);
    await again.remove('weekly');
    expect(await s.list()).toEqual([]);
    await expect(s.setPaused('weekly', true)).rejects.toThrow('no local schedule "weekly" (there are: none)');
  });

  it('a schedules file it cannot read is left as it is', async () => {
    await writeFile(join(dir, 'schedules.json'), '{"schedules": [');
    const s = scheduler();
    await expect(s.add(weekly, '/p/x.json', 'x')).rejects.toThrow(SchedulesFileError);
    await expect(s.list()).rejects.toThrow(/schedules.json is not a schedules file Pipewright can read .*nothing was changed/);
    expect(await readFile(join(dir, 'schedules.json'), 'utf8')).toBe('{"schedules": [');
  });
});

describe('serve', () => {
  it('keeps one abort listener however many ticks it runs, and stops between ticks at once', async () => {
    const s = scheduler();
    const controller = new AbortController();
    let ticks = 0;
    const serving = s.serve(controller.signal, 1, () => void ticks++);
    await expect.poll(() => ticks, { timeout: 10_000 }).toBeGreaterThanOrEqual(30);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    controller.abort();
    await serving;
    const after = ticks;
    await new Promise((r) => setTimeout(r, 20));
    expect(ticks).toBe(after);
  });

  it('stopped during a tick, it resolves only once that tick has finished writing', async () => {
    let release = () => {};
    let entered = () => {};
    const inTick = new Promise<void>((resolve) => (entered = resolve));
    const s = scheduler({
      startRun: async () => {
        entered();
        await new Promise<void>((resolve) => (release = resolve));
        return { runId: 'run-1' };
      },
    });
    await s.add(weekly, '/p/smoke.pipewright.json', 'korean-llm-smoke');
    clock = SUNDAY_0200_SEOUL + 5000;
    const controller = new AbortController();
    let stopped = false;
    const serving = s.serve(controller.signal, 10_000).then(() => void (stopped = true));
    await inTick;
    controller.abort();
    await new Promise((r) => setTimeout(r, 20));
    expect(stopped).toBe(false);
    release();
    await serving;
    // The tick's outcome is on disk by the time serve resolves.
    expect((await s.list())[0].history.at(-1)).toMatchObject({ outcome: 'started', runId: 'run-1' });
  });
});

describe('when the data changes', () => {
  it('starts a run only when a dataset input changed since the last successful run, and says what changed', async () => {
    const s = scheduler();
    await s.add({ ...weekly, trigger: 'data-changed', cron: '0 3 * * *', timezone: 'UTC' }, '/p/x.json', 'x');
    clock = Date.parse('2026-12-05T03:00:10Z');
    const [first] = await s.tick();
    expect(first).toMatchObject({ outcome: 'started', message: 'no successful run to compare the data with yet' });
    runs.set(first.runId!, 'succeeded');
    clock += 86400000;
    const [same] = await s.tick();
    expect(same).toMatchObject({ outcome: 'unchanged', message: 'no dataset input changed since run run-1; no run started' });
    data[0].sha256 = 'b'.repeat(64);
    clock += 86400000;
    const [changed] = await s.tick();
    expect(changed.outcome).toBe('started');
    expect(changed.message).toBe('data changed since run run-1: node "corpus" (/data/corpus.jsonl): content changed (sha256 aaaaaaaaaaaa → bbbbbbbbbbbb)');
    // Until run-2 succeeds, the comparison stays with run-1's data.
    runs.set('run-2', 'failed');
    clock += 86400000;
    expect((await s.tick())[0].outcome).toBe('started');
  });

  it('compares with the pipeline\'s last successful run when the schedule has none of its own', async () => {
    const s = scheduler({ lastSuccessfulRunData: async () => ({ runId: 'manual-7', data: data.map((d) => ({ ...d })) }) });
    await s.add({ ...weekly, trigger: 'data-changed', cron: '0 3 * * *', timezone: 'UTC' }, '/p/x.json', 'x');
    clock = Date.parse('2026-12-05T03:00:10Z');
    expect((await s.tick())[0].message).toBe('no dataset input changed since run manual-7; no run started');
  });
});

describe('dataset fingerprints', () => {
  let s3: S3StandIn;
  const env = () => s3.env();

  beforeAll(async () => {
    s3 = await startS3StandIn();
  });
  afterAll(() => s3.close());
  beforeEach(() => {
    s3.objects = { 'ko/train-000.jsonl': 'e1', 'ko/train-001.jsonl': 'e2', 'other/x': 'e9' };
    s3.authorizations = [];
  });

  function docWith(uri: string): PipelineDocument {
    const doc = templateDocument('korean-llm-smoke')!;
    doc.nodes.find((n) => n.id === 'corpus')!.params!.uri = uri;
    return doc;
  }

  it('s3/minio: objects\' ETags under the prefix, listed with a signed request; says which objects changed', async () => {
    const doc = docWith('s3://datasets/ko/');
    const before = await fingerprintData(doc, catalog, {}, env());
    const corpus = before.find((f) => f.nodeId === 'corpus')!;
    expect(corpus.objects).toEqual({ 'ko/train-000.jsonl': '"e1"', 'ko/train-001.jsonl': '"e2"' });
    expect(s3.authorizations[0]).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/us-east-1\/s3\/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=[0-9a-f]{64}$/);
    expect(dataChanges(before, await fingerprintData(doc, catalog, {}, env()))).toEqual([]);
    s3.objects['ko/train-001.jsonl'] = 'e3';
    s3.objects['ko/train-002.jsonl'] = 'e4';
    s3.objects['other/x'] = 'changed outside the prefix';
    expect(dataChanges(before, await fingerprintData(doc, catalog, {}, env()))).toEqual([
      'node "corpus" (s3://datasets/ko/): objects 1 changed (ko/train-001.jsonl), 1 added (ko/train-002.jsonl)',
    ]);
  });

  it('s3 with a wrong key or none: the input cannot be checked, which counts as a change and says why', async () => {
    const doc = docWith('s3://datasets/ko/');
    const before = await fingerprintData(doc, catalog, {}, env());
    const wrong = await fingerprintData(doc, catalog, {}, { ...env(), AWS_SECRET_ACCESS_KEY: 'nope' });
    expect(dataChanges(before, wrong)).toEqual([expect.stringMatching(/^node "corpus" \(s3:\/\/datasets\/ko\/\): cannot be checked: listing s3:\/\/datasets\/ko\/ at http:\/\/127.0.0.1:\d+ answered 403: The request signature we calculated does not match$/)]);
    const none = await fingerprintData(doc, catalog, {}, {});
    expect(none.find((f) => f.nodeId === 'corpus')!.unavailable).toMatch(/AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set/);
  });

  it('a remote input the last run did not fingerprint counts as changed, and says so', () => {
    const before = [{ nodeId: 'corpus', param: 'uri', uri: 's3://datasets/ko/', unavailable: 'remote (s3), read by the step' }];
    const now = [{ nodeId: 'corpus', param: 'uri', uri: 's3://datasets/ko/', sha256: 'c'.repeat(64), objects: {} }];
    expect(dataChanges(before, now)).toEqual(['node "corpus" (s3://datasets/ko/): the last successful run has no fingerprint of it to compare with (remote (s3), read by the step)']);
  });

  it('local files: by content', async () => {
    const file = join(dir, 'corpus.jsonl');
    await writeFile(file, '{"text": "안녕"}\n');
    const doc = docWith(file);
    const before = await fingerprintData(doc, catalog, {}, {});
    expect(before.find((f) => f.nodeId === 'corpus')!.sha256).toBe(createHash('sha256').update('{"text": "안녕"}\n').digest('hex'));
    expect(dataChanges(before, await fingerprintData(doc, catalog, {}, {}))).toEqual([]);
    await writeFile(file, '{"text": "안녕하세요"}\n');
    expect(dataChanges(before, await fingerprintData(doc, catalog, {}, {}))).toEqual([expect.stringMatching(new RegExp(`^node "corpus" \\(${file.replace(/[/.]/g, '\\$&')}\\): content changed \\(sha256 [0-9a-f]{12} → [0-9a-f]{12}, 19 → 28 bytes\\)$`))]);
  });
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
