/**
 * The minimap draws the nodes as one picture per category (CanvasMiniMap), yet looks and behaves as React
 * Flow's: every node in its category's colour, the visible area unmasked, drag to pan, wheel to zoom, and a
 * dragged node followed while it moves.
 */
import type { Page } from '@playwright/test';
import { largePipeline } from '../bench/canvasGraph.ts';
import { expect, test } from './fixtures.ts';
import { documentOf } from './helpers.ts';

/** The minimap's node paths: category -> subpath count, and the view box. */
const picture = (page: Page) =>
  page.evaluate(() => {
    const svg = document.querySelector('.react-flow__minimap svg')!;
    const paths = [...svg.querySelectorAll('path.react-flow__minimap-node')].map((p) => ({ cls: p.getAttribute('class')!.split(' ').pop()!, d: p.getAttribute('d')!, fill: getComputedStyle(p).fill, dragged: p.hasAttribute('data-dragged') }));
    return { paths, viewBox: svg.getAttribute('viewBox')!.split(' ').map(Number), rects: svg.querySelectorAll('rect').length };
  });
const transform = (page: Page) => page.evaluate(() => new DOMMatrix(getComputedStyle(document.querySelector('.react-flow__viewport')!).transform));

test('the minimap shows all 1,000 nodes by category, pans and zooms the canvas, and follows a dragged node', async ({ app }) => {
  const doc = largePipeline();
  await app.evaluate((d) => window.pipewright_debug!.loadDocument(d), doc);
  await expect(app.locator('.react-flow__node')).toHaveCount(1000);
  const count = (p: Awaited<ReturnType<typeof picture>>) => p.paths.reduce((n, path) => n + (path.d.match(/M/g)?.length ?? 0), 0);
  await expect.poll(async () => count(await picture(app))).toBe(1000);
  const before = await picture(app);
  expect(before.rects).toBe(0);
  // Data sets, preprocessing (data), CPT/SFT (training), eval (evaluation): each category in its own colour.
  const fills = Object.fromEntries(before.paths.map((p) => [p.cls, p.fill]));
  expect(before.paths.some((p) => p.dragged)).toBe(false);
  expect(Object.keys(fills).sort()).toEqual(['cat-data', 'cat-evaluation', 'cat-training']);
  expect(new Set(Object.values(fills)).size).toBe(3);
  await app.screenshot({ path: 'test-results/screenshots/canvas-minimap.png', clip: { x: 1440 - 600, y: 300, width: 600, height: 400 } });

  // Dragging on the minimap moves the visible area with the pointer (the view inside the nodes, so the scale stays).
  await app.evaluate(() => window.pipewright_debug!.setViewport({ x: -300, y: -300, zoom: 0.3 }));
  const box = (await app.locator('.react-flow__minimap svg').boundingBox())!;
  const scale = (await picture(app)).viewBox[2] / box.width;
  const t0 = await transform(app);
  await app.mouse.move(box.x + 80, box.y + 55);
  await app.mouse.down();
  await app.mouse.move(box.x + 90, box.y + 60, { steps: 4 });
  await app.mouse.up();
  const t1 = await transform(app);
  // In minimap pixels (within one: pointer positions are whole pixels).
  expect((t0.e - t1.e) / (scale * t0.a)).toBeGreaterThan(9);
  expect((t0.e - t1.e) / (scale * t0.a)).toBeLessThan(11);
  expect((t0.f - t1.f) / (scale * t0.a)).toBeGreaterThan(4);
  expect((t0.f - t1.f) / (scale * t0.a)).toBeLessThan(6);
  expect(t1.a).toBe(t0.a);

  // The wheel over it zooms the canvas.
  await app.mouse.move(box.x + 80, box.y + 55);
  await app.mouse.wheel(0, -100);
  await expect.poll(async () => (await transform(app)).a).toBeCloseTo(t0.a * Math.pow(2, 0.2), 3);
  await app.screenshot({ path: 'test-results/screenshots/canvas-minimap-zoomed.png', clip: { x: 1440 - 600, y: 300, width: 600, height: 400 } });

  // A dragged node: drawn apart while it moves, in the one picture again once dropped.
  await app.evaluate(() => window.pipewright_debug!.setViewport({ x: 40, y: 40, zoom: 0.5 }));
  const node = (await app.locator('.react-flow__node[data-id="data-0"]').boundingBox())!;
  await app.mouse.move(node.x + 20, node.y + 10);
  await app.mouse.down();
  await app.mouse.move(node.x + 220, node.y + 10, { steps: 8 });
  const during = await picture(app);
  const single = during.paths.filter((p) => p.dragged);
  expect(single).toHaveLength(1);
  expect(single[0].d.match(/M/g)).toHaveLength(1);
  expect(count(during)).toBe(1000);
  expect(single[0].cls).toBe('cat-data');
  const [x] = single[0].d.slice(1).split(',').map(Number);
  expect(x).toBeGreaterThan(300);
  await app.mouse.up();
  await expect.poll(async () => (await documentOf(app)).nodes.find((n) => n.id === 'data-0')!.position.x).toBeGreaterThan(300);
  const after = await picture(app);
  expect(after.paths.filter((p) => p.dragged)).toHaveLength(0);
  expect(count(after)).toBe(1000);
});
