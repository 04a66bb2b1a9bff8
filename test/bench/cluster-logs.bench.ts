/**
 * Cluster logs, from the emulated API server to the RunManager's subscribers (the path every line
 * takes to the UI): throughput while catching up on finished pods, latency of live lines from the
 * kubelet's write to delivery (p50 / p95), and the memory the back end holds for a 1,000,000-line log.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { KubeConfig } from '@kubernetes/client-node';
import { ArgoDriver } from '../../electron/services/kube/argoDriver.ts';
import { kubeConfigFor } from '../../electron/services/kube/kubeconfig.ts';
import { RunManager } from '../../electron/services/runs/manager.ts';
import type { RunTargetDriver } from '../../electron/services/runs/target.ts';
import { catalog } from '../../node-catalog/index.ts';
import { templateDocument } from '../../node-catalog/templates/index.ts';
import type { PipelineDocument } from '../../shared/pipeline/types.ts';
import type { LogLine } from '../../shared/runs/types.ts';
import { startKubeEmulator } from '../kube-emulator/index.ts';
import type { KubeEmulator } from '../kube-emulator/index.ts';

export interface BenchResult {
  name: string;
  value: number;
  unit: string;
}

/** `count` independent dataset nodes: as many pods logging at once. */
function fanOutDocument(count: number): PipelineDocument {
  const base = templateDocument('korean-llm-smoke')!;
  const corpus = base.nodes.find((n) => n.id === 'corpus')!;
  const nodes = Array.from({ length: count }, (_, i) => ({ ...corpus, id: `shard-${i + 1}`, position: { x: 0, y: i * 100 } }));
  return { ...base, name: 'log-bench', nodes, edges: [] };
}

/** A training log's mix: metric lines, tqdm redraws, Trainer dicts and plain lines. */
function stepLines(count: number, node: string): string[] {
  return Array.from({ length: count }, (_, i) => {
    switch (i % 4) {
      case 0:
        return `PIPEWRIGHT_METRIC {"step": ${i}, "loss": ${(3 - i / count).toFixed(4)}, "learning_rate": 0.0002}`;
      case 1:
        return `{'loss': ${(3 - i / count).toFixed(4)}, 'grad_norm': 0.91, 'learning_rate': 0.0002, 'epoch': ${(i / count).toFixed(3)}}`;
      case 2:
        return `${Math.floor((100 * i) / count)}%|████      | ${i}/${count} [00:10<00:20, 41.2it/s]`;
      default:
        return `${node}: 한국어 문장 ${i}을 처리했습니다 (tokens ${i * 7})`;
    }
  });
}

function manager(emulator: KubeEmulator, runsDir: string): RunManager {
  const base = new KubeConfig();
  base.loadFromFile(emulator.kubeconfigPath);
  return new RunManager({ runsDir, drivers: [new ArgoDriver({ catalog, kubeConfigFor: (c) => kubeConfigFor(base, c) })] });
}

function countLines(m: RunManager, onLine?: (line: LogLine, at: number) => void): { lines: number } {
  const counter = { lines: 0 };
  m.subscribe((e) => {
    if (e.kind !== 'log') return;
    counter.lines += e.lines.length;
    if (onLine) {
      const at = Date.now();
      for (const line of e.lines) onLine(line, at);
    }
  });
  return counter;
}

/** Catch-up: pods that logged while no back end watched are read at full speed after a restart. */
async function throughput(): Promise<BenchResult[]> {
  const emulator = await startKubeEmulator({ timeScale: 1 });
  const runsDir = mkdtempSync(path.join(os.tmpdir(), 'pw-bench-'));
  try {
    const shards = 16;
    const perShard = 6000;
    for (let i = 1; i <= shards; i++) emulator.controller.setStepBehavior({ step: `shard-${i}` }, { lines: stepLines(perShard, `shard-${i}`), lineIntervalMs: 0, startDelayMs: 0 });
    const first = manager(emulator, runsDir);
    const started = await first.startRun({ document: fanOutDocument(shards), target: 'argo', context: emulator.context, namespace: 'default' });
    await first.close();
    const name = (await first.getRun(started.id)).external!.workflowName!;
    for (;;) {
      const phase = (emulator.controller.get('workflows', 'default', name)?.status as { phase?: string } | undefined)?.phase;
      if (phase === 'Succeeded' || phase === 'Failed') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const second = manager(emulator, runsDir);
    let firstAt = 0;
    let lastAt = 0;
    const counter = countLines(second, (_line, at) => {
      firstAt ||= at;
      lastAt = at;
    });
    await second.reattachRuns();
    const done = await second.waitForRun(started.id);
    const seconds = (lastAt - firstAt) / 1000;
    await second.close();
    if (done.phase !== 'succeeded' || counter.lines !== shards * perShard) throw new Error(`catch-up run ended ${done.phase} with ${counter.lines} of ${shards * perShard} lines`);
    return [{ name: 'cluster-logs: lines per second, emulator to RunManager subscribers (16 finished pods read after a restart, first to last line)', value: Math.round(counter.lines / seconds), unit: 'lines/s' }];
  } finally {
    await emulator.close();
    rmSync(runsDir, { recursive: true, force: true });
  }
}

/** Milliseconds since the epoch of a kubelet timestamp (nanosecond digits cut to milliseconds). */
function epochMs(ts: string): number {
  return Date.parse(ts.replace(/(\.\d{3})\d*Z$/, '$1Z'));
}

/** Live: 4 pods writing a line every 5 ms; each line's delay from the kubelet's write to a subscriber. */
async function latency(): Promise<BenchResult[]> {
  const emulator = await startKubeEmulator({ timeScale: 1 });
  const runsDir = mkdtempSync(path.join(os.tmpdir(), 'pw-bench-'));
  try {
    for (let i = 1; i <= 4; i++) emulator.controller.setStepBehavior({ step: `shard-${i}` }, { lines: stepLines(600, `shard-${i}`), lineIntervalMs: 5 });
    const m = manager(emulator, runsDir);
    const delays: number[] = [];
    countLines(m, (line, at) => delays.push(at - epochMs(line.ts)));
    const started = await m.startRun({ document: fanOutDocument(4), target: 'argo', context: emulator.context, namespace: 'default' });
    await m.waitForRun(started.id);
    await m.close();
    delays.sort((a, b) => a - b);
    const at = (q: number) => delays[Math.min(delays.length - 1, Math.floor(q * delays.length))];
    return [
      { name: 'cluster-logs: latency p50, kubelet write to RunManager subscriber (4 pods, a line each 5 ms)', value: at(0.5), unit: 'ms' },
      { name: 'cluster-logs: latency p95, kubelet write to RunManager subscriber (4 pods, a line each 5 ms)', value: at(0.95), unit: 'ms' },
    ];
  } finally {
    await emulator.close();
    rmSync(runsDir, { recursive: true, force: true });
  }
}

function collectGarbage(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

function heapMiB(gc: () => void): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

/** One node logs 1,000,000 lines through the RunManager; the heap it holds meanwhile and afterwards. */
async function memory(): Promise<BenchResult[]> {
  const gc = collectGarbage();
  const runsDir = mkdtempSync(path.join(os.tmpdir(), 'pw-bench-'));
  const total = 1_000_000;
  const batch = 1000;
  let baseline = 0;
  let peak = 0;
  let finishPump!: () => void;
  const pumped = new Promise<void>((resolve) => (finishPump = resolve));
  const driver: RunTargetDriver = {
    target: 'argo',
    compile: async () => ({}),
    async start(ctx) {
      void (async () => {
        const text = stepLines(batch, 'cpt');
        for (let seq = 0; seq < total; seq += batch) {
          const ts = new Date().toISOString();
          ctx.emit({ kind: 'log', runId: ctx.record.id, nodeId: 'cpt', lines: text.map((t, i) => ({ seq: seq + i + 1, ts, text: t })) });
          // As a real follow does, wait for the history to take each few batches (logTail flushes).
          if ((seq / batch) % 50 === 49) await ctx.logTail('cpt', 1);
          // Heap after the first 10,000 lines (first-use allocations done), then its peak every 100,000.
          if (seq + batch === 10_000) baseline = heapMiB(gc);
          else if ((seq + batch) % 100_000 === 0) peak = Math.max(peak, heapMiB(gc) - baseline);
        }
        await ctx.logTail('cpt', 1);
        finishPump();
      })();
      return { cancel: async () => {}, detach: async () => {} };
    },
    reattach: async () => null,
  };
  const m = new RunManager({ runsDir, drivers: [driver] });
  try {
    const counter = countLines(m);
    const started = await m.startRun({ document: templateDocument('korean-llm-smoke')!, target: 'argo' });
    await pumped;
    const last = await m.readLog(started.id, 'cpt', total - 5, 10);
    if (counter.lines !== total || last.lastSeq !== total) throw new Error(`delivered ${counter.lines} lines, history ends at ${last.lastSeq}`);
    return [{ name: 'cluster-logs: heap growth while a node logs 1,000,000 lines (RunManager, peak after the first 10,000)', value: Math.round(peak * 10) / 10, unit: 'MiB' }];
  } finally {
    await m.close();
    rmSync(runsDir, { recursive: true, force: true });
  }
}

export async function run(): Promise<BenchResult[]> {
  return [...(await throughput()), ...(await latency()), ...(await memory())];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await run()) console.log(`${r.name}: ${r.value} ${r.unit}`);
}
