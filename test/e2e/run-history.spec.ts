/**
 * The runs list: two past runs of the smoke pipeline (written into the run history as the back end
 * writes them) are filtered, compared side by side (the learning rate that differs, final metrics),
 * opened (the canvas shows the snapshot's phases, the panel its log and loss chart from disk, the log
 * downloads whole) and one is deleted after a confirmation. The list and the comparison are also captured in Korean.
 */
import type { Page } from '@playwright/test';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import template from '../../node-catalog/templates/korean-llm-smoke.pipewright.json' with { type: 'json' };
import { RunHistory } from '../../electron/services/runs/history.ts';
import { nodeLogDir } from '../../electron/services/runs/logFiles.ts';
import { NodeLogWriter } from '../../electron/services/runs/logWriter.ts';
import { formatMetricRecord, metricsFile } from '../../electron/services/runs/metricFiles.ts';
import { RUN_FORMAT } from '../../electron/services/runs/runFiles.ts';
import type { PipelineDocument } from '../../shared/pipeline/types.ts';
import type { NodeRunState } from '../../shared/runs/types.ts';
import { expect, rpc, test } from './fixtures.ts';
import { nodeCard, zoomToCard } from './helpers.ts';
import { chartPoints, logTotal, phaseOf } from './run-helpers.ts';

const suffix = Math.random().toString(36).slice(2, 6);
const RUN_A = `20260102-090000-hist${suffix}`;
const RUN_B = `20260102-100000-hist${suffix}`;

async function seed(dataDir: string, id: string, learningRate: number, loss: number, accuracy: number): Promise<void> {
  const document = structuredClone(template) as unknown as PipelineDocument;
  document.nodes.find((n) => n.id === 'cpt')!.params!.learning_rate = learningRate;
  const nodes: Record<string, NodeRunState> = Object.fromEntries(document.nodes.map((n) => [n.id, { phase: 'succeeded' as const, startedAt: '2026-01-02T09:00:00Z', finishedAt: '2026-01-02T09:01:00Z' }]));
  nodes.cpt = { ...nodes.cpt, engine: 'tiny', lastMetrics: { loss, learning_rate: learningRate / 10, epoch: 1 } };
  nodes.eval = { ...nodes.eval, engine: 'tiny', lastMetrics: { accuracy, perplexity: 40 } };
  const history = new RunHistory(path.join(dataDir, 'runs'));
  const dir = await history.create({
    format: RUN_FORMAT,
    id,
    pipelineName: document.name,
    target: 'local',
    phase: 'succeeded',
    createdAt: id === RUN_A ? '2026-01-02T09:00:00.000Z' : '2026-01-02T10:00:00.000Z',
    finishedAt: id === RUN_A ? '2026-01-02T09:01:00.000Z' : '2026-01-02T10:01:30.000Z',
    nodes,
    document,
    compiled: {},
    request: { target: 'local' },
  });
  const writer = new NodeLogWriter(nodeLogDir(dir, 'cpt'));
  await writer.append(Array.from({ length: 40 }, (_, i) => ({ seq: i + 1, ts: '2026-01-02T09:00:00Z', text: `step ${i + 1} loss ${(5 - i * 0.05).toFixed(3)}` })));
  await writer.flush();
  await mkdir(path.dirname(metricsFile(dir, 'cpt')), { recursive: true });
  const records = Array.from({ length: 8 }, (_, i) => ({ step: (i + 1) * 5, values: { loss: 5 - i * 0.3, learning_rate: learningRate * (1 - i / 8) } }));
  await writeFile(metricsFile(dir, 'cpt'), records.map(formatMetricRecord).join(''));
}

/** Shows a bottom-panel tab (clicking the open tab would fold the panel away). */
async function openRunsTab(page: Page, label: string): Promise<void> {
  const tab = page.getByRole('tab', { name: label, exact: true });
  if ((await tab.getAttribute('aria-selected')) !== 'true') await tab.click();
  await expect(tab).toHaveAttribute('aria-selected', 'true');
}

test.afterEach(async ({ request }) => {
  await rpc(request, 'updateSettings', [{ language: 'system' }]);
});

test('runs list: filter, compare two runs, open one on the canvas, delete one', async ({ app }) => {
  const dataDir = process.env.PIPEWRIGHT_E2E_DATADIR!;
  await seed(dataDir, RUN_A, 0.003, 3.1, 0.1);
  await seed(dataDir, RUN_B, 0.001, 2.8, 0.25);

  await openRunsTab(app, 'Runs');
  await app.getByRole('button', { name: 'Refresh' }).click();
  await app.getByLabel('Filter runs').fill(`hist${suffix}`);
  const rows = app.locator('.runs-table tbody tr');
  await expect(rows).toHaveCount(2);
  await expect(rows.first()).toHaveAttribute('data-run-id', RUN_B);
  await app.getByLabel('Phase').selectOption('failed');
  await expect(app.getByText('No run matches the filter.')).toBeVisible();
  await app.getByLabel('Phase').selectOption('all');

  // Compare (the run diff view, in detail: run-diff.spec.ts): the learning rate that differs on CPT, final metrics side by side.
  await app.getByLabel(`Select run ${RUN_A} for comparison`).check();
  await app.getByLabel(`Select run ${RUN_B} for comparison`).check();
  await app.getByRole('button', { name: 'Compare', exact: true }).click();
  const compare = app.getByTestId('run-compare');
  const lrRow = compare.getByTestId('diff-fields').locator('tr', { hasText: 'learning_rate' });
  await expect(lrRow).toContainText('cpt');
  await expect(lrRow).toContainText('0.003');
  await expect(lrRow).toContainText('0.001');
  await expect(compare.getByTestId('diff-metrics-evaluation').locator('tr', { hasText: 'accuracy' })).toContainText('0.25');
  await expect(compare.getByTestId('diff-fields').locator('tbody tr')).toHaveCount(1);
  await app.screenshot({ path: 'test-results/screenshots/run-history-compare.png' });
  await app.keyboard.press('Escape');

  // Open the older run: the canvas shows its snapshot with its phases, the panel its log and loss chart from disk.
  await app.locator(`.runs-table tr[data-run-id="${RUN_A}"]`).getByRole('button', { name: 'Open' }).click();
  await expect(app.locator('.run-panel')).toHaveAttribute('data-run-id', RUN_A);
  await expect(phaseOf(app, 'cpt')).toHaveAttribute('data-phase', 'succeeded');
  await zoomToCard(app, 'cpt');
  await expect(nodeCard(app, 'cpt').locator('svg.sparkline')).toBeVisible();
  await expect(app.locator('.run-header')).toContainText('Earlier run');
  await app.locator('.run-nodes li[data-node-id="cpt"]').click();
  await expect.poll(() => logTotal(app)).toBe(40);
  await expect.poll(() => chartPoints(app, 'loss')).toBe(8);
  const [download] = await Promise.all([app.waitForEvent('download'), app.getByRole('button', { name: 'Download' }).click()]);
  expect(download.suggestedFilename()).toBe(`${RUN_A}-cpt.log`);
  const text = await readFile(await download.path(), 'utf8');
  expect(text.trimEnd().split('\n')).toHaveLength(40);
  expect(text).toContain('step 40 loss 3.050');
  await app.getByRole('button', { name: 'Show latest' }).click();
  await expect(app.locator('.run-panel')).not.toHaveAttribute('data-run-id', RUN_A);

  // Delete asks first.
  await openRunsTab(app, 'Runs');
  await app.locator(`.runs-table tr[data-run-id="${RUN_A}"]`).getByRole('button', { name: 'Delete' }).click();
  const confirm = app.getByRole('dialog', { name: `Delete run ${RUN_A}?` });
  await expect(confirm).toContainText('Nothing on the cluster is touched');
  await confirm.getByRole('button', { name: 'Delete' }).click();
  await expect(app.locator(`.runs-table tr[data-run-id="${RUN_A}"]`)).toHaveCount(0);
  const remaining = (await rpc(app.request, 'listRuns')) as { id: string }[];
  expect(remaining.map((r) => r.id)).not.toContain(RUN_A);

  // The same list in Korean.
  await app.getByRole('button', { name: 'Settings', exact: true }).click();
  await app.getByLabel('Language', { exact: true }).selectOption('ko');
  await app.keyboard.press('Escape');
  await openRunsTab(app, '실행 기록');
  await expect(app.getByLabel('실행 찾기')).toBeVisible();
  await expect(app.locator(`.runs-table tr[data-run-id="${RUN_B}"]`)).toContainText('성공');
  await app.screenshot({ path: 'test-results/screenshots/run-history-ko.png' });
  // The run panel on a run with a loss chart (the latest run is whatever the test before left behind).
  await app.locator(`.runs-table tr[data-run-id="${RUN_B}"]`).getByRole('button', { name: '열기' }).click();
  await expect(app.locator('.run-panel')).toHaveAttribute('data-run-id', RUN_B);
  await app.locator('.run-nodes li[data-node-id="cpt"]').click();
  await expect.poll(() => chartPoints(app, 'loss')).toBe(8);
  await expect(app.locator('.run-header')).toContainText('걸린 시간');
  await app.screenshot({ path: 'test-results/screenshots/run-panel-ko.png' });
  await app.emulateMedia({ colorScheme: 'dark' });
  await expect(app.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect(app.locator('.metrics-pane [data-chart="loss"] canvas')).toBeVisible();
  await app.waitForTimeout(300);
  await app.screenshot({ path: 'test-results/screenshots/run-panel-ko-dark.png' });
});
