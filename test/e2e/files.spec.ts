import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, openApp, test, workDir } from './fixtures.ts';
import { startBrowserMode } from './globalSetup.ts';
import { autosaveOnDisk, documentOf } from './helpers.ts';
import { fillField } from './helpers/fillField.ts';

/** Picks a path in the app's own file dialog (browser mode): type the folder, then the name. */
async function pickInFileDialog(page: Page, title: string, folder: string, name: string, confirm: string): Promise<void> {
  const dialog = page.getByRole('dialog', { name: title });
  await expect(dialog).toBeVisible();
  await fillField(dialog.getByLabel('Folder', { exact: true }), folder);
  await dialog.getByLabel('Folder', { exact: true }).press('Enter');
  await dialog.getByLabel('File name').fill(name);
  await dialog.getByRole('button', { name: confirm, exact: true }).click();
  await expect(dialog).toHaveCount(0);
}

async function makeSmallPipeline(page: Page): Promise<void> {
  await page.locator('.palette-item[data-node-type="dataset"]').dblclick();
  await page.getByRole('complementary', { name: 'Inspector' }).getByLabel('URI', { exact: true }).fill('sample://ko_corpus.jsonl');
  await page.locator('.palette-item[data-node-type="preprocess"]').dblclick();
}

test('save, reload, reopen from Open Recent and from Open', async ({ app }) => {
  await makeSmallPipeline(app);
  await expect(app.locator('.doc-title .dirty-dot')).toBeVisible();
  await expect.poll(() => app.title()).toMatch(/^● untitled-pipeline/);
  await app.keyboard.press('Control+s');
  await pickInFileDialog(app, 'Save the pipeline as', workDir(), 'e2e-save', 'Save');
  await expect(app.getByTestId('status-message')).toContainText('Saved e2e-save.pipewright.json');
  await expect(app.locator('.doc-title .dirty-dot')).toHaveCount(0);
  const file = path.join(workDir(), 'e2e-save.pipewright.json');
  const saved = JSON.parse(readFileSync(file, 'utf8'));
  expect(saved.nodes.map((n: { id: string }) => n.id)).toEqual(['dataset', 'preprocess']);
  expect(saved.nodes[0].params.uri).toBe('sample://ko_corpus.jsonl');

  await app.reload();
  await expect(app.locator('.react-flow__pane')).toBeVisible();
  expect((await documentOf(app)).nodes).toHaveLength(0);

  await app.getByRole('button', { name: 'Open recent' }).click();
  await app.getByRole('menuitem', { name: /e2e-save\.pipewright\.json/ }).click();
  await expect.poll(async () => (await documentOf(app)).nodes.map((n) => n.id)).toEqual(['dataset', 'preprocess']);
  await expect(app.locator('.doc-title .dirty-dot')).toHaveCount(0);

  await app.locator('.palette-item[data-node-type="eval"]').dblclick();
  await app.keyboard.press('Control+s');
  await expect(app.getByTestId('status-message')).toContainText('Saved e2e-save.pipewright.json');
  expect(JSON.parse(readFileSync(file, 'utf8')).nodes).toHaveLength(3);

  await app.reload();
  await expect(app.locator('.react-flow__pane')).toBeVisible();
  await app.keyboard.press('Control+o');
  const open = app.getByRole('dialog', { name: 'Open a pipeline' });
  await fillField(open.getByLabel('Folder', { exact: true }), workDir());
  await open.getByLabel('Folder', { exact: true }).press('Enter');
  await open.getByRole('option', { name: 'e2e-save.pipewright.json' }).getByRole('button').dblclick();
  await expect.poll(async () => (await documentOf(app)).nodes.map((n) => n.id)).toEqual(['dataset', 'preprocess', 'eval']);
});

test('a corrupt file shows what is wrong and where, and stays untouched', async ({ app }) => {
  const file = path.join(workDir(), 'corrupt.pipewright.json');
  const text = '{\n  "format": "pipewright.pipeline/v2",\n  "name": "broken",\n  "nodes": [ { "id": "a", }\n';
  writeFileSync(file, text);
  await app.keyboard.press('Control+o');
  await pickInFileDialog(app, 'Open a pipeline', workDir(), 'corrupt.pipewright.json', 'Open');
  const dialog = app.getByRole('dialog', { name: 'This file cannot be opened' });
  await expect(dialog).toContainText('corrupt.pipewright.json');
  await expect(dialog.getByRole('alert')).toContainText(/line 4/i);
  await expect(dialog).toContainText('The file was not changed.');
  await dialog.getByRole('button', { name: 'OK' }).click();
  expect(readFileSync(file, 'utf8')).toBe(text);
  expect((await documentOf(app)).name).toBe('untitled-pipeline');

  const newer = path.join(workDir(), 'newer.pipewright.json');
  writeFileSync(newer, JSON.stringify({ format: 'pipewright.pipeline/v9', name: 'future', nodes: [], edges: [] }));
  await app.keyboard.press('Control+o');
  await pickInFileDialog(app, 'Open a pipeline', workDir(), 'newer.pipewright.json', 'Open');
  await expect(app.getByRole('dialog', { name: 'This file cannot be opened' })).toContainText('v9');
});

test('after a crash the autosaved document is offered back', async ({ app, context }) => {
  await makeSmallPipeline(app);
  // Autosave runs every few seconds while the document is dirty: wait for its draft, not a fixed time.
  await autosaveOnDisk(process.env.PIPEWRIGHT_E2E_DATADIR!, 'preprocess');
  await app.close();
  // The app "crashed": a fresh back end on the same data dir finds the draft left behind.
  const restarted = await startBrowserMode(process.env.PIPEWRIGHT_E2E_DATADIR!, workDir());
  try {
    const page = await context.newPage();
    await openApp(page, restarted.url);
    const offer = page.getByRole('dialog', { name: 'Restore unsaved work?' });
    await expect(offer).toContainText('untitled-pipeline');
    await offer.getByRole('button', { name: 'Restore' }).first().click();
    await expect.poll(async () => (await documentOf(page)).nodes.map((n) => n.id)).toEqual(['dataset', 'preprocess']);
    await expect(page.locator('.doc-title .dirty-dot')).toBeVisible();
  } finally {
    restarted.stop();
  }
});

test('Export… writes the compiled files of the chosen target to a folder', async ({ app }) => {
  await app.keyboard.press('Control+n');
  await app.getByRole('button', { name: /Korean LLM \(smoke\)/ }).click();
  await app.getByRole('tab', { name: 'Output' }).click();
  await app.getByRole('tab', { name: 'DVC' }).click();
  await app.getByTestId('output-body').waitFor();
  await app.locator('.output-pane').getByRole('button', { name: 'Export…' }).click();
  const dialog = app.getByRole('dialog', { name: 'Export to a folder' });
  await fillField(dialog.getByLabel('Folder', { exact: true }), workDir());
  await dialog.getByLabel('Folder', { exact: true }).press('Enter');
  await dialog.getByLabel('New subfolder (optional)').fill('dvc-export');
  await dialog.getByRole('button', { name: 'Export here' }).click();
  await expect(app.getByTestId('status-message')).toContainText('dvc-export');
  const dir = path.join(workDir(), 'dvc-export');
  expect(readFileSync(path.join(dir, 'dvc.yaml'), 'utf8')).toContain('stages:');
  expect(JSON.parse(readFileSync(path.join(dir, 'params.yaml'), 'utf8'))).toHaveProperty('preprocess');
});
