/**
 * The canvas can be read at 1440×900: semantic zoom (title, status, one figure in large type when zoomed
 * out), fit view clear of the minimap and zoom buttons, automatic layout that ends with the pipeline in view.
 */
import type { Page } from '@playwright/test';
import { templateDocument } from '../../node-catalog/templates/index.ts';
import type { PipelineDocument } from '../../shared/pipeline/types.ts';
import { expect, rpc, test } from './fixtures.ts';
import { documentOf } from './helpers.ts';

type Box = { x: number; y: number; width: number; height: number };

/** Zoom, every card's box, the overlays' boxes and the pane, read from the page. */
async function geometry(page: Page) {
  return page.evaluate(() => {
    const box = (el: Element) => {
      const r = el.getBoundingClientRect();
      return { x: r.x, y: r.y, width: r.width, height: r.height };
    };
    const zoom = new DOMMatrix(getComputedStyle(document.querySelector('.react-flow__viewport')!).transform).a;
    return {
      zoom,
      pane: box(document.querySelector('.react-flow__pane')!),
      nodes: [...document.querySelectorAll('.react-flow__node')].map((n) => ({ id: n.getAttribute('data-id')!, ...box(n) })),
      overlays: [...document.querySelectorAll('.react-flow__minimap, .react-flow__controls')].map(box),
      // Text on screen: font size times the zoom it is drawn at.
      text: [...document.querySelectorAll('.node-far-title, .node-far-figure')].map((el) => ({ text: (el as HTMLElement).innerText, px: parseFloat(getComputedStyle(el).fontSize) * zoom })),
    };
  });
}

const intersects = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
const inside = (a: Box, outer: Box) => a.x >= outer.x - 1 && a.y >= outer.y - 1 && a.x + a.width <= outer.x + outer.width + 1 && a.y + a.height <= outer.y + outer.height + 1;

function expectAllInViewAndClear(g: Awaited<ReturnType<typeof geometry>>) {
  expect(g.overlays.length).toBe(2);
  for (const n of g.nodes) {
    expect(inside(n, g.pane), `${n.id} inside the pane`).toBe(true);
    for (const o of g.overlays) expect(intersects(n, o), `${n.id} under an overlay`).toBe(false);
  }
}

async function load(page: Page, doc: PipelineDocument) {
  await page.evaluate((d) => window.pipewright_debug!.loadDocument(d), doc);
  await expect(page.locator('.react-flow__node')).toHaveCount(doc.nodes.length);
  await page.waitForTimeout(300);
}

test('the 8-step template at fit view with every panel open: large far cards (text ≥ 11 px on screen), nothing under the minimap', async ({ app, request }) => {
  await rpc(request, 'updateSettings', [{ language: 'ko' }]);
  try {
    await expect(app.locator('html')).toHaveAttribute('lang', 'ko');
    const doc = templateDocument('korean-llm')!;
    await load(app, doc);
    await expect(app.locator('.bottom-panel.open')).toBeVisible();
    await expect(app.locator('.node-card.far')).toHaveCount(doc.nodes.length);
    const far = await geometry(app);
    expectAllInViewAndClear(far);
    expect(far.text.length).toBe(doc.nodes.length * 2);
    const smallest = Math.min(...far.text.map((t) => t.px));
    console.log(`fit view of the template: zoom ${far.zoom.toFixed(3)}, smallest card text ${smallest.toFixed(1)} px on screen (detailed text would be ${(12.5 * far.zoom).toFixed(1)} px)`);
    expect(smallest).toBeGreaterThanOrEqual(11);
    // Title, status and figure: the CPT card says what it is and how many GPUs it takes.
    await expect(app.locator('.react-flow__node[data-id="cpt"] .node-far')).toContainText('지속 사전학습');
    await expect(app.locator('.react-flow__node[data-id="cpt"] .node-far-figure')).toHaveText('GPU 4개 ✓');
    await expect(app.locator('.react-flow__node[data-id="corpus"] .node-far-figure')).toHaveText('corpus');
    await app.screenshot({ path: 'test-results/screenshots/canvas-semantic-zoom-ko.png' });

    // Zoomed in, the same cards show their details, at the same size (no re-measure, ports in place).
    await app.evaluate(() => window.pipewright_debug!.setViewport({ x: 0, y: 0, zoom: 1 }));
    await expect(app.locator('.node-card.far')).toHaveCount(0);
    await expect(app.locator('.react-flow__node[data-id="cpt"] .node-params')).toBeVisible();
    const near = await geometry(app);
    for (const n of near.nodes) {
      const before = far.nodes.find((f) => f.id === n.id)!;
      expect(Math.abs(n.height - before.height / far.zoom), `${n.id} height`).toBeLessThan(1.5);
    }
  } finally {
    await rpc(request, 'updateSettings', [{ language: 'system' }]);
  }
});

test('a step with errors and a running step say so in the far card', async ({ app }) => {
  const doc = templateDocument('korean-llm')!;
  const broken = { ...doc, nodes: doc.nodes.map((n) => (n.id === 'sft' ? { ...n, params: { ...n.params, learning_rate: -1 } } : n)) };
  await load(app, broken);
  await expect(app.locator('.react-flow__node[data-id="sft"] .node-far-badge.error')).toHaveText('1');
  await app.evaluate(() => window.pipewright_debug!.setRunView('cpt', 'running', 0.42, [2.1, 1.9]));
  await expect(app.locator('.react-flow__node[data-id="cpt"] .node-far-figure')).toHaveText('42%');
  await expect(app.locator('.react-flow__node[data-id="cpt"] .node-far-figure .phase-dot.phase-running')).toHaveCount(1);
});

test('automatic layout ends with the whole pipeline in view, clear of the minimap; unconnected steps in rows, not one column', async ({ app }) => {
  const doc = templateDocument('korean-llm')!;
  const loose = Array.from({ length: 6 }, (_, i) => ({ id: `extra-${i}`, type: 'python', position: { x: 0, y: 0 } }));
  // Everything piled on one spot far to the right: the layout has to move the view too.
  await load(app, { ...doc, nodes: [...doc.nodes.map((n) => ({ ...n, position: { x: 5000, y: 3000 } })), ...loose] });
  await app.locator('.react-flow__pane').click({ position: { x: 50, y: 50 } });
  await app.keyboard.press('Control+Shift+L');
  await expect.poll(async () => new Set((await documentOf(app)).nodes.map((n) => `${n.position.x},${n.position.y}`)).size).toBe(doc.nodes.length + loose.length);
  await app.waitForTimeout(500);
  expectAllInViewAndClear(await geometry(app));
  const placed = (await documentOf(app)).nodes.filter((n) => n.id.startsWith('extra-'));
  expect(new Set(placed.map((n) => n.position.x)).size).toBeGreaterThanOrEqual(3);
  const graphBottom = Math.max(...(await documentOf(app)).nodes.filter((n) => !n.id.startsWith('extra-')).map((n) => n.position.y));
  for (const n of placed) expect(n.position.y).toBeGreaterThan(graphBottom);

  // The fit view button does the same, after panning away.
  await app.evaluate(() => window.pipewright_debug!.setViewport({ x: -3000, y: -2000, zoom: 1.5 }));
  await app.getByRole('button', { name: 'Fit the whole pipeline' }).click();
  await app.waitForTimeout(400);
  expectAllInViewAndClear(await geometry(app));
  await expect(app.getByRole('button', { name: 'Fit the whole pipeline' })).toHaveAttribute('title', 'Fit the whole pipeline (Shift+1)');
});
