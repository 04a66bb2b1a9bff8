/**
 * How fast `pipewright` starts: `pipewright --help` and `pipewright validate` on a small pipeline
 * (the prebuilt CLI in dist/cli, rebuilt first when stale) against `node -e 0`, wall and CPU time
 * (user + sys, from bash's `time`), medians of 9, in alternating order.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serializePipeline } from '../../shared/pipeline/load.ts';
import { fixturePipeline } from '../fixtures/run-pipelines.ts';
import type { BenchResult } from './logparse.bench.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const RUNS = 9;

/** Wall and CPU seconds of one command, measured by bash's `time`. */
export function timeCommand(argv: string[], cwd = ROOT, env: NodeJS.ProcessEnv = process.env): { wall: number; cpu: number } {
  const quoted = argv.map((a) => `'${a.replace(/'/g, `'"'"'`)}'`).join(' ');
  const out = execFileSync('bash', ['-c', `TIMEFORMAT='%3R %3U %3S'; { time ${quoted} >/dev/null 2>&1; } 2>&1`], { cwd, env, encoding: 'utf8' });
  const [wall, user, sys] = out.trim().split(/\s+/).slice(-3).map(Number);
  return { wall, cpu: user + sys };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function run(): Promise<BenchResult[]> {
  execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build-cli.mjs')], { cwd: ROOT, stdio: 'inherit' });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pw-bench-cli-'));
  const file = path.join(dir, 'fixture.pipewright.json');
  writeFileSync(file, serializePipeline(fixturePipeline()));
  const bin = path.join(ROOT, 'bin', 'pipewright.mjs');
  const commands = {
    node: [process.execPath, '-e', '0'],
    help: [process.execPath, bin, '--help'],
    validate: [process.execPath, bin, 'validate', file],
  };
  const times: Record<keyof typeof commands, { wall: number; cpu: number }[]> = { node: [], help: [], validate: [] };
  try {
    const names = Object.keys(commands) as (keyof typeof commands)[];
    for (let i = 0; i < RUNS; i++) for (let j = 0; j < names.length; j++) {
      const name = names[(i + j) % names.length];
      times[name].push(timeCommand(commands[name], dir));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const m = (name: keyof typeof commands, k: 'wall' | 'cpu') => median(times[name].map((t) => t[k]));
  const ms = (s: number) => Math.round(s * 1000);
  return [
    { name: `cli start: node -e 0, wall (median of ${RUNS})`, value: ms(m('node', 'wall')), unit: 'ms' },
    { name: `cli start: pipewright --help, wall (median of ${RUNS})`, value: ms(m('help', 'wall')), unit: 'ms' },
    { name: `cli start: pipewright --help, CPU (median of ${RUNS}; goal under 300 ms)`, value: ms(m('help', 'cpu')), unit: 'ms' },
    { name: 'cli start: pipewright --help vs node -e 0, wall ratio', value: Number((m('help', 'wall') / m('node', 'wall')).toFixed(2)), unit: 'x' },
    { name: 'cli start: pipewright --help vs node -e 0, CPU ratio', value: Number((m('help', 'cpu') / Math.max(0.001, m('node', 'cpu'))).toFixed(2)), unit: 'x' },
    { name: `cli start: pipewright validate (4 nodes), CPU (median of ${RUNS})`, value: ms(m('validate', 'cpu')), unit: 'ms' },
    { name: 'cli start: pipewright validate vs node -e 0, wall ratio', value: Number((m('validate', 'wall') / m('node', 'wall')).toFixed(2)), unit: 'x' },
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await run()) console.log(`${r.name}: ${r.value} ${r.unit}`);
}
