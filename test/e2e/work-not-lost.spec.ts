/**
 * Work is never lost in browser mode: a reload or a new tab offers the autosave at once (a live
 * draft of another tab is not offered), a lost back end shows a banner until it is back, and a
 * damaged settings file is kept aside and told once.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, openApp, rpc, serverUrl, test, workDir } from './fixtures.ts';
import { startBrowserMode } from './globalSetup.ts';
import { autosaveOnDisk, documentOf } from './helpers.ts';

const dataDir = () => process.env.PIPEWRIGHT_E2E_DATADIR!;
const offer = (page: Page) => page.getByRole('dialog', { name: 'Restore unsaved work?' });

async function makeSmallPipeline(page: Page): Promise<void> {
  await page.locator('.palette-item[data-node-type="dataset"]').dblclick();
  await page.locator('.palette-item[data-node-type="preprocess"]').dblclick();
  await expect.poll(async () => (await documentOf(page)).nodes.length).toBe(2);
}

const draftOnDisk = (dir = dataDir()) => autosaveOnDisk(dir, 'preprocess');

test('a reload offers the autosaved draft at once, and restoring brings the work back', async ({ app }) => {
  await makeSmallPipeline(app);
  await draftOnDisk();
  const started = Date.now();
  await app.reload();
  await expect(offer(app)).toBeVisible({ timeout: 5_000 });
  expect(Date.now() - started).toBeLessThan(5_000);
  await expect(offer(app)).toContainText('untitled-pipeline');
  await offer(app).getByRole('button', { name: 'Restore' }).click();
  await expect.poll(async () => (await documentOf(app)).nodes.map((n) => n.id)).toEqual(['dataset', 'preprocess']);
  await expect(app.locator('.doc-title .dirty-dot')).toBeVisible();
});

test('a new tab is not offered a draft another tab is editing, and is offered it the moment that tab closes', async ({ app, context }) => {
  await makeSmallPipeline(app);
  await draftOnDisk();
  const second = await context.newPage();
  second.on('dialog', (dialog) => void dialog.accept());
  await openApp(second, serverUrl());
  await second.waitForTimeout(1500);
  await expect(offer(second)).toHaveCount(0);
  await app.close({ runBeforeUnload: false });
  await expect(offer(second)).toBeVisible({ timeout: 5_000 });
  await offer(second).getByRole('button', { name: 'Restore' }).click();
  await expect.poll(async () => (await documentOf(second)).nodes.map((n) => n.id)).toEqual(['dataset', 'preprocess']);
  // Taken over by the second tab: a third one is not offered it.
  const third = await context.newPage();
  await openApp(third, serverUrl());
  await third.waitForTimeout(1500);
  await expect(offer(third)).toHaveCount(0);
  await third.close();
  await second.close({ runBeforeUnload: false });
});

test('an untouched empty pipeline is not offered after a reload', async ({ app }) => {
  await app.waitForTimeout(3500);
  await app.reload();
  await expect(app.locator('.react-flow__pane')).toBeVisible();
  await app.waitForTimeout(1500);
  await expect(offer(app)).toHaveCount(0);
});

test('a damaged settings file is kept aside and told once, in English and Korean', async ({ app, request }) => {
  const settingsFile = path.join(dataDir(), 'settings.json');
  const junk = '{"language": "en", "theme": "da';
  writeFileSync(settingsFile, junk);
  try {
    await app.reload();
    const notice = app.getByTestId('notice');
    await expect(notice).toContainText('The settings file');
    await expect(notice).toContainText('could not be read, so Pipewright goes on with defaults');
    const kept = readdirSync(dataDir()).filter((n) => n.startsWith('settings.json.corrupt-'));
    expect(kept).toHaveLength(1);
    expect(readFileSync(path.join(dataDir(), kept[0]), 'utf8')).toBe(junk);
    await expect(notice).toContainText(`The original is kept as ${path.join(dataDir(), kept[0])}`);

    await rpc(request, 'updateSettings', [{ language: 'ko' }]);
    await expect(notice).toContainText('설정 파일');
    await app.screenshot({ path: 'test-results/screens/notice-corrupt-settings-ko.png' });
    await notice.getByRole('button', { name: '닫기' }).click();
    await expect(notice).toHaveCount(0);
    await app.reload();
    await expect(app.locator('.react-flow__pane')).toBeVisible();
    await app.waitForTimeout(1000);
    await expect(app.getByTestId('notice')).toHaveCount(0);
  } finally {
    await rpc(request, 'updateSettings', [{ language: 'en' }]);
    for (const name of readdirSync(dataDir()).filter((n) => n.startsWith('settings.json.corrupt-'))) rmSync(path.join(dataDir(), name));
  }
});

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

test('a lost back end shows “disconnected — retrying” until it is back, in English and Korean', async ({ page, request }) => {
  const ownData = mkdtempSync(path.join(tmpdir(), 'pipewright-e2e-disconnect-'));
  const fixed = { port: await freePort(), token: 'e'.repeat(64) };
  let server = await startBrowserMode(ownData, workDir(), fixed);
  try {
    page.on('dialog', (dialog) => void dialog.accept());
    await openApp(page, server.url);
    const banner = page.getByTestId('backend-disconnected');
    await expect(banner).toHaveCount(0);
    await makeSmallPipeline(page);
    await draftOnDisk(ownData);

    await server.kill();
    await expect(banner).toBeVisible({ timeout: 5_000 });
    await expect(banner).toHaveText('Disconnected from Pipewright’s back end — retrying…');
    // Editing goes on while it is away.
    await page.locator('.palette-item[data-node-type="eval"]').dblclick();
    await expect.poll(async () => (await documentOf(page)).nodes.length).toBe(3);

    server = await startBrowserMode(ownData, workDir(), fixed);
    await expect(banner).toHaveCount(0, { timeout: 10_000 });
    await expect(page.getByTestId('status-message')).toContainText('Connected to Pipewright’s back end again.');
    // The tab holds its draft again at once: the restarted back end does not offer it to anyone else.
    await expect.poll(async () => (await request.post(`http://127.0.0.1:${fixed.port}/api/rpc`, { headers: { 'Content-Type': 'application/json', Connection: 'close', 'X-Pipewright-Token': fixed.token }, data: { method: 'listRecovery', args: [] } }).then((r) => r.json())).value).toEqual([]);
    await expect(offer(page)).toHaveCount(0);

    await request.post(`http://127.0.0.1:${fixed.port}/api/rpc`, { headers: { 'Content-Type': 'application/json', Connection: 'close', 'X-Pipewright-Token': fixed.token }, data: { method: 'updateSettings', args: [{ language: 'ko' }] } });
    await expect(page.locator('html')).toHaveAttribute('lang', 'ko');
    await server.kill();
    await expect(banner).toHaveText('Pipewright 백엔드와 연결이 끊겼습니다 — 다시 연결하는 중…', { timeout: 5_000 });
    await page.screenshot({ path: 'test-results/screens/disconnected-ko.png' });
  } finally {
    await server.kill().catch(() => undefined);
    rmSync(ownData, { recursive: true, force: true });
  }
});
