/** What a person does on the canvas, as reusable steps. */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect } from '@playwright/test';
import type { PipelineDocument } from '../../shared/pipeline/types.ts';

export async function documentOf(page: Page): Promise<PipelineDocument> {
  return page.evaluate(() => window.pipewright_debug!.document());
}

/** Drags a palette entry onto the canvas, dropping it at (x, y) inside the pane. */
export async function dragFromPalette(page: Page, type: string, x: number, y: number): Promise<void> {
  const before = (await documentOf(page)).nodes.length;
  await page.locator(`.palette-item[data-node-type="${type}"]`).dragTo(page.locator('.react-flow__pane'), { targetPosition: { x, y } });
  await expect.poll(async () => (await documentOf(page)).nodes.length).toBe(before + 1);
}

export function handle(page: Page, nodeId: string, port: string, side: 'source' | 'target') {
  return page.locator(`.react-flow__handle.${side}[data-nodeid="${nodeId}"][data-handleid="${port}"]`);
}

/** Where an element is once it stopped moving: a viewport or document set just before may not be drawn yet (slow under load). */
export async function settledBox(page: Page, locator: ReturnType<Page['locator']>) {
  let box = await locator.boundingBox();
  for (let i = 0; i < 40; i++) {
    await page.waitForTimeout(50);
    const next = await locator.boundingBox();
    if (box && next && box.x === next.x && box.y === next.y) return next;
    box = next;
  }
  return box;
}

/** Drags from an output handle to an input handle, as a person connects two ports. */
export async function connect(page: Page, from: [string, string], to: [string, string]): Promise<void> {
  const a = await settledBox(page, handle(page, from[0], from[1], 'source'));
  const b = await settledBox(page, handle(page, to[0], to[1], 'target'));
  if (!a || !b) throw new Error(`handle not on screen: ${from.join('.')} or ${to.join('.')}`);
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 5 });
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 5 });
  await page.mouse.up();
}

export function nodeCard(page: Page, id: string) {
  return page.locator(`.react-flow__node[data-id="${id}"]`);
}

/** Selects a node by clicking its title. */
export async function selectNode(page: Page, id: string): Promise<void> {
  await nodeCard(page, id).locator('.node-title').click();
  await expect.poll(() => page.evaluate(() => window.pipewright_debug!.selection())).toEqual([id]);
}

export async function collapseBottomPanel(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Collapse panel' }).click();
}

/** The Korean LLM template's shape, drawn by hand: three data sets, preprocess → CPT → SFT → eval and ko-bench → deploy. */
export const TEMPLATE_NODES: [string, number, number][] = [
  ['dataset', 130, 50],
  ['preprocess', 400, 50],
  ['cpt', 670, 50],
  ['dataset', 130, 300],
  ['sft', 400, 300],
  ['deploy', 670, 300],
  ['dataset', 130, 550],
  ['eval', 400, 550],
  ['ko-bench', 670, 550],
];

export const TEMPLATE_EDGES: [[string, string], [string, string]][] = [
  [['dataset', 'dataset'], ['preprocess', 'dataset']],
  [['preprocess', 'dataset'], ['cpt', 'dataset']],
  [['cpt', 'model'], ['sft', 'model']],
  [['dataset-2', 'dataset'], ['sft', 'dataset']],
  [['sft', 'model'], ['eval', 'model']],
  [['dataset-3', 'dataset'], ['eval', 'dataset']],
  [['sft', 'model'], ['deploy', 'model']],
  [['eval', 'metrics'], ['deploy', 'metrics']],
  [['sft', 'model'], ['ko-bench', 'model']],
];

export async function drawTemplateShape(page: Page): Promise<void> {
  await collapseBottomPanel(page);
  for (const [type, x, y] of TEMPLATE_NODES) await dragFromPalette(page, type, x, y);
  for (const [from, to] of TEMPLATE_EDGES) await connect(page, from, to);
  await expect.poll(async () => (await documentOf(page)).edges.length).toBe(TEMPLATE_EDGES.length);
}

/**
 * Zooms the canvas to 1 with a card near the top left: zoomed out (fit view of a whole pipeline) cards show
 * only title, status and one figure (semantic zoom), so details such as run strips need a closer view.
 */
export async function zoomToCard(page: Page, id: string): Promise<void> {
  // Let a just-loaded document's own fit view happen first, so it does not undo this one.
  await page.waitForTimeout(200);
  const node = (await documentOf(page)).nodes.find((n) => n.id === id);
  if (!node) throw new Error(`no node ${id}`);
  await page.evaluate((p) => window.pipewright_debug!.setViewport({ x: 120 - p.x, y: 60 - p.y, zoom: 1 }), node.position);
  await expect(nodeCard(page, id).locator('.node-card.far')).toHaveCount(0);
}

/** Waits (up to 20 s) until an autosave draft in `dataDir` holds a node with this id: autosave runs every few seconds, later on a loaded machine. */
export async function autosaveOnDisk(dataDir: string, nodeId: string): Promise<void> {
  const folder = path.join(dataDir, 'recovery');
  const holds = (name: string) => {
    try {
      return readFileSync(path.join(folder, name), 'utf8').includes(JSON.stringify(nodeId));
    } catch {
      return false; // replaced while read
    }
  };
  const names = () => {
    try {
      return readdirSync(folder).filter((n) => n.endsWith('.json'));
    } catch {
      return []; // no draft yet
    }
  };
  await expect.poll(() => names().some(holds), { timeout: 20_000 }).toBe(true);
}
