/**
 * Canvas with 1,000 nodes / 1,200 edges in headless Chromium (browser mode): time to first render,
 * p95 frame time while dragging a node (zoomed in, and with the whole graph in view), JS heap, and the
 * renderer's initial JS (what index.html loads; Monaco is a lazy chunk and not part of it).
 * Beside it, in the same run and browser, the peer: the same graph in a plain React Flow page with its
 * default nodes (test/bench/peer), measured the same way; the ratios say how Pipewright's canvas compares.
 * The two take turns CANVAS_BENCH_REPS times (default 3); every figure is the median over the repetitions.
 */
import { chromium } from '@playwright/test';
import type { Page } from '@playwright/test';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';
import react from '@vitejs/plugin-react';
import { startServer } from '../../electron/server/server.ts';
import { CHROMIUM_ARGS } from '../../playwright.config.ts';
import { buildIfNeeded, staticDir } from '../e2e/buildRenderer.ts';
import { largePipeline } from './canvasGraph.ts';
import { grabPoint, installFrameProbe, outAndBack } from './dragProbe.ts';

interface Figure {
  name: string;
  value: number;
  unit: string;
}

const round = (v: number, digits = 1) => Number(v.toFixed(digits));

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Bytes of the scripts index.html loads at start (entry + modulepreloads), raw and gzipped. */
export function initialScriptBytes(dir = staticDir): { raw: number; gzip: number; files: string[] } {
  const html = readFileSync(path.join(dir, 'index.html'), 'utf8');
  const files = [...html.matchAll(/(?:src|href)="\.\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]);
  let raw = 0;
  let gzip = 0;
  for (const f of files) {
    const bytes = readFileSync(path.join(dir, f));
    raw += statSync(path.join(dir, f)).size;
    gzip += gzipSync(bytes).length;
  }
  return { raw, gzip, files };
}

async function dragNode(page: Page, id: string, moves: number): Promise<number[]> {
  await page.evaluate('window.__frames = []');
  const { x, y } = await grabPoint(page, id);
  await page.mouse.move(x, y);
  await page.mouse.down();
  const transform = `document.querySelector('.react-flow__node[data-id="${id}"]').style.transform`;
  const start = await page.evaluate(transform);
  let moved = false;
  for (let i = 1; i <= moves; i++) {
    const to = outAndBack(x, y, i, moves);
    await page.mouse.move(to.x, to.y);
    // Halfway (120 px out) the node must have moved: a drag that moves nothing would measure nothing.
    if (i === moves / 2) moved = (await page.evaluate(transform)) !== start;
  }
  await page.mouse.up();
  await page.waitForTimeout(100);
  if (!moved) throw new Error(`dragging ${id} did not move it`);
  const frames = (await page.evaluate('window.__frames')) as number[];
  return frames.slice(5);
}

async function p95OfRounds(page: Page, id: string, rounds: number): Promise<{ p95: number; p50: number }> {
  const p95s: number[] = [];
  const p50s: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const frames = await dragNode(page, id, 60);
    p95s.push(percentile(frames, 95));
    p50s.push(percentile(frames, 50));
  }
  return { p95: percentile(p95s, 50), p50: percentile(p50s, 50) };
}

const PEER_ORIGIN = 'http://peer.bench';

/** Builds the peer page (plain React Flow) into a temporary folder. */
async function buildPeer(outDir: string): Promise<void> {
  await build({
    root: path.join(import.meta.dirname, 'peer'),
    base: './',
    plugins: [react()],
    logLevel: 'warn',
    configFile: false,
    build: { outDir, emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 5000 },
  });
}

/** Time until 99 % of the nodes are shown (React Flow hides a node until it is measured), then two frames. */
const FIRST_RENDER = (load: string) => `new Promise((resolve) => {
  const start = performance.now();
  ${load};
  const total = window.__benchDoc.nodes.length;
  function check() {
    const shown = document.querySelectorAll('.react-flow__node:not([style*="visibility: hidden"])').length;
    if (shown >= total * 0.99 || performance.now() - start > 30000) {
      requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - start)));
    } else setTimeout(check, 20);
  }
  check();
})`;

interface CanvasFigures {
  firstRender: number;
  allInView: { p95: number; p50: number };
  zoomedIn: { p95: number; p50: number };
}

/** The peer's figures: first render, then the same drags as Pipewright's at the same two zooms. */
async function measurePeer(page: Page, dir: string, doc: ReturnType<typeof largePipeline>): Promise<CanvasFigures> {
  await page.route(`${PEER_ORIGIN}/**`, (route) => {
    const file = path.join(dir, new URL(route.request().url()).pathname);
    const type = file.endsWith('.js') ? 'text/javascript' : file.endsWith('.css') ? 'text/css' : 'text/html';
    return route.fulfill({ body: readFileSync(file), contentType: type });
  });
  await page.goto(`${PEER_ORIGIN}/index.html`);
  await page.locator('.react-flow__pane').waitFor();
  const graph = { nodes: doc.nodes.map((n) => ({ id: n.id, position: n.position })), edges: doc.edges.map((e) => ({ id: e.id, source: e.source, target: e.target })) };
  await page.evaluate(`window.__benchDoc = ${JSON.stringify(graph)}`);
  const firstRender = (await page.evaluate(FIRST_RENDER('window.peer.load(window.__benchDoc)'))) as number;
  await page.waitForTimeout(1500);
  await installFrameProbe(page);
  const allInView = await p95OfRounds(page, 'prep-211', 3);
  await page.evaluate('window.peer.setViewport({ x: 0, y: 0, zoom: 1 })');
  await page.waitForTimeout(500);
  const zoomedIn = await p95OfRounds(page, 'data-1', 3);
  return { firstRender, allInView, zoomedIn };
}

/** Repetitions of the whole measurement (each side's figures are medians over them). */
const REPS = Number(process.env.CANVAS_BENCH_REPS ?? 3);

/** Pipewright's figures in a fresh page: first render, drags all in view and at zoom 1, heap after GC. */
async function measurePipewright(page: Page, url: string, doc: ReturnType<typeof largePipeline>): Promise<CanvasFigures & { heap: number }> {
  await page.goto(url);
  await page.locator('.react-flow__pane').waitFor();
  // First render: load the document; done when every node (all in view after fit) is shown.
  // (Page-side code as text: the bench runs through tsx, whose name helpers do not exist in the page.)
  await page.evaluate(`window.__benchDoc = ${JSON.stringify(doc)}`);
  const firstRender = (await page.evaluate(FIRST_RENDER('window.pipewright_debug.loadDocument(window.__benchDoc)'))) as number;
  await page.waitForTimeout(1500);
  await installFrameProbe(page);
  // Three drags each; the median of their p95s keeps one noisy moment from deciding.
  const allInView = await p95OfRounds(page, 'prep-211', 3);
  // At a working zoom only what is on screen renders (onlyRenderVisibleElements).
  await page.evaluate('window.pipewright_debug.setViewport({ x: 0, y: 0, zoom: 1 })');
  await page.waitForTimeout(500);
  const zoomedIn = await p95OfRounds(page, 'data-1', 3);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const heap = ((await cdp.send('Runtime.getHeapUsage')) as { usedSize: number }).usedSize;
  return { firstRender, allInView, zoomedIn, heap };
}

export async function run(): Promise<Figure[]> {
  buildIfNeeded();
  const peerDir = mkdtempSync(path.join(tmpdir(), 'pipewright-bench-peer-'));
  await buildPeer(peerDir);
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: [...CHROMIUM_ARGS, '--enable-precise-memory-info'] });
  try {
    const doc = largePipeline();
    // Pipewright and the peer take turns, each in a fresh page, REPS times; each figure is the median of its
    // repetitions, so a busy moment on a shared machine neither decides a figure nor falls on one side only.
    const ours: (CanvasFigures & { heap: number })[] = [];
    const peers: CanvasFigures[] = [];
    for (let rep = 0; rep < REPS; rep++) {
      // A back end with an empty data folder each time: the last page's draft would be offered for restore.
      const dataDir = mkdtempSync(path.join(tmpdir(), 'pipewright-bench-'));
      const server = await startServer({ dataDir, staticDir });
      try {
        const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
        ours.push(await measurePipewright(page, server.url, doc));
        await page.close();
      } finally {
        await server.close();
        rmSync(dataDir, { recursive: true, force: true });
      }
      const peerPage = await browser.newPage({ viewport: { width: 1440, height: 900 } });
      peers.push(await measurePeer(peerPage, peerDir, doc));
      await peerPage.close();
    }
    const med = (values: number[]) => percentile(values, 50);
    const summary = (all: CanvasFigures[]) => ({
      firstRender: med(all.map((f) => f.firstRender)),
      allInView: { p95: med(all.map((f) => f.allInView.p95)), p50: med(all.map((f) => f.allInView.p50)) },
      zoomedIn: { p95: med(all.map((f) => f.zoomedIn.p95)), p50: med(all.map((f) => f.zoomedIn.p50)) },
    });
    const { firstRender, allInView, zoomedIn } = summary(ours);
    const heap = { usedSize: med(ours.map((f) => f.heap)) };
    const peer = summary(peers);
    const scripts = initialScriptBytes();
    const ratio = (a: number, b: number) => round(a / b, 2);
    return [
      { name: 'canvas 1000 nodes: first render', value: round(firstRender, 0), unit: 'ms' },
      { name: 'canvas 1000 nodes: drag frame p95 (zoom 1)', value: round(zoomedIn.p95), unit: 'ms' },
      { name: 'canvas 1000 nodes: drag frame p50 (zoom 1)', value: round(zoomedIn.p50), unit: 'ms' },
      { name: 'canvas 1000 nodes: drag frame p95 (all in view)', value: round(allInView.p95), unit: 'ms' },
      { name: 'canvas 1000 nodes: JS heap', value: round(heap.usedSize / 2 ** 20), unit: 'MiB' },
      { name: 'renderer initial JS (Monaco excluded)', value: round(scripts.raw / 1024, 0), unit: 'KiB' },
      { name: 'renderer initial JS gzipped (Monaco excluded)', value: round(scripts.gzip / 1024, 0), unit: 'KiB' },
      { name: 'peer (plain React Flow) 1000 nodes: first render', value: round(peer.firstRender, 0), unit: 'ms' },
      { name: 'peer (plain React Flow) 1000 nodes: drag frame p95 (zoom 1)', value: round(peer.zoomedIn.p95), unit: 'ms' },
      { name: 'peer (plain React Flow) 1000 nodes: drag frame p95 (all in view)', value: round(peer.allInView.p95), unit: 'ms' },
      { name: 'canvas vs plain React Flow: first render', value: ratio(firstRender, peer.firstRender), unit: 'x' },
      { name: 'canvas vs plain React Flow: drag frame p95 (zoom 1)', value: ratio(zoomedIn.p95, peer.zoomedIn.p95), unit: 'x' },
      { name: 'canvas vs plain React Flow: drag frame p95 (all in view)', value: ratio(allInView.p95, peer.allInView.p95), unit: 'x' },
    ];
  } finally {
    await browser.close();
    rmSync(peerDir, { recursive: true, force: true });
  }
}
