/** Right-click menus on the canvas, a step and a connection. */
import type { PipelineDocument } from '../../shared/pipeline/types.ts';
import { expect, rpc, test } from './fixtures.ts';
import { documentOf, handle, nodeCard } from './helpers.ts';

const doc: PipelineDocument = {
  format: 'pipewright.pipeline/v2',
  name: 'menus',
  nodes: [
    { id: 'data', type: 'dataset', position: { x: 0, y: 0 }, params: { uri: 's3://b/corpus/' } },
    { id: 'prep', type: 'preprocess', position: { x: 320, y: 0 } },
  ],
  edges: [{ id: 'e1', source: 'data', sourceHandle: 'dataset', target: 'prep', targetHandle: 'dataset' }],
};

test('canvas, step and connection menus do what they say', async ({ app, request }) => {
  await app.evaluate((d) => window.pipewright_debug!.loadDocument(d), doc);
  await app.waitForTimeout(200);
  await app.evaluate(() => window.pipewright_debug!.setViewport({ x: 60, y: 60, zoom: 1 }));

  const pane = app.locator('.react-flow__pane');
  await pane.click({ button: 'right', position: { x: 300, y: 380 } });
  const canvasMenu = app.getByRole('menu', { name: 'Canvas menu' });
  await expect(canvasMenu.getByRole('menuitem')).toHaveText(['Add a step here…', 'PasteCtrl+V', 'Automatic layoutCtrl+Shift+L', 'Fit viewShift+1']);
  await canvasMenu.getByRole('menuitem', { name: 'Add a step here…' }).click();
  await expect(app.getByRole('dialog', { name: 'Add a step' })).toBeVisible();
  await app.keyboard.press('Escape');

  await nodeCard(app, 'prep').click({ button: 'right' });
  const nodeMenu = app.getByRole('menu', { name: 'Step menu' });
  await nodeMenu.getByRole('menuitem', { name: 'Do not reuse cached results' }).click();
  await expect.poll(async () => (await documentOf(app)).nodes.find((n) => n.id === 'prep')?.cache).toBe(false);
  await nodeCard(app, 'prep').click({ button: 'right' });
  await expect(nodeMenu.getByRole('menuitem', { name: 'Reuse cached results' })).toBeVisible();
  await nodeMenu.getByRole('menuitem', { name: /Duplicate/ }).click();
  await expect.poll(async () => (await documentOf(app)).nodes.length).toBe(3);
  await nodeCard(app, 'data').click({ button: 'right' });
  await nodeMenu.getByRole('menuitem', { name: 'Open log' }).click();
  await expect(app.getByRole('tab', { name: 'Run', exact: true })).toHaveAttribute('aria-selected', 'true');
  // Esc and a click elsewhere close a menu without doing anything.
  await nodeCard(app, 'data').click({ button: 'right' });
  await app.keyboard.press('Escape');
  await expect(nodeMenu).toHaveCount(0);

  // The middle of the connection: halfway between its two ports.
  const a = (await handle(app, 'data', 'dataset', 'source').boundingBox())!;
  const b = (await handle(app, 'prep', 'dataset', 'target').boundingBox())!;
  await app.mouse.click((a.x + b.x + b.width) / 2, (a.y + b.y + b.height) / 2, { button: 'right' });
  await app.getByRole('menu', { name: 'Connection menu' }).getByRole('menuitem', { name: 'Delete connection' }).click();
  await expect.poll(async () => (await documentOf(app)).edges.length).toBe(0);
  await app.keyboard.press('Control+z');
  await expect.poll(async () => (await documentOf(app)).edges.length).toBe(1);

  await rpc(request, 'updateSettings', [{ language: 'ko' }]);
  try {
    await expect(app.locator('html')).toHaveAttribute('lang', 'ko');
    await nodeCard(app, 'data').click({ button: 'right' });
    await expect(app.getByRole('menu', { name: '단계 메뉴' })).toBeVisible();
    await app.screenshot({ path: 'test-results/screenshots/canvas-node-menu-ko.png' });
    await app.keyboard.press('Escape');
  } finally {
    await rpc(request, 'updateSettings', [{ language: 'system' }]);
  }
});
