/** Quick add: double-click or Space on the canvas, search in English or Korean, Enter adds the step there. */
import { expect, rpc, test } from './fixtures.ts';
import { documentOf, nodeCard } from './helpers.ts';

test('double-click opens a search at that spot; a Korean name finds the step in the English UI and Enter adds it there', async ({ app }) => {
  const pane = app.locator('.react-flow__pane');
  const box = (await pane.boundingBox())!;
  await pane.dblclick({ position: { x: 300, y: 200 } });
  const quick = app.getByRole('dialog', { name: 'Add a step' });
  await expect(quick).toBeVisible();
  await quick.getByRole('searchbox').fill('지도 미세');
  await expect(quick.getByRole('option')).toHaveCount(1);
  await expect(quick.getByRole('option')).toContainText('Supervised fine-tuning (SFT)');
  await app.keyboard.press('Enter');
  await expect(quick).toHaveCount(0);
  await expect.poll(async () => (await documentOf(app)).nodes.map((n) => n.type)).toEqual(['sft']);
  // The card's top left is where the double-click was (less the offset a drop uses), give or take the grid.
  const card = (await nodeCard(app, 'sft').boundingBox())!;
  const zoom = await app.evaluate(() => new DOMMatrix(getComputedStyle(document.querySelector('.react-flow__viewport')!).transform).a);
  expect(Math.abs(card.x - (box.x + 300 - 110 * zoom))).toBeLessThan(15);
  expect(Math.abs(card.y - (box.y + 200 - 30 * zoom))).toBeLessThan(15);

  // Space over the canvas opens it where the pointer is; Esc closes it without adding anything.
  await app.mouse.move(box.x + 700, box.y + 350);
  await app.keyboard.press('Space');
  await expect(quick).toBeVisible();
  await app.keyboard.type('zzz');
  await expect(quick).toContainText('No step matches “zzz”.');
  await app.keyboard.press('Escape');
  await expect(quick).toHaveCount(0);
  await app.keyboard.press('Space');
  await app.keyboard.type('eval');
  await app.keyboard.press('Enter');
  await expect.poll(async () => (await documentOf(app)).nodes.map((n) => n.type)).toEqual(['sft', 'eval']);
  // Several matches: arrows choose, Enter takes the highlighted one.
  await pane.dblclick({ position: { x: 150, y: 420 } });
  await app.keyboard.type('set');
  await app.keyboard.press('ArrowDown');
  const chosen = await quick.locator('[aria-selected="true"]').getAttribute('data-node-type');
  await app.keyboard.press('Enter');
  await expect.poll(async () => (await documentOf(app)).nodes.map((n) => n.type)).toEqual(['sft', 'eval', chosen]);
});

test('in the Korean UI an English name finds the step too (screenshot)', async ({ app, request }) => {
  await rpc(request, 'updateSettings', [{ language: 'ko' }]);
  try {
    await expect(app.locator('html')).toHaveAttribute('lang', 'ko');
    await app.locator('.react-flow__pane').dblclick({ position: { x: 350, y: 160 } });
    const quick = app.getByRole('dialog', { name: '단계 추가' });
    await quick.getByRole('searchbox').fill('deploy');
    await expect(quick.getByRole('option')).toHaveText(/배포/);
    await app.screenshot({ path: 'test-results/screenshots/canvas-quick-add-ko.png' });
    await app.keyboard.press('Enter');
    await expect.poll(async () => (await documentOf(app)).nodes.map((n) => n.type)).toEqual(['deploy']);
  } finally {
    await rpc(request, 'updateSettings', [{ language: 'system' }]);
  }
});
