/** Hiding the palette and the inspector (remembered across reloads), and focus mode (Esc or F returns). */
import { templateDocument } from '../../node-catalog/templates/index.ts';
import { expect, rpc, test } from './fixtures.ts';

test('palette and inspector hide to a rail and stay hidden after a reload; the tooltips name the keys', async ({ app }) => {
  const palette = app.getByRole('complementary', { name: 'Steps' });
  const inspector = app.getByRole('complementary', { name: 'Inspector' });
  const hidePalette = app.getByRole('button', { name: 'Hide the step list' });
  await expect(hidePalette).toHaveAttribute('title', 'Hide the step list (Ctrl+B)');
  const before = (await app.locator('.react-flow__pane').boundingBox())!.width;
  await hidePalette.click();
  await expect(app.locator('.palette')).toHaveCount(0);
  await expect(palette.getByRole('button', { name: 'Show the step list' })).toHaveAttribute('title', 'Show the step list (Ctrl+B)');
  await app.locator('.react-flow__pane').click({ position: { x: 400, y: 200 } });
  await app.keyboard.press('Control+i');
  await expect(app.locator('.inspector')).toHaveCount(0);
  await expect(inspector.getByRole('button', { name: 'Show the inspector' })).toHaveAttribute('title', 'Show the inspector (Ctrl+I)');
  // The canvas took the room: 232 + 340 px of panels, less two 30 px rails.
  await expect.poll(async () => (await app.locator('.react-flow__pane').boundingBox())!.width).toBeGreaterThan(before + 500);

  await app.reload();
  await expect(app.locator('.react-flow__pane')).toBeVisible();
  await expect(app.locator('.palette')).toHaveCount(0);
  await expect(app.locator('.inspector')).toHaveCount(0);
  await palette.getByRole('button', { name: 'Show the step list' }).click();
  await expect(app.locator('.palette')).toBeVisible();
  await app.reload();
  await expect(app.locator('.palette')).toBeVisible();
  await expect(app.locator('.inspector')).toHaveCount(0);
  // A Problems entry that points at a field shows the inspector again.
  await app.getByRole('button', { name: 'Show the inspector' }).click();
  await expect(app.locator('.inspector')).toBeVisible();
});

test('focus mode hides both panels and folds the bottom panel; Esc and F put back what was open', async ({ app, request }) => {
  await app.evaluate((d) => window.pipewright_debug!.loadDocument(d), templateDocument('korean-llm')!);
  await expect(app.locator('.bottom-panel.open')).toBeVisible();
  await app.getByRole('button', { name: 'Hide the inspector' }).click();
  const zoomOf = () => app.evaluate(() => new DOMMatrix(getComputedStyle(document.querySelector('.react-flow__viewport')!).transform).a);
  await app.locator('.react-flow__pane').click({ position: { x: 300, y: 100 } });
  const zoomBefore = await zoomOf();

  await app.keyboard.press('f');
  await expect(app.locator('.palette, .panel-rail')).toHaveCount(0);
  await expect(app.locator('.bottom-panel.closed')).toBeVisible();
  await expect(app.getByRole('status').filter({ hasText: 'Focus mode' })).toBeVisible();
  // The view is fitted to the larger canvas.
  await expect.poll(zoomOf).toBeGreaterThan(zoomBefore * 1.3);
  await app.keyboard.press('Escape');
  await expect(app.locator('.palette')).toBeVisible();
  await expect(app.locator('.inspector')).toHaveCount(0);
  await expect(app.locator('.panel-rail.rail-inspector')).toBeVisible();
  await expect(app.locator('.bottom-panel.open')).toBeVisible();

  await app.keyboard.press('f');
  await expect(app.locator('.bottom-panel.closed')).toBeVisible();
  await app.keyboard.press('f');
  await expect(app.locator('.palette')).toBeVisible();
  await expect(app.locator('.bottom-panel.open')).toBeVisible();
  // Typing an F in a field is typing, not focus mode.
  await app.getByRole('button', { name: 'Show the inspector' }).click();
  await app.getByRole('searchbox', { name: 'Search steps' }).press('f');
  await app.getByRole('searchbox', { name: 'Search steps' }).fill('');
  await expect(app.locator('.palette')).toBeVisible();

  await rpc(request, 'updateSettings', [{ language: 'ko' }]);
  try {
    await expect(app.locator('html')).toHaveAttribute('lang', 'ko');
    await app.locator('.react-flow__pane').click({ position: { x: 300, y: 100 } });
    await app.keyboard.press('f');
    await expect(app.getByRole('status').filter({ hasText: '집중 모드' })).toBeVisible();
    await app.waitForTimeout(400);
    await app.screenshot({ path: 'test-results/screenshots/canvas-focus-mode-ko.png' });
    await app.keyboard.press('Escape');
    await expect(app.locator('.palette')).toBeVisible();
    await app.screenshot({ path: 'test-results/screenshots/canvas-panels-ko.png' });
  } finally {
    await rpc(request, 'updateSettings', [{ language: 'system' }]);
  }
});
