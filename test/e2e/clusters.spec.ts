/**
 * Settings › Clusters in browser mode with no kubeconfig at all (no KUBECONFIG, an empty home): the run
 * dialog says so plainly instead of offering a made-up context; kubeconfig files are added (bad ones
 * refused with the reason), reordered and removed, merged as kubectl merges them; the current context
 * switches; "Use the local emulator" starts the bundled emulator and a cluster run's Test connection
 * reaches it; a plain-http kubeconfig gets the plain message; the emulator stops with the server.
 * The namespace defaults to the pipeline's setting, and "Last used" sits under its own target.
 */
import type { APIRequestContext, Page } from '@playwright/test';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import template from '../../node-catalog/templates/korean-llm.pipewright.json' with { type: 'json' };
import type { PipelineDocument } from '../../shared/pipeline/types.ts';
import { expect, openApp, test } from './fixtures.ts';
import { startBrowserMode } from './globalSetup.ts';

test.use({ viewport: { width: 1440, height: 900 } });
test.setTimeout(120_000);
const BROWSER_ONLY = 'drives browser mode with its own back end (no kubeconfig anywhere), not the desktop app';

let server: { url: string; stop(): void; kill(): Promise<void> } | undefined;
let base = '';

function kubeconfig(name: string, contexts: [string, string][], current?: string, skipTls = false): string {
  const file = path.join(base, name);
  const lines = ['apiVersion: v1', 'kind: Config', ...(current ? [`current-context: ${current}`] : []), 'clusters:'];
  for (const [ctx, server] of contexts) lines.push(`- name: ${ctx}`, '  cluster:', `    server: ${server}`, ...(skipTls ? ['    insecure-skip-tls-verify: true'] : []));
  lines.push('users:', '- name: me', '  user: { token: t }', 'contexts:');
  for (const [ctx] of contexts) lines.push(`- name: ${ctx}`, '  context:', `    cluster: ${ctx}`, '    user: me');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

async function rpcOn(request: APIRequestContext, method: string, args: unknown[] = []): Promise<unknown> {
  const url = new URL(server!.url);
  const response = await request.post(new URL('/api/rpc', url.origin).toString(), {
    headers: { 'Content-Type': 'application/json', Connection: 'close', 'X-Pipewright-Token': url.searchParams.get('token')! },
    data: { method, args },
  });
  const body = (await response.json()) as { ok: boolean; value?: unknown; error?: { message: string } };
  if (!body.ok) throw new Error(body.error?.message);
  return body.value;
}

test.beforeAll(async ({ browserName }, testInfo) => {
  if (testInfo.project.name === 'electron' || browserName !== 'chromium') return;
  base = mkdtempSync(path.join(tmpdir(), 'pipewright-e2e-clusters-'));
  mkdirSync(path.join(base, 'data'));
  mkdirSync(path.join(base, 'home'));
  // A remembered Argo choice for the template from before it had a namespace setting.
  writeFileSync(path.join(base, 'data', 'settings.json'), JSON.stringify({ version: 1, recentContexts: { 'korean-llm': { target: 'argo', context: 'pipewright-emulator', namespace: 'default', usedAt: '2026-12-01T00:00:00.000Z' } } }));
  server = await startBrowserMode(path.join(base, 'data'), path.join(base, 'home'), { env: { KUBECONFIG: undefined } });
});

test.afterAll(async () => {
  await server?.kill();
  if (base) rmSync(base, { recursive: true, force: true });
});

async function closeDialog(page: Page) {
  await page.getByRole('dialog').getByRole('button', { name: 'Close' }).click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
}

async function openRunDialog(page: Page) {
  await page.locator('[data-action="run.start"]').click();
  return page.getByRole('dialog');
}

test('no kubeconfig, files added and merged, context switched, the local emulator used and stopped with the server', async ({ page, request }, testInfo) => {
  test.skip(testInfo.project.name === 'electron' || !server, BROWSER_ONLY);
  await openApp(page, server!.url);
  await page.evaluate((d) => window.pipewright_debug!.loadDocument(d), structuredClone(template) as unknown as PipelineDocument);

  // No kubeconfig: a plain message and the way to Settings › Clusters, not `loaded-context — http://localhost:8080`.
  let dialog = await openRunDialog(page);
  const argo = dialog.locator('label.target-option', { hasText: 'Argo Workflows' });
  await expect(argo.getByRole('radio')).toBeChecked();
  // "Last used for this pipeline." under the remembered target only, whichever is clicked.
  await expect(argo).toContainText('Last used for this pipeline.');
  await dialog.getByRole('radio', { name: /Kubeflow Pipelines/ }).check();
  await expect(dialog.getByText('Last used for this pipeline.')).toHaveCount(1);
  await expect(dialog.locator('label.target-option', { hasText: 'Kubeflow Pipelines' })).not.toContainText('Last used');
  await dialog.getByRole('radio', { name: /Argo Workflows/ }).check();
  // The pipeline's namespace setting, not the remembered `default`.
  await expect(dialog.getByLabel('Namespace')).toHaveValue('kubeflow');
  await expect(dialog.getByRole('alert').filter({ hasText: 'No kubeconfig found (KUBECONFIG, ~/.kube/config)' })).toContainText('Settings › Clusters');
  await expect(dialog.locator('option', { hasText: 'loaded-context' })).toHaveCount(0);
  await expect(dialog.getByTestId('run-start')).toBeDisabled();
  await dialog.getByRole('button', { name: 'Settings › Clusters…' }).click();

  dialog = page.getByRole('dialog');
  await expect(dialog.getByRole('tab', { name: 'Clusters' })).toHaveAttribute('aria-selected', 'true');
  const clusters = dialog.getByTestId('cluster-settings');
  await expect(clusters.getByRole('alert')).toContainText('No kubeconfig found (KUBECONFIG, ~/.kube/config)');

  // Bad files are refused with the reason; nothing is saved.
  const add = clusters.getByLabel('Add a kubeconfig file');
  await add.fill('kube/config');
  await add.press('Enter');
  await expect(clusters.getByRole('alert').last()).toContainText('Give the file\'s full path (starting with / or ~/): "kube/config".');
  await add.fill(path.join(base, 'nope.yaml'));
  await add.press('Enter');
  await expect(clusters.getByRole('alert').last()).toContainText(`No file at ${path.join(base, 'nope.yaml')}.`);
  const junk = path.join(base, 'junk.yaml');
  writeFileSync(junk, 'clusters: [{ cluster: {} }]\n');
  await add.fill(junk);
  await add.press('Enter');
  await expect(clusters.getByRole('alert').last()).toContainText(`${junk} is not a kubeconfig: clusters[0].name is missing`);
  expect(((await rpcOn(request, 'getSettings')) as { kubeconfigFiles: string[] }).kubeconfigFiles).toEqual([]);
  // An exec credential plugin runs a program at every cluster call: browser mode cannot ask outside the page, so it refuses and says what to do.
  const eks = path.join(base, 'eks.yaml');
  writeFileSync(eks, 'apiVersion: v1\nkind: Config\nclusters:\n- name: eks\n  cluster: { server: "https://eks.example:443" }\ncontexts:\n- name: eks\n  context: { cluster: eks, user: eks-admin }\nusers:\n- name: eks-admin\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1beta1\n      command: aws\n      args: [eks, get-token, --cluster-name, prod]\n');
  await add.fill(eks);
  await add.press('Enter');
  const refusal = clusters.getByTestId('kubeconfig-programs');
  await expect(refusal.locator('li', { hasText: eks })).toContainText('runs:');
  await expect(refusal.locator('li', { hasText: eks }).locator('code').last()).toHaveText('aws eks get-token --cluster-name prod (user eks-admin)');
  await expect(refusal).toContainText(`start Pipewright with KUBECONFIG=${eks} in the terminal`);
  expect(((await rpcOn(request, 'getSettings')) as { kubeconfigFiles: string[] }).kubeconfigFiles).toEqual([]);

  // Two files, merged as kubectl merges them: the current context from the first file that sets one.
  const dev = kubeconfig('dev.yaml', [['dev', 'https://dev.example:6443'], ['shared', 'https://from-dev:6443']]);
  const prod = kubeconfig('prod.yaml', [['prod', 'https://prod.example:6443'], ['shared', 'https://from-prod:6443']], 'prod');
  for (const file of [dev, prod]) {
    await add.fill(file);
    await add.press('Enter');
    await expect(clusters.locator('.kubeconfig-files li', { hasText: file })).toContainText('2 contexts');
  }
  const context = clusters.getByLabel('Current context');
  await expect(context).toHaveValue('prod');
  await expect(context.locator('option', { hasText: 'shared' })).toHaveText('shared — https://from-dev:6443');
  await clusters.getByRole('button', { name: `Move up: ${prod}` }).click();
  await expect(clusters.locator('.kubeconfig-files li').first()).toContainText(prod);
  await expect(context.locator('option', { hasText: 'shared' })).toHaveText('shared — https://from-prod:6443');
  await context.selectOption('dev');
  await expect.poll(async () => rpcOn(request, 'getSettings')).toMatchObject({ kubeconfigFiles: [prod, dev], kubeContext: 'dev' });
  await clusters.getByRole('button', { name: `Remove: ${prod}` }).click();
  await expect(clusters.locator('.kubeconfig-files li')).toHaveCount(1);

  // A plain-http cluster without insecure-skip-tls-verify: the plain message, not the library's.
  const plain = kubeconfig('plain.yaml', [['plain', 'http://127.0.0.1:1']]);
  await add.fill(plain);
  await add.press('Enter');
  await context.selectOption('plain');
  await closeDialog(page);
  dialog = await openRunDialog(page);
  await expect(dialog.getByLabel('Kubeconfig context')).toHaveValue('plain');
  await dialog.getByRole('button', { name: 'Test connection' }).click();
  await expect(dialog.getByTestId('connection-check')).toContainText('The cluster "plain" is served over plain http:// (http://127.0.0.1:1)');
  await expect(dialog.getByTestId('connection-check')).not.toContainText('skipTLSVerify');
  await closeDialog(page);

  // One click: the local emulator, its kubeconfig first, its context current.
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  dialog = page.getByRole('dialog');
  await dialog.getByRole('tab', { name: 'Clusters' }).click();
  await dialog.getByRole('button', { name: 'Use the local emulator' }).click();
  const status = dialog.getByTestId('emulator-status');
  await expect(status).toContainText(/Running at http:\/\/127\.0\.0\.1:\d+ \(context pipewright-emulator\)/, { timeout: 30_000 });
  await expect(dialog.locator('.kubeconfig-files li').first()).toContainText('local emulator');
  await expect(dialog.getByLabel('Current context')).toHaveValue('pipewright-emulator');
  const emulatorUrl = /Running at (http:\/\/\S+) /.exec((await status.textContent()) ?? '')![1]!;
  await closeDialog(page);

  dialog = await openRunDialog(page);
  await expect(dialog.getByLabel('Kubeconfig context')).toHaveValue('pipewright-emulator');
  await expect(dialog.getByLabel('Namespace')).toHaveValue('kubeflow');
  await dialog.getByRole('button', { name: 'Test connection' }).click();
  await expect(dialog.getByTestId('connection-check')).toContainText('The cluster answers');
  await expect(dialog.getByTestId('connection-check')).toContainText(/Argo Workflows installed\s*✓ yes/);
  await closeDialog(page);

  // In Korean, for the screenshot.
  await rpcOn(request, 'updateSettings', [{ language: 'ko' }]);
  await page.reload();
  await expect(page.locator('.react-flow__pane')).toBeVisible();
  await page.getByRole('button', { name: '설정', exact: true }).click();
  dialog = page.getByRole('dialog');
  await dialog.getByRole('tab', { name: '클러스터' }).click();
  await expect(dialog.getByTestId('emulator-status')).toContainText('에서 실행 중');
  await page.screenshot({ path: 'test-results/screenshots/settings-clusters-ko.png' });
  await rpcOn(request, 'updateSettings', [{ language: 'en' }]);

  // The emulator ends with the server.
  server!.stop();
  await expect.poll(async () => fetch(`${emulatorUrl}/version`).then(() => 'up', () => 'down'), { timeout: 15_000 }).toBe('down');
});
