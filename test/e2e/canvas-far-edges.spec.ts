/**
 * Far out, a large pipeline's connections are one picture (EdgeOverview), yet each connection is still clicked,
 * selected, deleted and given its menu as at zoom 1 (issue 13 §3/§8).
 */
import type { Page } from '@playwright/test';
import type { PipelineDocument, PipelineEdge, PipelineNode } from '../../shared/pipeline/types.ts';
import { expect, rpc, test } from './fixtures.ts';
import { documentOf, handle } from './helpers.ts';

const ROWS = 20;
const COLUMNS = 15;

/** 300 steps: 20 rows, each a data set feeding a chain of 14 preprocessing steps, far enough apart to aim at. */
function rows(): PipelineDocument {
  const nodes: PipelineNode[] = [];
  const edges: PipelineEdge[] = [];
  for (let r = 0; r < ROWS; r++) {
    for (let c = 0; c < COLUMNS; c++) {
      const id = `n-${r}-${c}`;
      const position = { x: c * 600, y: r * 300 };
      nodes.push(c === 0 ? { id, type: 'dataset', position, params: { uri: `s3://b/rows/${r}.jsonl` } } : { id, type: 'preprocess', position });
      if (c > 0) edges.push({ id: `e-${r}-${c}`, source: `n-${r}-${c - 1}`, sourceHandle: 'dataset', target: id, targetHandle: 'dataset' });
    }
  }
  return { format: 'pipewright.pipeline/v2', name: 'far-edges', nodes, edges };
}

/** The middle of a connection on screen: halfway between its output's right and its input's left (its curve is symmetric). */
async function middleOf(page: Page, edge: PipelineEdge): Promise<{ x: number; y: number }> {
  const a = (await handle(page, edge.source, edge.sourceHandle, 'source').boundingBox())!;
  const b = (await handle(page, edge.target, edge.targetHandle, 'target').boundingBox())!;
  const point = { x: (a.x + a.width + b.x) / 2, y: (a.y + a.height / 2 + b.y + b.height / 2) / 2 };
  // Nothing but the empty canvas there: no React Flow edge, no card, so only the picture can answer.
  const under = await page.evaluate(({ x, y }) => document.elementFromPoint(x, y)?.className, point);
  expect(under).toContain('react-flow__pane');
  return point;
}

const selectedEdges = (page: Page) => page.locator('.react-flow__edge.selected');
const edgeIds = async (page: Page) => (await documentOf(page)).edges.map((e) => e.id);

test('far out, clicking a connection of a 300-step pipeline selects it; Delete, Ctrl+click and its menu work as at zoom 1', async ({ app, request }) => {
  const doc = rows();
  await app.evaluate((d) => window.pipewright_debug!.loadDocument(d), doc);
  await expect(app.locator('.react-flow__node')).toHaveCount(300);
  await expect(app.locator('.node-far.tiny')).toHaveCount(300);
  // Fit view: the whole pipeline, well below 25 %, its connections drawn as the picture and none by React Flow.
  const zoom = () => app.evaluate(() => new DOMMatrix(getComputedStyle(document.querySelector('.react-flow__viewport')!).transform).a);
  await expect.poll(zoom).toBeLessThan(0.25);
  await expect.poll(() => app.evaluate(() => [...document.querySelectorAll('.edge-overview-path')].map((p) => p.getAttribute('d')).join('').match(/M/g)?.length)).toBe(doc.edges.length);
  await expect(app.locator('.react-flow__edge')).toHaveCount(0);
  const viewport = await app.evaluate(() => getComputedStyle(document.querySelector('.react-flow__viewport')!).transform);

  // A step is selected; a click on a connection selects that connection only, as React Flow's edge click does.
  await app.locator('.react-flow__node[data-id="n-3-3"]').click();
  await expect.poll(() => app.evaluate(() => window.pipewright_debug!.selection())).toEqual(['n-3-3']);
  const target = doc.edges.find((e) => e.id === 'e-10-7')!;
  const mid = await middleOf(app, target);
  await app.mouse.move(mid.x, mid.y);
  // Hovering names what a click would take: that curve drawn thicker, a pointing cursor.
  await expect(app.locator('.edge-overview-hover')).toHaveAttribute('data-edge-id', 'e-10-7');
  expect(await app.evaluate(() => getComputedStyle(document.querySelector('.react-flow__pane')!).cursor)).toBe('pointer');
  await app.mouse.down();
  await app.mouse.up();
  await expect(selectedEdges(app)).toHaveCount(1);
  await expect(selectedEdges(app)).toHaveAttribute('data-id', 'e-10-7');
  await expect.poll(() => app.evaluate(() => window.pipewright_debug!.selection())).toEqual([]);
  // Drawn highlighted at a width that shows far out (React Flow's own line is a fraction of a pixel here).
  await expect(app.locator('.edge-overview-selected')).toHaveAttribute('d', /^M[^M]+$/);
  // Not a pan, not a zoom: the view stayed.
  expect(await app.evaluate(() => getComputedStyle(document.querySelector('.react-flow__viewport')!).transform)).toBe(viewport);

  await app.keyboard.press('Delete');
  await expect.poll(() => edgeIds(app)).not.toContain('e-10-7');
  expect(await edgeIds(app)).toHaveLength(doc.edges.length - 1);
  await expect(selectedEdges(app)).toHaveCount(0);
  await app.keyboard.press('Control+z');
  await expect.poll(() => edgeIds(app)).toContain('e-10-7');

  // Ctrl+click adds to the selection; a plain click elsewhere on the canvas clears it.
  await app.mouse.click(mid.x, mid.y);
  const second = await middleOf(app, doc.edges.find((e) => e.id === 'e-4-2')!);
  await app.keyboard.down('Control');
  await app.mouse.click(second.x, second.y);
  await app.keyboard.up('Control');
  await expect(selectedEdges(app)).toHaveCount(2);
  await expect(app.locator('.edge-overview-selected')).toHaveAttribute('d', /^M[^M]+M[^M]+$/);
  await app.keyboard.press('Delete');
  await expect.poll(() => edgeIds(app)).toHaveLength(doc.edges.length - 2);
  expect(await edgeIds(app)).not.toContain('e-4-2');
  await app.keyboard.press('Control+z');
  await expect.poll(() => edgeIds(app)).toHaveLength(doc.edges.length);
  await app.mouse.click(mid.x, mid.y);
  await expect(selectedEdges(app)).toHaveCount(1);
  // Between two rows, far from any connection: the canvas, as before.
  await app.mouse.click(mid.x, mid.y + (await zoom()) * 150);
  await expect(selectedEdges(app)).toHaveCount(0);

  // A press that moves pans the view, even when it starts on a connection.
  await app.mouse.move(mid.x, mid.y);
  await app.mouse.down();
  await app.mouse.move(mid.x + 40, mid.y + 30, { steps: 5 });
  await app.mouse.up();
  await expect(selectedEdges(app)).toHaveCount(0);
  const panned = await app.evaluate(() => getComputedStyle(document.querySelector('.react-flow__viewport')!).transform);
  expect(panned).not.toBe(viewport);

  // The connection's menu, not the canvas's; its Delete removes that connection.
  const third = await middleOf(app, doc.edges.find((e) => e.id === 'e-15-11')!);
  await app.mouse.click(third.x, third.y, { button: 'right' });
  await expect(app.getByRole('menu', { name: 'Canvas menu' })).toHaveCount(0);
  await app.getByRole('menu', { name: 'Connection menu' }).getByRole('menuitem', { name: 'Delete connection' }).click();
  await expect.poll(() => edgeIds(app)).not.toContain('e-15-11');
  expect(await edgeIds(app)).toHaveLength(doc.edges.length - 1);

  // A double click on a connection adds no step (it does not on React Flow's edges either).
  const fourth = await middleOf(app, doc.edges.find((e) => e.id === 'e-15-12')!);
  await app.mouse.dblclick(fourth.x, fourth.y);
  await expect(app.getByRole('dialog', { name: 'Add a step' })).toHaveCount(0);
  await expect(selectedEdges(app)).toHaveAttribute('data-id', 'e-15-12');
  await app.screenshot({ path: 'test-results/screenshots/canvas-far-edge-selected.png' });

  await rpc(request, 'updateSettings', [{ language: 'ko' }]);
  try {
    await expect(app.locator('html')).toHaveAttribute('lang', 'ko');
    const fifth = await middleOf(app, doc.edges.find((e) => e.id === 'e-8-5')!);
    await app.mouse.click(fifth.x, fifth.y, { button: 'right' });
    await expect(app.getByRole('menu', { name: '연결 메뉴' })).toBeVisible();
    await app.screenshot({ path: 'test-results/screenshots/canvas-far-edge-menu-ko.png' });
    await app.keyboard.press('Escape');
  } finally {
    await rpc(request, 'updateSettings', [{ language: 'system' }]);
  }
});
