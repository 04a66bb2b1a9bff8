/**
 * Where a drag frame goes: `npx tsx test/bench/canvasProfile.ts [all|ZOOM] [CSS...]`. Loads the canvas
 * bench's 1,000-node graph (all in view, or at the zoom given), drags a node while Chromium traces, and prints
 * the main thread's time per frame by trace event (script, style, layout, pre-paint, paint, commit...).
 */
import { execFileSync } from 'node:child_process';
import { chromium } from '@playwright/test';
import type { CDPSession } from '@playwright/test';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer } from '../../electron/server/server.ts';
import { CHROMIUM_ARGS } from '../../playwright.config.ts';
import { buildIfNeeded, root, staticDir } from '../e2e/buildRenderer.ts';
import { largePipeline } from './canvasGraph.ts';
import { grabPoint, installFrameProbe, outAndBack } from './dragProbe.ts';

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  tdur?: number;
  tid: number;
  pid: number;
  args?: { name?: string; beginData?: { dirtyObjects?: number; totalObjects?: number; elementCount?: number }; elementCount?: number };
}

async function trace(cdp: CDPSession, during: () => Promise<void>): Promise<TraceEvent[]> {
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', (e) => events.push(...(e.value as unknown as TraceEvent[])));
  const done = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()));
  await cdp.send('Tracing.start', { categories: 'devtools.timeline,disabled-by-default-devtools.timeline,v8,blink', transferMode: 'ReportEvents' });
  await during();
  await cdp.send('Tracing.end');
  await done;
  return events;
}

/** Summed thread (CPU) times of complete events on the renderer's main thread, by name; nested ones also count in their parent's. */
interface JsProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
}

function bySelfTime(profile: JsProfile, moves: number): string[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const f = byId.get(id)!.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i + 1] ?? 0) / 1000);
  });
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 40)
    .map(([name, ms]) => `${(ms / moves).toFixed(2).padStart(7)} ms/move  ${name}`);
}

const KEY_EVENTS = ['RunTask', 'FunctionCall', 'UpdateLayoutTree', 'Layout', 'PrePaint', 'Paint', 'Layerize', 'Commit', 'HitTest', 'MinorGC', 'MajorGC'];

function summarise(events: TraceEvent[], frames: number, only?: string[]): string[] {
  const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  if (!main) return ['no renderer main thread in the trace'];
  const totals = new Map<string, { total: number; count: number }>();
  for (const e of events) {
    if (e.tid !== main.tid || e.pid !== main.pid || e.ph !== 'X' || !e.dur) continue;
    const t = totals.get(e.name) ?? { total: 0, count: 0 };
    t.total += (e.tdur ?? e.dur) / 1000;
    t.count++;
    totals.set(e.name, t);
  }
  const layouts = events.filter((e) => e.tid === main.tid && e.name === 'Layout' && e.args?.beginData);
  const styles = events.filter((e) => e.tid === main.tid && e.name === 'UpdateLayoutTree');
  const mean = (v: number[]) => (v.length ? v.reduce((a, b) => a + b, 0) / v.length : 0);
  const notes = [
    `layout: ${layouts.length} passes, ${mean(layouts.map((e) => e.args!.beginData!.dirtyObjects ?? 0)).toFixed(0)} of ${mean(layouts.map((e) => e.args!.beginData!.totalObjects ?? 0)).toFixed(0)} objects dirty on average`,
    `style: ${styles.length} recalcs, ${mean(styles.map((e) => e.args?.elementCount ?? e.args?.beginData?.elementCount ?? 0)).toFixed(0)} elements on average`,
  ];
  return [...notes, ...[...totals.entries()]
    .filter(([name, t]) => t.total / frames >= 0.05 && (!only || only.includes(name)))
    .sort((a, b) => b[1].total - a[1].total)
    .slice(0, 30)
    .map(([name, t]) => `${(t.total / frames).toFixed(2).padStart(7)} ms/frame  ${String(t.count).padStart(5)}×  ${name}`)];
}

// Arguments: [zoom] then CSS variants to compare with the page as built (A/B, alternating, in one page).
/** CPU time (ms) of every renderer process's main thread, by pid, from /proc (Linux). */
function rendererMainCpu(): Map<number, number> {
  const out = new Map<number, number>();
  const tick = 10; // USER_HZ is 100 on Linux
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type=renderer')) continue;
      // The main thread is the task whose id is the pid (Linux leaves its name as the process's).
      const fields = readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      out.set(Number(pid), (Number(fields[11]) + Number(fields[12])) * tick);
    } catch {
      // the process ended meanwhile
    }
  }
  return out;
}

/** Main-thread CPU ms spent by the busiest renderer while `during` runs. */
async function mainCpu(during: () => Promise<void>): Promise<number> {
  const before = rendererMainCpu();
  await during();
  const after = rendererMainCpu();
  return Math.max(...[...after].map(([pid, ms]) => ms - (before.get(pid) ?? 0)));
}

const [zoomArg, ...variants] = process.argv.slice(2);
// JS=1: an unminified build in a temporary folder, and a sampling profile of the drag by function.
const jsProfile = process.env.JS === '1';
let servedDir = staticDir;
if (jsProfile) {
  servedDir = mkdtempSync(path.join(tmpdir(), 'pipewright-profile-build-'));
  execFileSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn', '--minify', 'false', '--outDir', servedDir], { cwd: root, stdio: 'inherit' });
} else buildIfNeeded();
const dataDir = mkdtempSync(path.join(tmpdir(), 'pipewright-profile-'));
const server = await startServer({ dataDir, staticDir: servedDir });
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.goto(server.url);
  await page.locator('.react-flow__pane').waitFor();
  await page.evaluate(`window.pipewright_debug.loadDocument(${JSON.stringify(largePipeline())})`);
  await page.waitForTimeout(2500);
  const zoom = zoomArg && zoomArg !== 'all' ? Number(zoomArg) : null;
  if (zoom) await page.evaluate(`window.pipewright_debug.setViewport({ x: 0, y: 0, zoom: ${zoom} })`);
  await page.waitForTimeout(500);
  const id = zoom ? 'data-1' : 'prep-211';
  const moves = 60;
  const drag = async () => {
    const { x, y } = await grabPoint(page, id);
    await page.mouse.move(x, y);
    await page.mouse.down();
    for (let i = 1; i <= moves; i++) {
      const to = outAndBack(x, y, i, moves);
      await page.mouse.move(to.x, to.y);
    }
    await page.mouse.up();
    await page.waitForTimeout(200);
  };
  await installFrameProbe(page);
  const setCss = (css: string) => page.evaluate(`(() => {
    let el = document.getElementById('profile-variant');
    if (!el) { el = document.createElement('style'); el.id = 'profile-variant'; document.head.append(el); }
    el.textContent = ${JSON.stringify(css)};
  })()`);
  const all = ['', ...variants];
  const p95s = all.map(() => [] as number[]);
  const cpus = all.map(() => [] as number[]);
  for (let round = 0; round < Number(process.env.ROUNDS ?? 5); round++) {
    for (const [i, css] of all.entries()) {
      await setCss(css);
      await page.waitForTimeout(300);
      await page.evaluate('window.__frames = []');
      cpus[i].push((await mainCpu(drag)) / moves);
      const frames = ((await page.evaluate('window.__frames')) as number[]).slice(5).sort((a, b) => a - b);
      p95s[i].push(frames[Math.ceil(frames.length * 0.95) - 1]);
      if (process.env.DEBUG && i === 0) console.log(await page.evaluate(`JSON.stringify([window.pipewright_debug.document().nodes.find((n) => n.id === '${id}').position, document.querySelector('.react-flow__viewport').style.transform, document.querySelectorAll('.react-flow__node').length, window.__frames.length])`));
    }
  }
  const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
  for (const [i, css] of all.entries()) {
    const cpu = `main-thread CPU ${median(cpus[i]).toFixed(2)} ms/move (${cpus[i].map((v) => v.toFixed(1)).join(' ')})`;
    console.log(`p95 ${median(p95s[i]).toFixed(1)} ms (${p95s[i].map((v) => v.toFixed(1)).join(' ')}), ${cpu}  ${css || '(as built)'}`);
  }
  if (jsProfile) {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
    await cdp.send('Profiler.start');
    await drag();
    const { profile } = (await cdp.send('Profiler.stop')) as { profile: JsProfile };
    console.log(`\nJS self time per move, by function (unminified build):`);
    for (const line of bySelfTime(profile, moves)) console.log(line);
  }
  for (const css of process.env.TRACE ? all : []) {
    await setCss(css);
    await page.waitForTimeout(300);
    const cdp = await page.context().newCDPSession(page);
    const events = await trace(cdp, drag);
    await cdp.detach();
    console.log(`\n${css || '(as built)'}, ${zoom ? `zoom ${zoom}` : 'all in view'}: main thread CPU per pointer move (${moves} moves, traced)`);
    for (const line of summarise(events, moves, process.env.FULL ? undefined : KEY_EVENTS)) console.log(line);
  }
} finally {
  await browser.close();
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
}
