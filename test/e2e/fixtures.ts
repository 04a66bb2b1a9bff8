/**
 * The app under test: browser mode in Debian's Chromium (project `chromium`), or the real desktop app
 * through Playwright's Electron support (project `electron`, skipped with the reason where its binary is missing).
 */
import { _electron, test as base, expect } from '@playwright/test';
import type { APIRequestContext, Page } from '@playwright/test';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
const electronMain = path.join(root, 'dist/electron/main.cjs');

/** Why the desktop app cannot be driven here, or null when it can. */
export function electronUnavailable(): string | null {
  const pkgDir = path.join(root, 'node_modules/electron');
  const pathFile = path.join(pkgDir, 'path.txt');
  if (!existsSync(pathFile)) return 'Electron binary not installed (node_modules/electron/path.txt is missing: its download is blocked here)';
  const binary = path.join(pkgDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  if (!existsSync(binary)) return `Electron binary missing at ${binary}`;
  if (!existsSync(electronMain)) return `desktop app not built (${path.relative(root, electronMain)} is missing)`;
  return null;
}

let skipReported = false;

export function serverUrl(): string {
  const url = process.env.PIPEWRIGHT_E2E_URL;
  if (!url) throw new Error('PIPEWRIGHT_E2E_URL is not set: run through playwright.config.ts (its globalSetup starts browser mode)');
  return url;
}

export function workDir(): string {
  return process.env.PIPEWRIGHT_E2E_WORKDIR!;
}

/** Calls the back end directly (test set-up and clean-up only; the tests themselves use the UI). */
export async function rpc(request: APIRequestContext, method: string, args: unknown[] = []): Promise<unknown> {
  const url = new URL(serverUrl());
  const token = url.searchParams.get('token')!;
  const response = await request.post(new URL('/api/rpc', url.origin).toString(), {
    headers: { 'Content-Type': 'application/json', Connection: 'close', 'X-Pipewright-Token': token },
    data: { method, args },
  });
  const body = (await response.json()) as { ok: boolean; value?: unknown; error?: { message: string } };
  if (!body.ok) throw new Error(`${method}: ${body.error?.message}`);
  return body.value;
}

/**
 * Removes every autosave draft. Through the API only drafts idle for a minute are listed (live ones are
 * hidden), so a draft from the test before could surface as a restore offer in a later test: delete the files.
 */
function discardDrafts(): void {
  const dataDir = process.env.PIPEWRIGHT_E2E_DATADIR;
  if (dataDir) rmSync(path.join(dataDir, 'recovery'), { recursive: true, force: true });
}

/** Opens the app and waits until the canvas is there (Monaco may still be on its way). */
export async function openApp(page: Page, url = serverUrl()): Promise<void> {
  await page.goto(url);
  await expect(page.locator('.react-flow__pane')).toBeVisible();
}

export const test = base.extend<{ app: Page }>({
  app: async ({ page }, use, testInfo) => {
    discardDrafts();
    if (testInfo.project.name === 'electron') {
      const reason = electronUnavailable();
      if (reason) {
        if (!skipReported) console.log(`[electron project] skipped: ${reason}`);
        skipReported = true;
        testInfo.skip(true, reason);
        return;
      }
      const electronApp = await _electron.launch({ args: [electronMain], env: { ...process.env, PIPEWRIGHT_DATA_DIR: process.env.PIPEWRIGHT_E2E_DATADIR ?? '' } });
      const window = await electronApp.firstWindow();
      await expect(window.locator('.react-flow__pane')).toBeVisible();
      await use(window);
      await electronApp.close();
      return;
    }
    // Reloading with unsaved changes asks first; the tests mean to leave.
    page.on('dialog', (dialog) => void dialog.accept());
    await openApp(page);
    await use(page);
  },
});

export { expect };
export const requireFromRoot = createRequire(path.join(root, 'package.json'));
