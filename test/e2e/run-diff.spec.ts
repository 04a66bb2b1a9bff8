/**
 * Run compare is the run diff (issue 12 §2): two recorded runs (test/fixtures/recordedRuns.ts) picked in the
 * runs list show the graph diff on a canvas (added green, removed red, changed amber), metrics with better in
 * green and worse in red, input hashes, and the loss curves of both runs on one chart; a third pick overlays
 * its curve too; one run compares with the current document. Captured in Korean at 1440x900.
 */
import type { Page } from '@playwright/test';
import path from 'node:path';
import { writeRecordedRun } from '../fixtures/recordedRuns.ts';
import { expect, rpc, test } from './fixtures.ts';

const suffix = Math.random().toString(36).slice(2, 6);
const RUN_A = `20260103-090000-diff${suffix}`;
const RUN_B = `20260103-100000-diff${suffix}`;
const RUN_C = `20260103-110000-diff${suffix}`;

async function openRuns(page: Page, label: string): Promise<void> {
  const tab = page.getByRole('tab', { name: label, exact: true });
  if ((await tab.getAttribute('aria-selected')) !== 'true') await tab.click();
  await expect(tab).toHaveAttribute('aria-selected', 'true');
}

test.afterEach(async ({ request }) => {
  await rpc(request, 'updateSettings', [{ language: 'system' }]);
});

test('run diff: graph on a canvas, better and worse, input hashes, overlaid curves; three runs; a run against the document; Korean', async ({ app }) => {
  const runs = path.join(process.env.PIPEWRIGHT_E2E_DATADIR!, 'runs');
  await writeRecordedRun(runs, { id: RUN_A, variant: 'a' });
  await writeRecordedRun(runs, { id: RUN_B, variant: 'b' });
  await writeRecordedRun(runs, { id: RUN_C, variant: 'a' });

  await openRuns(app, 'Runs');
  await app.getByRole('button', { name: 'Refresh' }).click();
  await app.getByLabel('Filter runs').fill(`diff${suffix}`);
  await expect(app.locator('.runs-table tbody tr')).toHaveCount(3);
  await app.getByLabel(`Select run ${RUN_B} for comparison`).check();
  await app.getByLabel(`Select run ${RUN_A} for comparison`).check();
  await app.getByRole('button', { name: 'Compare', exact: true }).click();
  const view = app.getByTestId('run-compare');

  // Oldest first, whatever the order of the ticks.
  await expect(app.getByRole('dialog')).toContainText(`Compare runs: ${RUN_A} → ${RUN_B}`);
  await expect(view.getByTestId('diff-score')).toHaveText('6 improved, 1 regressed');
  const graph = view.getByTestId('diff-graph');
  await expect(graph.locator('[data-diff-node="deploy"]')).toHaveAttribute('data-change', 'removed');
  await expect(graph.locator('[data-diff-node="extra-corpus"]')).toHaveAttribute('data-change', 'added');
  await expect(graph.locator('[data-diff-node="cpt"]')).toHaveAttribute('data-change', 'changed');
  await expect(graph.locator('[data-diff-node="cpt"]')).toContainText('params.learning_rate');
  await expect(graph.locator('[data-diff-node="sft"]')).toHaveAttribute('data-change', 'same');
  // Removed, added and changed nodes are each drawn unlike an unchanged one (and unlike each other).
  const border = (change: string) => graph.locator(`.react-flow__node.change-${change}`).first().evaluate((el) => getComputedStyle(el).borderColor);
  const borders = await Promise.all(['removed', 'added', 'changed', 'same'].map(border));
  expect(new Set(borders).size).toBe(4);
  await expect(graph.locator('.react-flow__edge.change-removed')).toHaveCount(2);

  const loss = view.getByTestId('diff-metrics-training').locator('tr', { hasText: 'loss' }).filter({ hasNotText: 'learning_rate' });
  await expect(loss).toHaveAttribute('data-verdict', 'improved');
  await expect(loss).toContainText('2.9');
  await expect(loss).toContainText('2.15');
  await expect(loss).toContainText('−0.75');
  const accuracy = view.getByTestId('diff-metrics-evaluation').locator('tr', { hasText: 'accuracy' });
  await expect(accuracy).toHaveAttribute('data-verdict', 'regressed');
  const green = await loss.locator('td').first().evaluate((el) => getComputedStyle(el).color);
  const red = await accuracy.locator('td').first().evaluate((el) => getComputedStyle(el).color);
  expect(green).not.toBe(red);
  await expect(view.getByTestId('diff-metrics-benchmark').locator('tr', { has: app.locator('code', { hasText: /^kmmlu\/acc$/ }) })).toHaveAttribute('data-verdict', 'improved');
  await expect(view.getByTestId('diff-durations').locator('tr', { hasText: 'cpt' })).toHaveAttribute('data-verdict', 'improved');
  const gpuHours = view.getByTestId('diff-gpu-hours').locator('tr', { hasText: 'cpt' });
  await expect(gpuHours).toHaveAttribute('data-verdict', 'improved');
  await expect(gpuHours).toContainText('0.0166667');
  await expect(gpuHours).toContainText('0.0111111');
  const instructions = view.getByTestId('diff-inputs').locator('tr', { hasText: 'instructions' });
  await expect(instructions).toHaveAttribute('data-change', 'changed');
  await expect(instructions).toContainText(/sha256:[0-9a-f]{12}/);
  await expect(view.getByTestId('diff-inputs').locator('tr', { hasText: 'corpus' }).first()).toHaveAttribute('data-change', 'same');
  await expect(view.getByTestId('diff-engines').locator('tr', { hasText: 'cpt' })).toContainText('tiny');
  const lossChart = view.locator('[data-chart="diff-cpt-loss"]');
  await expect(lossChart.locator('canvas')).toBeVisible();
  await expect(lossChart).toHaveAttribute('data-points', '8');
  await expect(lossChart.locator('.u-legend')).toContainText(RUN_A);
  await expect(lossChart.locator('.u-legend')).toContainText(RUN_B);
  await app.keyboard.press('Escape');

  // A third run overlays its curve; the tables still compare the first two.
  await app.getByLabel(`Select run ${RUN_C} for comparison`).check();
  await app.getByRole('button', { name: 'Compare', exact: true }).click();
  await expect(view.getByTestId('diff-score')).toContainText('Curves overlay all 3 picked runs');
  await expect(view.locator('[data-chart="diff-cpt-loss"] .u-legend')).toContainText(RUN_C);
  await app.keyboard.press('Escape');

  // One run against the current document: with run B's document on the canvas, run A's diff is marked on
  // the canvas itself (extra-corpus added, cpt changed) and deploy named as removed.
  for (const id of [RUN_A, RUN_B, RUN_C]) await app.getByLabel(`Select run ${id} for comparison`).uncheck();
  await app.locator(`.runs-table tr[data-run-id="${RUN_B}"]`).getByRole('button', { name: 'Open' }).click();
  await expect(app.locator('.run-panel')).toHaveAttribute('data-run-id', RUN_B);
  await openRuns(app, 'Runs');
  await app.getByLabel(`Select run ${RUN_A} for comparison`).check();
  await expect(app.getByRole('button', { name: 'Compare', exact: true })).toBeDisabled();
  await app.getByRole('button', { name: 'Compare with document' }).click();
  await expect(app.getByRole('dialog')).toContainText(`Compare runs: ${RUN_A} → current document (not run)`);
  await expect(view.getByTestId('diff-graph').locator('[data-diff-node="extra-corpus"]')).toHaveAttribute('data-change', 'added');
  await view.getByRole('button', { name: 'Show on canvas' }).click();
  await expect(app.getByRole('dialog')).toHaveCount(0);
  await expect(app.locator('.react-flow__node[data-id="extra-corpus"] .node-card')).toHaveClass(/diff-added/);
  await expect(app.locator('.react-flow__node[data-id="cpt"] .node-card')).toHaveClass(/diff-changed/);
  await expect(app.locator('.react-flow__node[data-id="sft"] .node-card')).not.toHaveClass(/diff-/);
  const banner = app.getByTestId('canvas-diff');
  await expect(banner).toContainText(`Compared with run ${RUN_A}: 1 added (green), 3 changed (amber)`);
  await expect(banner).toContainText('Removed since: deploy');
  await app.screenshot({ path: 'test-results/screenshots/run-diff-canvas.png' });
  await banner.getByRole('button', { name: 'Clear' }).click();
  await expect(app.locator('.node-card.diff-added')).toHaveCount(0);
  await app.getByLabel(`Select run ${RUN_A} for comparison`).uncheck();

  // Korean, two runs, at 1440x900.
  await app.getByLabel(`Select run ${RUN_A} for comparison`).check();
  await app.getByLabel(`Select run ${RUN_B} for comparison`).check();
  await app.getByRole('button', { name: 'Settings', exact: true }).click();
  await app.getByLabel('Language', { exact: true }).selectOption('ko');
  await app.keyboard.press('Escape');
  await openRuns(app, '실행 기록');
  await app.getByRole('button', { name: '비교', exact: true }).click();
  await expect(app.getByRole('dialog')).toContainText(`실행 비교: ${RUN_A} → ${RUN_B}`);
  await expect(view.getByTestId('diff-score')).toHaveText('개선 6개, 악화 1개');
  await expect(view.getByTestId('diff-metrics-evaluation').locator('tr', { hasText: 'accuracy' })).toContainText('악화');
  await expect(view.locator('[data-chart="diff-cpt-loss"] canvas')).toBeVisible();
  await app.waitForTimeout(300);
  await app.screenshot({ path: 'test-results/screenshots/run-diff-ko.png' });
  await view.getByTestId('diff-curves').scrollIntoViewIfNeeded();
  await app.screenshot({ path: 'test-results/screenshots/run-diff-ko-curves.png' });
  await view.getByTestId('diff-inputs').scrollIntoViewIfNeeded();
  await app.screenshot({ path: 'test-results/screenshots/run-diff-ko-inputs.png' });
});
