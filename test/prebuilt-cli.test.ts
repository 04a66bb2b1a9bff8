/**
 * The prebuilt CLI (scripts/build-cli.mjs → dist/cli): what bin/pipewright.mjs runs while it is newer
 * than the sources. It answers as the TypeScript sources do, starts in well under 0.3 s of CPU, and a
 * source file newer than the build makes it stale.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain ES module script without types
import { buildCli, cliSourcesNewest, prebuiltCliIsFresh } from '../scripts/build-cli.mjs';
import { serializePipeline } from '../shared/pipeline/load.ts';
import { fixturePipeline } from './fixtures/run-pipelines.ts';
import { timeCommand } from './bench/cli-start.bench.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = path.join(ROOT, 'bin', 'pipewright.mjs');
let dir: string;

function pipewright(args: string[], fromSources: boolean) {
  const env = { ...process.env, PIPEWRIGHT_CLI_FROM_SOURCES: fromSources ? '1' : '0', PIPEWRIGHT_DATA_DIR: path.join(dir, 'data') };
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, env, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'pw-prebuilt-'));
  await (buildCli as () => Promise<void>)();
  const bad = fixturePipeline({ b: { value: Number.NaN } });
  writeFileSync(path.join(dir, 'ok.pipewright.json'), serializePipeline(fixturePipeline()));
  writeFileSync(path.join(dir, 'bad.pipewright.json'), serializePipeline(bad).replace('"sleep": 0', '"sleep": "x"'));
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the prebuilt CLI', () => {
  it('is fresh right after the build', () => {
    expect((prebuiltCliIsFresh as (base?: string) => boolean)()).toBe(true);
  });

  it.each([[['--help']], [['validate', 'ok.pipewright.json']], [['validate', 'bad.pipewright.json']], [['compile', '--help']], [['nosuch']], [['runs']]])(
    'answers %j exactly as the TypeScript sources do',
    (args) => {
      const built = pipewright(args, false);
      const sources = pipewright(args, true);
      expect(built).toEqual(sources);
    },
    60_000,
  );

  it('starts `pipewright --help` in well under 0.3 s of CPU (median of 3)', () => {
    const cpu = [0, 1, 2].map(() => timeCommand([process.execPath, BIN, '--help'], dir).cpu).sort((a, b) => a - b)[1];
    expect(cpu).toBeLessThan(0.3);
  });
});

describe('freshness', () => {
  it('a source file newer than the build makes it stale; test files do not', () => {
    const base = mkdtempSync(path.join(os.tmpdir(), 'pw-fresh-'));
    try {
      for (const d of ['electron/cli', 'shared', 'node-catalog', 'dist/cli']) mkdirSync(path.join(base, d), { recursive: true });
      writeFileSync(path.join(base, 'package.json'), '{}');
      writeFileSync(path.join(base, 'electron/cli/main.ts'), '');
      writeFileSync(path.join(base, 'dist/cli/main.mjs'), '');
      const old = new Date(Date.now() - 60_000);
      for (const f of ['package.json', 'electron/cli/main.ts']) utimesSync(path.join(base, f), old, old);
      const fresh = () => (prebuiltCliIsFresh as (base?: string) => boolean)(base);
      expect(fresh()).toBe(false);
      writeFileSync(path.join(base, 'dist/cli/stamp.json'), JSON.stringify({ sourcesAt: (cliSourcesNewest as (base?: string) => number)(base) }));
      expect(fresh()).toBe(true);
      writeFileSync(path.join(base, 'shared/thing.test.ts'), '');
      expect(fresh()).toBe(true);
      writeFileSync(path.join(base, 'shared/thing.ts'), '');
      expect(fresh()).toBe(false);
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });
});
