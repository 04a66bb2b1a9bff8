import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LogLine } from '../../../shared/runs/types.ts';
import { readLogPage } from './logFiles.ts';
import { readAppliedManifests, readNodeArtifacts } from './artifacts.ts';

const applied = (file: string, generation: number, yaml: string) =>
  `PIPEWRIGHT_APPLIED ${JSON.stringify({ file, kind: file === 'service.yaml' ? 'Service' : 'Rollout', name: 'pipewright-serve', namespace: 'inference', generation, yaml })}`;

function pages(texts: string[], pageSeen: number[] = []) {
  const lines: LogLine[] = texts.map((text, i) => ({ seq: i + 1, ts: `2026-01-05T10:00:${String(i % 60).padStart(2, '0')}.000Z`, text }));
  return async (after: number, limit: number) => {
    pageSeen.push(after);
    return { lines: lines.filter((l) => l.seq > after).slice(0, limit), lastSeq: lines.length };
  };
}

describe('readAppliedManifests', () => {
  it("keeps each file's last apply, in the order first applied, across pages", async () => {
    const filler = Array.from({ length: 4_500 }, (_, i) => `PIPEWRIGHT_DEPLOY {"kind": "Rollout", "phase": "Progressing", "step": ${i}}`);
    const seen: number[] = [];
    const manifests = await readAppliedManifests(pages([applied('service.yaml', 1, 'kind: Service\n'), applied('rollout.yaml', 1, 'replicas: 4\n'), ...filler, applied('rollout.yaml', 2, 'replicas: 6\n')], seen));
    expect(manifests.map((m) => [m.file, m.text, m.applied?.generation])).toEqual([['service.yaml', 'kind: Service\n', 1], ['rollout.yaml', 'replicas: 6\n', 2]]);
    expect(manifests[1].applied).toMatchObject({ kind: 'Rollout', name: 'pipewright-serve', namespace: 'inference' });
    expect(seen).toEqual([0, 2_000, 4_000]);
  });

  it('ignores lines that only look like applied objects', async () => {
    const manifests = await readAppliedManifests(pages([
      'PIPEWRIGHT_APPLIED {not json',
      'PIPEWRIGHT_APPLIED {"file": "x.yaml"}',
      'echo PIPEWRIGHT_APPLIED {"file": "y.yaml", "kind": "Service", "name": "a", "namespace": "b", "yaml": "c"}',
    ]));
    expect(manifests).toEqual([]);
  });

  it('reads an empty log (a step that never started)', async () => {
    expect(await readAppliedManifests((after, limit) => readLogPage('/nonexistent/pipewright-log', after, limit))).toEqual([]);
  });
});

describe('readNodeArtifacts', () => {
  it("lists a node's folder under data/ and nothing outside it, whatever the node id", async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'pw-artifacts-'));
    try {
      const workspace = path.join(dir, 'runs', 'r1');
      await fs.mkdir(path.join(workspace, 'data', 'eval', 'metrics'), { recursive: true });
      await fs.writeFile(path.join(workspace, 'data', 'eval', 'metrics', 'scores.json'), '{}');
      await fs.mkdir(path.join(dir, 'secret', 'ssh'), { recursive: true });
      await fs.writeFile(path.join(dir, 'secret', 'ssh', 'id.yaml'), 'private: key');
      const record = { target: 'local' as const, external: { workspace } };
      expect(await readNodeArtifacts(record as never, 'eval')).toMatchObject({ available: true, files: [{ path: 'metrics/scores.json' }] });
      for (const id of ['../../../secret', '..', '.', 'eval/../../../../secret', path.join(dir, 'secret')]) {
        expect(await readNodeArtifacts(record as never, id)).toEqual({ available: false, reason: 'no-outputs', files: [] });
      }
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
