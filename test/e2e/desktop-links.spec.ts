/**
 * The desktop app's "only from a click" rules, in real Chromium: the actual preload (its
 * navigator.userActivation readings) and the renderer's link handler, bundled with a stand-in for the
 * 'electron' module, on a page with an MLflow link and a Run button. Electron itself cannot run here; what it adds (the
 * preload in an isolated world of the same frame, whose activation state is the frame's) is not checked.
 */
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { build } from 'esbuild';

const root = path.resolve(import.meta.dirname, '../..');
const PAGE = 'http://pipewright-links.test/';

async function bundle(): Promise<string> {
  const result = await build({
    entryPoints: [path.join(root, 'test/e2e/support/desktopLinksEntry.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    alias: { electron: path.join(root, 'test/e2e/support/electronShim.ts') },
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

test('a link opens through the bridge from a real click, never from a script', async ({ page }, testInfo) => {
  test.skip(testInfo.project.name !== 'chromium', 'plain Chromium page; nothing of the app runs');
  const script = await bundle();
  const html = `<!doctype html><html><body>
    <a id="run" href="https://mlflow.example/#/experiments/1/runs/abc" target="_blank">MLflow run</a>
    <script>${script.replace(/<\/script/gi, '<\\/script')}</script>
    <script>
      // A script on the page, with no click behind it, tries both ways out.
      document.getElementById('run').click();
      window.pipewright.openExternal('https://evil.example/').catch((e) => window.__refused.push('direct: ' + e.message));
    </script>
  </body></html>`;
  await page.route(`${PAGE}**`, (route) => route.fulfill({ contentType: 'text/html', body: html }));
  await page.goto(PAGE);
  await expect.poll(() => page.evaluate(() => (window as unknown as { __refused: string[] }).__refused.length)).toBe(2);
  expect(await page.evaluate(() => (window as unknown as { __refused: string[] }).__refused)).toEqual([
    'Not opened: links open in the browser only from a click.',
    'direct: Not opened: links open in the browser only from a click.',
  ]);
  expect(await page.evaluate(() => (window as unknown as { __ipc: unknown[] }).__ipc)).toEqual([]);
  // The page did not navigate or open a window.
  expect(page.url()).toBe(PAGE);

  const popups: string[] = [];
  page.context().on('page', (p) => popups.push(p.url()));
  await page.click('#run');
  await expect.poll(() => page.evaluate(() => (window as unknown as { __ipc: unknown[] }).__ipc)).toEqual([
    ['pipewright:open-external', 'https://mlflow.example/#/experiments/1/runs/abc'],
  ]);
  expect(page.url()).toBe(PAGE);
  expect(popups).toEqual([]);
});

test('a call that runs code carries whether a click came before it', async ({ page }, testInfo) => {
  test.skip(testInfo.project.name !== 'chromium', 'plain Chromium page; nothing of the app runs');
  const script = await bundle();
  const html = `<!doctype html><html><body>
    <button id="run" onclick="window.pipewright.invoke({ method: 'startRun', args: ['clicked'] })">Run</button>
    <script>${script.replace(/<\/script/gi, '<\\/script')}</script>
    <script>window.pipewright.invoke({ method: 'startRun', args: ['script'] });</script>
  </body></html>`;
  await page.route(`${PAGE}**`, (route) => route.fulfill({ contentType: 'text/html', body: html }));
  await page.goto(PAGE);
  const calls = () => page.evaluate(() => (window as unknown as { __ipc: unknown[][] }).__ipc);
  await expect.poll(calls).toEqual([['pipewright:invoke', { method: 'startRun', args: ['script'] }, false]]);
  await page.click('#run');
  await expect.poll(calls).toEqual([
    ['pipewright:invoke', { method: 'startRun', args: ['script'] }, false],
    ['pipewright:invoke', { method: 'startRun', args: ['clicked'] }, true],
  ]);
});
