/**
 * Local runs through `dvc repro` (the setting for machines with DVC installed). DVC is not
 * installable here, so a stand-in prints DVC's console messages around really running each stage.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fixturePipeline } from '../fixtures/run-pipelines.ts';
import { createHarness } from './harness.ts';
import type { Harness } from './harness.ts';

const STAND_IN = `#!/usr/bin/python3
import os, subprocess, sys, yaml
cmd = sys.argv[1:]
if cmd[:1] == ["init"]:
    os.makedirs(".dvc", exist_ok=True)
    sys.exit(0)
if cmd[:1] == ["config"]:
    sys.exit(0)
if cmd[:1] != ["repro"]:
    sys.exit(254)
stages = yaml.safe_load(open("dvc.yaml"))["stages"]
for name, stage in stages.items():
    if os.environ.get("STAND_IN_UNCHANGED") == name:
        print("Stage '%s' didn't change, skipping" % name, flush=True)
        continue
    print("Running stage '%s':" % name, flush=True)
    print("> " + stage["cmd"], flush=True)
    code = subprocess.call(stage["cmd"], shell=True)
    if code != 0:
        sys.stderr.write("ERROR: failed to reproduce '%s': failed to run: %s, exited with %d\\n" % (name, stage["cmd"], code))
        sys.exit(255)
    print("Updating lock file 'dvc.lock'", flush=True)
print("Use \`dvc push\` to send your updates to remote storage.", flush=True)
`;

let dir: string;
let dvcPath: string;
let h: Harness;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'pw-dvc-'));
  dvcPath = path.join(dir, 'dvc');
  writeFileSync(dvcPath, STAND_IN, { mode: 0o755 });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(async () => h?.close());

describe('local runs with dvc repro', () => {
  it('shows each stage running and succeeding, its own output in its own log', async () => {
    h = createHarness({ dvcPath, settings: () => ({ useDvc: true }) });
    const run = await h.run(fixturePipeline());
    expect(run.phase).toBe('succeeded');
    expect(h.phases(run.id)).toEqual({ a: 'succeeded', b: 'succeeded', c: 'succeeded', d: 'succeeded' });
    expect(run.nodes.b).toMatchObject({ engine: 'fixture', lastMetrics: { loss: 1 } });
    const log = (await h.manager.readLog(run.id, 'b', 0, 100)).lines.map((l) => l.text);
    expect(log[0]).toBe("Running stage 'b':");
    expect(log).toContain('done');
    expect(log.some((t) => t.startsWith('env'))).toBe(true);
  });

  it('marks a failing stage failed and what it feeds skipped', async () => {
    h = createHarness({ dvcPath, settings: () => ({ useDvc: true }) });
    const run = await h.run(fixturePipeline({ b: { fail: 1 } }));
    expect(run.phase).toBe('failed');
    expect(run.message).toMatch(/^stage "b" failed: failed to run: python3 -u steps\/b.py .*, exited with 1$/);
    expect(h.phases(run.id)).toEqual({ a: 'succeeded', b: 'failed', c: 'skipped', d: 'skipped' });
    const log = (await h.manager.readLog(run.id, 'b', 0, 100)).lines;
    expect(log.find((l) => l.stream === 'stderr')?.text).toBe('error: told to fail by its parameters');
  });

  it('marks a stage DVC found unchanged as cached', async () => {
    process.env.STAND_IN_UNCHANGED = 'a';
    try {
      h = createHarness({ dvcPath, settings: () => ({ useDvc: true }) });
      const run = await h.run(fixturePipeline({ a: { fail: 1 } }));
      expect(h.phases(run.id).a).toBe('cached');
    } finally {
      delete process.env.STAND_IN_UNCHANGED;
    }
  });
});
