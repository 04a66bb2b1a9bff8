/** Monitoring from the app: the Pushgateway and alert settings, and Export monitoring… to a chosen folder. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, rpc, test, workDir } from './fixtures.ts';
import { documentOf } from './helpers.ts';
import { fillField } from './helpers/fillField.ts';

test('the pipeline settings set the Pushgateway URL and the alerts, and say what is wrong', async ({ app }) => {
  await app.keyboard.press('Control+n');
  await app.getByRole('button', { name: /Korean LLM \(smoke\)/ }).click();
  const inspector = app.getByRole('complementary', { name: 'Inspector' });
  const url = inspector.getByLabel('Pushgateway URL');
  await url.fill('pushgateway:9091');
  await expect(inspector.locator('[data-section="monitoring"]')).toContainText('http:// or https:// URL');
  await url.fill('http://pushgateway.monitoring:9091');
  await inspector.getByLabel('When an alert fires').selectOption('cancel');
  await inspector.getByLabel('No progress for').fill('15');
  await inspector.getByLabel('No progress for').blur();
  await inspector.getByLabel('GPUs idle (needs a Prometheus URL in Settings)').uncheck();
  await expect.poll(async () => (await documentOf(app)).settings).toEqual({ pushgatewayUrl: 'http://pushgateway.monitoring:9091', alerts: { action: 'cancel', stall: { minutes: 15 }, gpuIdle: { enabled: false } } });
  await expect(inspector.locator('[data-section="monitoring"] .field-message.error')).toHaveCount(0);
});

test('Export monitoring… writes the dashboard and both rule files to the chosen folder', async ({ app }) => {
  await app.keyboard.press('Control+n');
  await app.getByRole('button', { name: /Korean LLM \(smoke\)/ }).click();
  await app.getByRole('button', { name: 'Export monitoring…' }).click();
  const dialog = app.getByRole('dialog', { name: 'Export to a folder' });
  await fillField(dialog.getByLabel('Folder', { exact: true }), workDir());
  await dialog.getByLabel('Folder', { exact: true }).press('Enter');
  await dialog.getByLabel('New subfolder (optional)').fill('monitoring-export');
  await dialog.getByRole('button', { name: 'Export here' }).click();
  await expect(app.getByTestId('status-message')).toContainText('Wrote the Grafana dashboard and Prometheus alert rules (3 files)');
  const dir = path.join(workDir(), 'monitoring-export');
  for (const file of ['dashboard.json', 'alert-rules.yaml', 'prometheusrule.yaml']) expect(existsSync(path.join(dir, file)), file).toBe(true);
  expect(JSON.parse(readFileSync(path.join(dir, 'dashboard.json'), 'utf8')).title).toBe('Pipewright: korean-llm-smoke');
  expect(readFileSync(path.join(dir, 'prometheusrule.yaml'), 'utf8')).toContain('kind: PrometheusRule');
});

test('the monitoring and alert settings in Korean', async ({ app, request }) => {
  await app.keyboard.press('Control+n');
  await app.getByRole('button', { name: /Korean LLM \(smoke\)/ }).click();
  await rpc(request, 'updateSettings', [{ language: 'ko' }]);
  try {
    const section = app.locator('[data-section="monitoring"]');
    await expect(section.getByRole('heading', { name: '모니터링과 알림' })).toBeVisible();
    await section.scrollIntoViewIfNeeded();
    await expect(section.getByLabel('알림이 울리면')).toBeVisible();
    await expect(section.getByLabel('손실이 NaN 또는 무한대가 됨')).toBeChecked();
    await app.screenshot({ path: 'test-results/screenshots/monitoring-settings-ko.png' });
  } finally {
    await rpc(request, 'updateSettings', [{ language: 'system' }]);
  }
});

test('the Prometheus URL for the GPU idle alert is set in Settings, and refused when not a URL', async ({ app, request }) => {
  try {
    await app.getByRole('button', { name: 'Settings', exact: true }).click();
    const field = app.getByLabel('Prometheus URL for GPU alerts');
    await field.fill('localhost:9090');
    await field.blur();
    await expect(app.getByRole('dialog').getByRole('alert')).toHaveText('Enter an http:// or https:// URL.');
    await field.fill('http://localhost:9090');
    await field.blur();
    await expect.poll(async () => ((await rpc(request, 'getSettings')) as { prometheusUrl: string | null }).prometheusUrl).toBe('http://localhost:9090');
    await expect(app.getByRole('dialog').getByRole('alert')).toHaveCount(0);
  } finally {
    await rpc(request, 'updateSettings', [{ prometheusUrl: null }]);
  }
});
