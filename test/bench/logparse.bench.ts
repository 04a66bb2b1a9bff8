/**
 * Log parser throughput: lines per second through LogStreamParser (the path every target's logs
 * take), on a realistic mix: an Unsloth/TRL log with tqdm redraws and Trainer dicts, the tiny
 * engine's protocol lines, and the same with Kubernetes timestamps. Target: 200k lines/s.
 */
import { readFileSync } from 'node:fs';
import { LogStreamParser } from '../../shared/runs/parseStream.ts';

export interface BenchResult {
  name: string;
  value: number;
  unit: string;
}

const fixture = (name: string) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8');

/** About `lines` lines of mixed output, cut into 16 KiB chunks as a pipe delivers them. */
export function benchCorpus(lines: number): { chunks: string[]; lines: number } {
  const sources = [fixture('run-unsloth-sft.log'), fixture('run-tiny-cpt.log'), fixture('run-tiny-cpt.k8s.log')];
  const plain = Array.from({ length: 200 }, (_, i) => `INFO 2026-11-28 10:00:${String(i % 60).padStart(2, '0')} worker ${i}: processed shard ${i} of 200 (ok)\n`).join('');
  const unit = sources.join('') + plain;
  const perUnit = unit.split('\n').length - 1;
  const text = unit.repeat(Math.ceil(lines / perUnit));
  const chunks: string[] = [];
  for (let i = 0; i < text.length; i += 16384) chunks.push(text.slice(i, i + 16384));
  return { chunks, lines: perUnit * Math.ceil(lines / perUnit) };
}

function parseAll(chunks: string[]): number {
  const parser = new LogStreamParser({ runId: 'bench', nodeId: 'sft' });
  let events = 0;
  for (const chunk of chunks) events += parser.push(chunk).length;
  return events + parser.end().length;
}

export async function run(): Promise<BenchResult[]> {
  const corpus = benchCorpus(300_000);
  parseAll(corpus.chunks.slice(0, 20));
  const rates: number[] = [];
  for (let i = 0; i < 5; i++) {
    const start = performance.now();
    parseAll(corpus.chunks);
    rates.push(corpus.lines / ((performance.now() - start) / 1000));
  }
  rates.sort((a, b) => a - b);
  return [{ name: 'logparse: lines per second (LogStreamParser, mixed training log, median of 5)', value: Math.round(rates[2]), unit: 'lines/s' }];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await run()) console.log(`${r.name}: ${r.value} ${r.unit}`);
}
