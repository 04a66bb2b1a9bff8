import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PipelineDocument } from '../../../shared/pipeline/types.ts';
import { importedRunId, RUN_ID_PATTERN } from '../runs/ids.ts';
import { CLUSTER_SCHEDULES_FILE, ClusterScheduleRegistry, entryKey, type ClusterScheduleEntry } from './clusterRegistry.ts';

const document: PipelineDocument = { format: 'pipewright.pipeline/v2', name: 'demo', nodes: [], edges: [] };
const entry = (over: Partial<ClusterScheduleEntry>): ClusterScheduleEntry => ({ target: 'argo', id: 'nightly', name: 'nightly', pipeline: 'demo', context: 'prod', namespace: 'ml', document, parameterValues: {}, createdAt: '2026-12-05T00:00:00Z', ...over });
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pw-cluster-registry-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('ClusterScheduleRegistry', () => {
  it('adds, replaces the same schedule, keeps others, removes by key; empty without a file', async () => {
    const registry = new ClusterScheduleRegistry(dir);
    expect(await registry.list()).toEqual([]);
    await registry.add(entry({}));
    await registry.add(entry({ namespace: 'other' }));
    await registry.add(entry({ target: 'kfp', id: 'uuid-1', name: 'weekly', kfpUrl: 'https://kfp.example.com', context: undefined, namespace: undefined }));
    await registry.add(entry({ parameterValues: { lr: 2 } }));
    const all = await registry.list();
    expect(all.map(entryKey)).toEqual(['argo|prod|other|nightly', 'kfp|https://kfp.example.com|uuid-1', 'argo|prod|ml|nightly']);
    expect(all[2].parameterValues).toEqual({ lr: 2 });
    await registry.remove('argo|prod|ml|nightly');
    expect((await registry.list()).map((e) => e.namespace)).toEqual(['other', undefined]);
  });

  it('concurrent adds all land (one write at a time)', async () => {
    const registry = new ClusterScheduleRegistry(dir);
    await Promise.all(['a', 'b', 'c', 'd'].map((id) => registry.add(entry({ id, name: id }))));
    expect((await registry.list()).map((e) => e.id).sort()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('a damaged or foreign file is named, and left as it is', async () => {
    await writeFile(join(dir, CLUSTER_SCHEDULES_FILE), '{"format": "x"');
    const registry = new ClusterScheduleRegistry(dir);
    await expect(registry.list()).rejects.toThrow(/cluster-schedules\.json is not valid JSON .*move it aside/);
    await expect(registry.add(entry({}))).rejects.toThrow(/not valid JSON/);
    await writeFile(join(dir, CLUSTER_SCHEDULES_FILE), '{"format": "other/v9", "schedules": []}');
    await expect(registry.list()).rejects.toThrow(/not a Pipewright list of cluster schedules \(format "other\/v9"/);
  });
});

describe('importedRunId', () => {
  it('is the same for the same cluster run, different for another, sorted by start time, a valid run id', () => {
    const a = importedRunId('2026-12-05T02:00:07Z', 'argo|ml|nightly-1764900007|');
    expect(a).toMatch(/^20261205-020007-[a-z0-9]{4}$/);
    expect(a).toMatch(RUN_ID_PATTERN);
    expect(importedRunId('2026-12-05T02:00:07Z', 'argo|ml|nightly-1764900007|')).toBe(a);
    expect(importedRunId('2026-12-05T02:00:07Z', 'argo|ml|nightly-1764900008|')).not.toBe(a);
    expect(importedRunId('not a time', 'x')).toMatch(RUN_ID_PATTERN);
  });
});
