/** One step's own alert rules in the inspector: thresholds, on/off and action per rule, over the pipeline's. */
import { expect, rpc, test } from './fixtures.ts';
import { documentOf, selectNode } from './helpers.ts';

test('a step sets its own loss spike factor, turns a rule off and stops the run on a stall; empty fields show the pipeline\'s value', async ({ app, request }) => {
  await app.keyboard.press('Control+n');
  await app.getByRole('button', { name: /Korean LLM \(smoke\)/ }).click();
  // The pipeline's stall threshold is what the step shows until it sets its own.
  const inspector = app.getByRole('complementary', { name: 'Inspector' });
  await inspector.getByLabel('No progress for').fill('45');
  await inspector.getByLabel('No progress for').blur();
  await selectNode(app, 'cpt');
  const spike = inspector.locator('[data-rule="lossSpike"]');
  const stall = inspector.locator('[data-rule="stall"]');
  await expect(stall.getByLabel('No progress for')).toHaveAttribute('placeholder', '45');
  await expect(spike.getByLabel('Spike: times the recent median loss')).toHaveAttribute('placeholder', '3');
  await spike.getByLabel('Spike: times the recent median loss').fill('5');
  await spike.getByLabel('Spike: times the recent median loss').blur();
  await inspector.locator('[data-rule="gpuIdle"]').getByLabel('Watch this step').selectOption('off');
  await stall.getByLabel('When it fires').selectOption('cancel');
  await stall.getByLabel('No progress for').fill('0');
  await stall.getByLabel('No progress for').blur();
  await expect(stall).toContainText('minutes above 0');
  await stall.getByLabel('No progress for').fill('90');
  await stall.getByLabel('No progress for').blur();
  await expect
    .poll(async () => (await documentOf(app)).nodes.find((n) => n.id === 'cpt')?.alerts)
    .toEqual({ lossSpike: { factor: 5 }, gpuIdle: { enabled: false }, stall: { action: 'cancel', minutes: 90 } });
  await expect(stall.locator('.field-message.error')).toHaveCount(0);
  await rpc(request, 'updateSettings', [{ language: 'ko' }]);
  try {
    const section = app.locator('[data-section="alerts"]');
    await expect(section.locator('[data-rule="stall"] legend')).toHaveText('진행 없음');
    await expect(section.locator('[data-rule="stall"]').getByLabel('울리면')).toHaveValue('cancel');
    await section.locator('[data-rule="lossSpike"]').scrollIntoViewIfNeeded();
    await app.screenshot({ path: 'test-results/screenshots/node-alerts-ko.png' });
  } finally {
    await rpc(request, 'updateSettings', [{ language: 'system' }]);
  }
});
