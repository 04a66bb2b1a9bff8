/**
 * Small things at 1440×900: the toolbar's Export label without the "…" that Korean fonts draw as a row
 * of dots; the Runs table's Open and Delete at the panel's right edge however wide its columns; the
 * toolbar inert behind a modal dialog; no empty minimap on an empty canvas.
 */
import path from 'node:path';
import { RunHistory } from '../../electron/services/runs/history.ts';
import { RUN_FORMAT } from '../../electron/services/runs/runFiles.ts';
import { templateDocument } from '../../node-catalog/templates/index.ts';
import { expect, rpc, test } from './fixtures.ts';

test.afterEach(async ({ request }) => {
  await rpc(request, 'updateSettings', [{ language: 'system' }]);
});

test('export label, Runs table actions in view, toolbar inert under a dialog, no minimap on an empty canvas', async ({ app, request }) => {
  // An empty canvas: no minimap; one step: the minimap.
  await app.evaluate(() => window.pipewright_debug!.loadDocument({ format: 'pipewright.pipeline/v2', name: 'empty', nodes: [], edges: [] }));
  await expect(app.locator('.react-flow__minimap')).toHaveCount(0);
  await app.evaluate((d) => window.pipewright_debug!.loadDocument(d), templateDocument('korean-llm-smoke')!);
  await expect(app.locator('.react-flow__minimap')).toBeVisible();

  // The Export button's text has no trailing ellipsis (its accessible name keeps the menu's wording).
  const exportButton = app.locator('[data-action="file.export"]');
  await expect(exportButton).toHaveText('Export');
  await rpc(request, 'updateSettings', [{ language: 'ko' }]);
  await expect(exportButton).toHaveText('내보내기');

  // Behind a modal dialog the toolbar is inert: not focusable, a click does nothing.
  await app.locator('[data-action="view.settings"]').click();
  await expect(app.getByRole('dialog')).toBeVisible();
  await expect(app.locator('.behind-dialogs')).toHaveAttribute('inert', '');
  expect(await app.locator('[data-action="file.new"]').evaluate((b) => (b as HTMLElement).focus() ?? document.activeElement === b)).toBe(false);
  for (let i = 0; i < 12; i++) {
    await app.keyboard.press('Tab');
    expect(await app.evaluate(() => Boolean(document.activeElement?.closest('.behind-dialogs')))).toBe(false);
  }
  await app.getByRole('dialog').getByRole('button', { name: '닫기' }).click();
  await expect(app.locator('.behind-dialogs')).not.toHaveAttribute('inert', '');

  // A run with long context and namespace names: the Runs table is wider than the panel, Delete stays in view.
  const id = `20260104-090000-wide${Math.random().toString(36).slice(2, 6)}`;
  const doc = templateDocument('korean-llm-smoke')!;
  const history = new RunHistory(path.join(process.env.PIPEWRIGHT_E2E_DATADIR!, 'runs'));
  // Newer runs above it (as earlier tests leave them): its row starts below the panel's fold.
  for (let i = 0; i < 30; i++) {
    const newer = `20260105-0900${String(i).padStart(2, '0')}-above${Math.random().toString(36).slice(2, 6)}`;
    await history.create({ format: RUN_FORMAT, id: newer, pipelineName: doc.name, target: 'local', phase: 'succeeded', createdAt: `2026-01-05T09:00:${String(i).padStart(2, '0')}.000Z`, nodes: {}, document: doc, compiled: {}, request: { target: 'local' } });
  }
  await history.create({
    format: RUN_FORMAT,
    id,
    pipelineName: doc.name,
    target: 'argo',
    context: 'arn:aws:eks:ap-northeast-2:123456789012:cluster/korean-llm-training-production',
    namespace: 'korean-llm-training-team-production',
    phase: 'succeeded',
    createdAt: '2026-01-04T09:00:00.000Z',
    finishedAt: '2026-01-04T09:30:00.000Z',
    nodes: {},
    document: doc,
    compiled: {},
    request: { target: 'argo' },
  });
  await app.getByRole('tab', { name: '실행 기록', exact: true }).click();
  await app.getByRole('button', { name: '새로 고침' }).click();
  const row = app.locator(`.runs-table tr[data-run-id="${id}"]`);
  // Runs made by earlier tests are newer and listed above it: bring its row into view by its first cell
  // (the table stays scrolled to its left edge, so Delete must be in view without scrolling sideways).
  await row.locator('td').first().scrollIntoViewIfNeeded();
  expect(await app.locator('.runs-table-wrap').evaluate((w) => w.scrollLeft)).toBe(0);
  const wrap = (await app.locator('.runs-table-wrap').boundingBox())!;
  expect(await app.locator('.runs-table').evaluate((t) => t.scrollWidth)).toBeGreaterThan(wrap.width);
  const del = (await row.getByRole('button', { name: '삭제' }).boundingBox())!;
  expect(del.x + del.width).toBeLessThanOrEqual(wrap.x + wrap.width);
  await expect(row.getByRole('button', { name: '삭제' })).toBeInViewport({ ratio: 1 });
  await app.screenshot({ path: 'test-results/screenshots/runs-table-ko.png' });
});
