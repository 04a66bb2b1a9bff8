/**
 * The local runner's overhead: a chain of trivial Python stages run by Pipewright (compile, run
 * history, log parsing, events; stage cache off, then on) against the very same stage commands run
 * one after another by plain `sh` (one `sh -c` script, `set -e`, same dependency order). Trivial stages, so the
 * runner's own cost dominates. 21 rounds after a warm-up run of each; each round runs the three back
 * to back, in a rotating order, so a noisy neighbour hits them alike. The ratios are the median of the
 * rounds' own ratios (each against the plain-sh run of its round): machine load that drifts between
 * rounds cancels out, where a ratio of medians would mix rounds run under different loads. With 11
 * rounds the same code gave ratios up to 0.05 apart from one invocation to the next on a 2-vCPU machine.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, promises as fs, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LocalDriver } from '../../electron/services/local/driver.ts';
import { readStages } from '../../electron/services/local/stages.ts';
import { RunManager } from '../../electron/services/runs/manager.ts';
import { catalog } from '../../node-catalog/index.ts';
import { compileDvc } from '../../shared/compile/dvc.ts';
import type { PipelineDocument } from '../../shared/pipeline/types.ts';
import { FIXTURE_STEP } from '../fixtures/run-pipelines.ts';
import type { BenchResult } from './logparse.bench.ts';

const STAGES = 8;
const RUNS = 21;

function chain(length: number, salt: number): PipelineDocument {
  const param = (name: string) => ({ name, type: 'number' as const, title: { en: name, ko: name }, help: { en: name, ko: name } });
  const nodes = Array.from({ length }, (_, i) => ({
    id: `s${i}`,
    type: 'python',
    position: { x: 0, y: i * 100 },
    params: { value: salt },
    code: FIXTURE_STEP,
    interface: {
      inputs: i === 0 ? [] : [{ name: 'in', kind: 'dataset' as const }],
      outputs: [{ name: 'out', kind: 'dataset' as const }],
      parameters: [param('value')],
    },
  }));
  const edges = nodes.slice(1).map((n, i) => ({ id: `e${i}`, source: `s${i}`, sourceHandle: 'out', target: n.id, targetHandle: 'in' }));
  return { format: 'pipewright.pipeline/v2', name: 'bench-chain', nodes, edges };
}

async function plainSh(doc: PipelineDocument, dir: string): Promise<number> {
  const files = compileDvc(doc, catalog);
  const workspace = await fs.mkdtemp(path.join(dir, 'sh-'));
  for (const [name, text] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(workspace, name)), { recursive: true });
    await fs.writeFile(path.join(workspace, name), text);
  }
  const script = ['set -e', ...readStages(files['dvc.yaml']).map((s) => s.cmd)].join('\n');
  const start = performance.now();
  execFileSync('sh', ['-c', script], { cwd: workspace, env: { ...process.env, PATH: `/usr/bin:${process.env.PATH}` }, stdio: 'ignore' });
  return performance.now() - start;
}

async function pipewright(manager: RunManager, doc: PipelineDocument): Promise<number> {
  const start = performance.now();
  const { id } = await manager.startRun({ document: doc, target: 'local' });
  const done = await manager.waitForRun(id);
  if (done.phase !== 'succeeded') throw new Error(`bench run ${id} ${done.phase}: ${done.message}`);
  return performance.now() - start;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function run(): Promise<BenchResult[]> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pw-bench-local-'));
  const managerFor = (cache: boolean) =>
    new RunManager({
      runsDir: path.join(dir, `runs-${cache}`),
      drivers: [new LocalDriver({ dataDir: path.join(dir, `data-${cache}`), catalog, gpuIds: [], cache, settings: () => ({ pythonPath: '/usr/bin/python3', concurrency: 1 }) })],
    });
  const uncached = managerFor(false);
  const cached = managerFor(true);
  try {
    const sh: number[] = [];
    const off: number[] = [];
    const on: number[] = [];
    await pipewright(uncached, chain(STAGES, -1));
    await pipewright(cached, chain(STAGES, -1));
    await plainSh(chain(STAGES, -1), dir);
    for (let i = 0; i < RUNS; i++) {
      const measures = [
        async () => sh.push(await plainSh(chain(STAGES, i), dir)),
        async () => off.push(await pipewright(uncached, chain(STAGES, i))),
        // A new parameter value each time: every stage runs, and is hashed and stored in the cache.
        async () => on.push(await pipewright(cached, chain(STAGES, i))),
      ];
      for (let j = 0; j < measures.length; j++) await measures[(i + j) % measures.length]();
    }
    const base = median(sh);
    const ratio = (xs: number[]) => Number(median(xs.map((x, i) => x / sh[i])).toFixed(2));
    return [
      { name: `local runner: ${STAGES} trivial stages in plain sh (median of ${RUNS})`, value: Math.round(base), unit: 'ms' },
      { name: `local runner: same stages through Pipewright, cache off (median of ${RUNS})`, value: Math.round(median(off)), unit: 'ms' },
      { name: `local runner: same stages through Pipewright, cache on (median of ${RUNS})`, value: Math.round(median(on)), unit: 'ms' },
      { name: 'local runner: overhead ratio vs plain sh, cache off', value: ratio(off), unit: 'x' },
      { name: 'local runner: overhead ratio vs plain sh, cache on (hash and store every output)', value: ratio(on), unit: 'x' },
    ];
  } finally {
    await uncached.close();
    await cached.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await run()) console.log(`${r.name}: ${r.value} ${r.unit}`);
}
