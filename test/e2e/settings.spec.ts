import { expect, rpc, test } from './fixtures.ts';

test.afterEach(async ({ request }) => {
  await rpc(request, 'updateSettings', [{ pythonPath: null, localConcurrency: 0, localUseDvc: false }]);
});

test('local-run settings: interpreter, steps at once and dvc repro are kept by the back end', async ({ app, request }) => {
  await app.getByRole('button', { name: 'Settings', exact: true }).click();
  const python = app.getByLabel('Python interpreter', { exact: true });
  await expect(python).toHaveValue('');
  await expect(python).toHaveAttribute('placeholder', /Automatic/);
  await python.fill('/usr/bin/python3');
  await app.getByLabel('Steps at once', { exact: true }).fill('3');
  await app.getByLabel('Run with dvc repro (when DVC is installed)', { exact: true }).check();
  await app.getByLabel('Show minimap', { exact: true }).focus();

  await expect.poll(async () => rpc(request, 'getSettings', [])).toMatchObject({ pythonPath: '/usr/bin/python3', localConcurrency: 3, localUseDvc: true });

  await app.keyboard.press('Escape');
  await app.reload();
  await app.getByRole('button', { name: 'Settings', exact: true }).click();
  await expect(app.getByLabel('Python interpreter', { exact: true })).toHaveValue('/usr/bin/python3');
  await expect(app.getByLabel('Steps at once', { exact: true })).toHaveValue('3');
  await expect(app.getByLabel('Run with dvc repro (when DVC is installed)', { exact: true })).toBeChecked();
  await app.screenshot({ path: 'test-results/screenshots/settings.png' });
});
