import { expect, test } from './fixtures.ts';

test('the main screen opens with the palette, canvas and inspector', async ({ app }) => {
  await expect(app.getByRole('complementary', { name: 'Steps' })).toBeVisible();
  await expect(app.getByRole('complementary', { name: 'Inspector' })).toBeVisible();
  await app.screenshot({ path: 'test-results/screenshots/smoke.png' });
});
