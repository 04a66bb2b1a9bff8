/**
 * The quickstart, from the UI: New from template "Korean LLM (smoke)", Run on this machine. The tiny CPU
 * engine really trains (about a minute on two cores); steps turn green one by one, CPT and SFT draw loss
 * charts with points, the eval node reports its metrics. Screenshots: in progress and finished.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from './fixtures.ts';
import { nodeCard } from './helpers.ts';
import { chartPoints, growPanel, logTotal, newFromTemplate, phaseOf, phasesSeen, recordPhases, showNodeInPanel } from './run-helpers.ts';

// Wide enough that the whole template is readable beside the run panel (the README screenshot).
test.use({ viewport: { width: 1920, height: 1080 }, colorScheme: 'light' });
test.setTimeout(300_000);

test('quickstart: the Korean smoke template trains end to end on this machine, watched live', async ({ app }) => {
  // A fresh start: another test may have run this template and left its stages in the local stage cache.
  rmSync(path.join(process.env.PIPEWRIGHT_E2E_DATADIR!, 'cache', 'local'), { recursive: true, force: true });
  await newFromTemplate(app, /Korean LLM \(smoke\)/, 9);
  await recordPhases(app);

  await app.locator('[data-action="run.start"]').click();
  const dialog = app.getByRole('dialog');
  await dialog.getByRole('radio', { name: /This machine/ }).check();
  await expect(dialog.getByRole('radio', { name: /This machine/ })).toBeFocused();
  await expect(dialog.getByTestId('run-start')).toBeEnabled();
  await app.keyboard.press('Enter');
  await expect(dialog).toBeHidden();

  // The run panel opens on the new run.
  const panel = app.locator('.run-panel');
  await expect(panel).toBeVisible();
  await expect(panel.locator('.run-header')).toContainText('korean-llm-smoke');
  await growPanel(app, 140);

  // While CPT trains: its card goes blue, its progress bar and sparkline grow, its log streams.
  await expect(phaseOf(app, 'cpt')).toHaveAttribute('data-phase', 'running', { timeout: 90_000 });
  await showNodeInPanel(app, 'cpt');
  await expect(nodeCard(app, 'cpt').locator('[role="progressbar"]')).toBeVisible({ timeout: 60_000 });
  await expect(nodeCard(app, 'cpt').locator('.node-engine')).toHaveText('tiny');
  await expect.poll(() => logTotal(app), { timeout: 30_000 }).toBeGreaterThan(3);
  await expect.poll(() => chartPoints(app, 'loss'), { timeout: 60_000 }).toBeGreaterThanOrEqual(2);
  await app.screenshot({ path: 'test-results/screenshots/run-local-in-progress.png' });

  // Every step turns green, one after another.
  await expect(phaseOf(app, 'deploy')).toHaveAttribute('data-phase', 'succeeded', { timeout: 240_000 });
  await expect(panel.locator('.run-header')).toHaveAttribute('data-phase', 'succeeded', { timeout: 30_000 });
  for (const id of ['corpus', 'preprocess', 'cpt', 'instructions', 'sft', 'test-set', 'eval', 'ko-bench', 'deploy']) {
    await expect(phaseOf(app, id)).toHaveAttribute('data-phase', 'succeeded');
  }
  const seen = await phasesSeen(app);
  const green = (id: string) => seen[id]?.succeeded ?? Number.NaN;
  expect(green('preprocess')).toBeLessThan(green('cpt'));
  expect(green('cpt')).toBeLessThan(green('sft'));
  expect(green('sft')).toBeLessThan(green('eval'));
  expect(green('eval')).toBeLessThan(green('deploy'));
  expect(seen.cpt.running).toBeLessThan(green('cpt'));

  // Loss charts with points on CPT and SFT; the eval node reports accuracy and perplexity.
  for (const id of ['cpt', 'sft']) {
    await showNodeInPanel(app, id);
    await expect.poll(() => chartPoints(app, 'loss')).toBeGreaterThanOrEqual(4);
    await expect(app.locator('.metrics-pane [data-chart="loss"] canvas')).toBeVisible();
    await expect(nodeCard(app, id).locator('svg.sparkline')).toBeVisible();
  }
  await showNodeInPanel(app, 'eval');
  await expect(app.locator('.final-metrics [data-metric="accuracy"]')).toBeVisible();
  await expect(app.locator('.final-metrics [data-metric="perplexity"]')).toBeVisible();
  await expect(nodeCard(app, 'eval').locator('.node-engine')).toHaveText('tiny');
  await expect(nodeCard(app, 'eval').locator('.node-score[data-metric="accuracy"]')).toBeVisible();
  await expect(nodeCard(app, 'eval').locator('.node-score[data-metric="perplexity"]')).toBeVisible();
  // The deploy gate: the trained tiny model's perplexity is under the template's limit (an untrained one is ~295).
  await showNodeInPanel(app, 'deploy');
  await expect(app.locator('.log-view')).toContainText(/gate passed: .*perplexity [\d.]+ <= max_perplexity 100/);

  // The Korean benchmark node scored the tiny model and its base on the bundled samples: a bar per benchmark.
  await expect(phaseOf(app, 'ko-bench')).toHaveAttribute('data-phase', 'succeeded');
  await expect(nodeCard(app, 'ko-bench').locator('.node-bench-row')).toHaveCount(7);
  await expect(nodeCard(app, 'ko-bench').locator('.node-bench-row[data-benchmark="kmmlu"] .node-bench-delta')).toHaveText(/^[+−±]\d+\.\d$/);
  await showNodeInPanel(app, 'ko-bench');
  await expect.poll(() => chartPoints(app, 'benchmarks')).toBe(12);

  await showNodeInPanel(app, 'sft');
  await app.locator('[data-action="view.fitView"]').click();
  await app.waitForTimeout(400);
  await app.screenshot({ path: 'test-results/screenshots/run-local-finished.png' });
  await app.locator('.react-flow').screenshot({ path: 'test-results/screenshots/run-local-cards.png' });

  // The run is in the history, and its log can be searched. The tiny engine reports its loss only in
  // PIPEWRIGHT_METRIC lines, hidden by default: shown first.
  await expect(app.getByTestId('log-hidden-count')).toHaveText(/\(\d+ hidden\)/);
  await app.locator('.log-view').getByLabel('Protocol lines').check();
  await app.locator('.log-search').fill('loss');
  await app.locator('.log-search').press('Enter');
  await expect(app.locator('.log-row.match')).toBeVisible();
  await app.getByRole('tab', { name: 'Runs' }).click();
  await expect(app.locator('.runs-table tr.shown')).toContainText('korean-llm-smoke');
  await app.screenshot({ path: 'test-results/screenshots/run-local-history.png' });
});
