/**
 * The whole path a user watches, in headless Chromium: the Kubernetes API emulator's kubelet writes a line
 * → Argo driver → RunManager → browser-mode server → WebSocket /api/events → the renderer's transport →
 * the run panel's log view (following). Latency p50 / p95 from the kubelet's timestamp to the line
 * arriving in the page and to it being in the log view's DOM, and lines/s during a 50,000-line burst.
 */
import { chromium } from '@playwright/test';
import type { Page } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer } from '../../electron/server/server.ts';
import { createRunsService } from '../../electron/services/runsService.ts';
import { templateDocument } from '../../node-catalog/templates/index.ts';
import type { PipelineDocument } from '../../shared/pipeline/types.ts';
import { CHROMIUM_ARGS } from '../../playwright.config.ts';
import { buildIfNeeded, staticDir } from '../e2e/buildRenderer.ts';
import { startKubeEmulator } from '../kube-emulator/index.ts';

interface Figure {
  name: string;
  value: number;
  unit: string;
}

const LIVE_LINES = 1500;
const LIVE_INTERVAL_MS = 5;
const BURST_LINES = 50_000;

/** Two independent dataset pods: `live` logs a line every 5 ms, then `burst` writes 50,000 lines at once. */
function benchDocument(): PipelineDocument {
  const base = templateDocument('korean-llm-smoke')!;
  const corpus = base.nodes.find((n) => n.id === 'corpus')!;
  const nodes = ['live', 'burst'].map((id, i) => ({ ...corpus, id, label: id, position: { x: 0, y: i * 160 } }));
  return { ...base, name: 'ui-latency-bench', nodes, edges: [] };
}

function lines(count: number, node: string): string[] {
  return Array.from({ length: count }, (_, i) => (i % 4 === 0 ? `PIPEWRIGHT_METRIC {"step": ${i}, "loss": ${(3 - i / count).toFixed(4)}}` : `${node}: 한국어 문장 ${i}을 처리했습니다 (tokens ${i * 7})`));
}

/**
 * Page side, before the app loads: every WebSocket message kept raw with its arrival time (parsed only
 * afterwards, so the probe adds no work while lines flow), and each change of a log view's data-total.
 */
const PROBE = `(() => {
  const messages = [];
  const totals = [];
  window.__uiBench = { messages, totals };
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (m) => messages.push([Date.now(), m.data]));
    }
  };
  new MutationObserver((records) => {
    const at = Date.now();
    for (const r of records) totals.push([at, Number(r.target.getAttribute('data-total'))]);
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-total'] });
})()`;

interface Probe {
  messages: [number, string][];
  totals: [number, number][];
}

interface Arrival {
  nodeId: string;
  seq: number;
  writtenMs: number;
  arrivedMs: number;
}

/** Milliseconds since the epoch of a kubelet timestamp (nanosecond digits cut to milliseconds). */
function epochMs(ts: string): number {
  return Date.parse(ts.replace(/(\.\d{3})\d*Z$/, '$1Z'));
}

function arrivalsOf(probe: Probe): Arrival[] {
  const out: Arrival[] = [];
  for (const [arrivedMs, data] of probe.messages) {
    const message = JSON.parse(data) as { type: string; event?: { kind: string; nodeId: string; lines: { seq: number; ts: string }[] } };
    if (message.type !== 'run' || message.event?.kind !== 'log') continue;
    for (const line of message.event.lines) out.push({ nodeId: message.event.nodeId, seq: line.seq, writtenMs: epochMs(line.ts), arrivedMs });
  }
  return out;
}

/** When the log view first showed at least `seq` lines, for each seq (totals are non-decreasing per view). */
function shownAt(totals: [number, number][], seq: number): number | undefined {
  let lo = 0;
  let hi = totals.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (totals[mid][1] >= seq) hi = mid;
    else lo = mid + 1;
  }
  return totals[lo]?.[0];
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

async function showNode(page: Page, nodeId: string): Promise<void> {
  const item = page.locator(`.run-nodes li[data-node-id="${nodeId}"]`);
  await item.click({ timeout: 60_000 });
  await page.locator(`.run-nodes li[data-node-id="${nodeId}"][aria-selected="true"]`).waitFor();
  await page.locator(`.log-view[aria-label*="${nodeId}"]`).waitFor();
}

async function poll(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function logTotal(page: Page): Promise<number> {
  return Number((await page.locator('.log-view').getAttribute('data-total')) ?? 0);
}

/** Starts the run from the Run dialog, as a person does: Argo Workflows on the emulator's context. */
async function startRunFromUi(page: Page): Promise<void> {
  await page.locator('[data-action="run.start"]').click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('radio', { name: /Argo Workflows/ }).check();
  await dialog.getByLabel('Namespace').fill('default');
  await dialog.getByLabel('Namespace').press('Enter');
  await dialog.waitFor({ state: 'hidden' });
}

export async function run(): Promise<Figure[]> {
  buildIfNeeded();
  const emulator = await startKubeEmulator({ timeScale: 1 });
  emulator.controller.setStepBehavior({ step: 'live' }, { lines: lines(LIVE_LINES, 'live'), lineIntervalMs: LIVE_INTERVAL_MS, startDelayMs: 4000 });
  // The burst starts once the live log is over (4 s + 1,500 × 5 ms) and the view has moved to it.
  emulator.controller.setStepBehavior({ step: 'burst' }, { lines: lines(BURST_LINES, 'burst'), lineIntervalMs: 0, startDelayMs: 16_000 });
  const dataDir = mkdtempSync(path.join(tmpdir(), 'pipewright-bench-'));
  const savedKubeconfig = process.env.KUBECONFIG;
  process.env.KUBECONFIG = emulator.kubeconfigPath;
  const runs = createRunsService({ dataDir, clusterTargets: ['argo'] });
  await runs.ready;
  const server = await startServer({ dataDir, staticDir, runs: runs.manager });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.on('dialog', (d) => void d.accept());
    await page.addInitScript(PROBE);
    await page.goto(server.url);
    await page.locator('.react-flow__pane').waitFor();
    await page.evaluate(`window.pipewright_debug.loadDocument(${JSON.stringify(benchDocument())})`);
    await startRunFromUi(page);

    await showNode(page, 'live');
    await poll('the live log to end', 60_000, async () => (await logTotal(page)) >= LIVE_LINES);
    await showNode(page, 'burst');
    const burstShownAt = Date.now();
    await poll('the burst to reach the log view', 120_000, async () => (await logTotal(page)) >= BURST_LINES);
    const probe = (await page.evaluate('window.__uiBench')) as Probe;

    const arrivals = arrivalsOf(probe);
    const live = arrivals.filter((a) => a.nodeId === 'live');
    const burst = arrivals.filter((a) => a.nodeId === 'burst');
    if (live.length !== LIVE_LINES || burst.length !== BURST_LINES) throw new Error(`the page received ${live.length} live and ${burst.length} burst lines`);
    // Totals of the view while it showed `live` (before the switch), then while it showed `burst`.
    const liveTotals = probe.totals.filter(([at]) => at < burstShownAt);
    const burstTotals = probe.totals.filter(([at]) => at >= burstShownAt);
    const toPage = live.map((a) => a.arrivedMs - a.writtenMs);
    const toDom = live.map((a) => (shownAt(liveTotals, a.seq) ?? NaN) - a.writtenMs).filter((d) => Number.isFinite(d));
    if (toDom.length < LIVE_LINES * 0.9) throw new Error(`only ${toDom.length} of ${LIVE_LINES} live lines were seen in the log view`);
    const burstFirst = Math.min(...burst.map((a) => a.arrivedMs));
    const burstLast = Math.max(...burst.map((a) => a.arrivedMs));
    const burstInDom = shownAt(burstTotals, BURST_LINES)!;
    const rate = (ms: number) => Math.round(BURST_LINES / (Math.max(ms, 1) / 1000));
    const live_ = `(1 pod, a line each ${LIVE_INTERVAL_MS} ms, Argo driver, browser mode, Chromium)`;
    return [
      { name: `ui-latency: p50, kubelet write to the renderer's WebSocket ${live_}`, value: percentile(toPage, 50), unit: 'ms' },
      { name: `ui-latency: p95, kubelet write to the renderer's WebSocket ${live_}`, value: percentile(toPage, 95), unit: 'ms' },
      { name: `ui-latency: p50, kubelet write to the following log view's DOM ${live_}`, value: percentile(toDom, 50), unit: 'ms' },
      { name: `ui-latency: p95, kubelet write to the following log view's DOM ${live_}`, value: percentile(toDom, 95), unit: 'ms' },
      { name: "ui-latency: burst lines/s delivered to the renderer's WebSocket (50,000 lines written at once, first to last)", value: rate(burstLast - burstFirst), unit: 'lines/s' },
      { name: "ui-latency: burst lines/s into the following log view (first line in the page to data-total = 50,000)", value: rate(burstInDom - burstFirst), unit: 'lines/s' },
    ];
  } finally {
    await browser.close();
    await Promise.allSettled([runs.manager.close(), server.close()]);
    await emulator.close();
    if (savedKubeconfig === undefined) delete process.env.KUBECONFIG;
    else process.env.KUBECONFIG = savedKubeconfig;
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await run()) console.log(`${r.name}: ${r.value} ${r.unit}`);
  process.exit(0);
}
