/**
 * The Korean benchmark node's card after a run: a bar per benchmark with its accuracy, the base model's as a tick and
 * the change in points (green up, red down), in Korean at 1440×900; the run panel charts each benchmark's running
 * accuracy. The run is written into the run history as the back end writes it, with scores a ko-bench run reports.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { formatMetricRecord, metricsFile } from '../../electron/services/runs/metricFiles.ts';
import { expect, rpc, test } from './fixtures.ts';
import { nodeCard, zoomToCard } from './helpers.ts';
import { chartPoints, openRecordedRunKo, showRunTabKo, switchToKorean } from './run-helpers.ts';
import { recordTemplateRun } from '../fixtures/templateRun.ts';

const RUN = `20260103-090000-bench${Math.random().toString(36).slice(2, 6)}`;

const MODEL: Record<string, number> = {
  kmmlu: 0.4167, kobest_boolq: 0.75, kobest_copa: 0.5, kobest_hellaswag: 0.3333, kobest_sentineg: 0.75, kobest_wic: 0.5, haerae: 0.2222,
};
const BASE: Record<string, number> = {
  kmmlu: 0.3333, kobest_boolq: 0.5, kobest_copa: 0.5, kobest_hellaswag: 0.6667, kobest_sentineg: 0.5, kobest_wic: 0.25, haerae: 0.2222,
};

async function seed(dataDir: string): Promise<void> {
  const last: Record<string, number> = {};
  for (const [name, acc] of Object.entries(MODEL)) Object.assign(last, { [`${name}/acc`]: acc, [`${name}/acc_norm`]: acc, [`base/${name}/acc`]: BASE[name], [`delta/${name}/acc`]: acc - BASE[name] });
  Object.assign(last, { 'kmmlu/stem/acc': 0.3333, 'kmmlu/humss/acc': 0.6667, 'kmmlu/applied_science/acc': 0.3333, 'kmmlu/other/acc': 0.3333 });
  const dir = await recordTemplateRun(dataDir, {
    id: RUN, createdAt: '2026-01-03T09:00:00.000Z', finishedAt: '2026-01-03T09:01:00.000Z',
    nodes: (nodes) => void (nodes['ko-bench'] = { ...nodes['ko-bench'], engine: 'tiny', lastMetrics: last }),
  });
  // Running accuracy as the step logs it: every row of the 12 KMMLU and 4 BoolQ rows, for the model and the base.
  const records = [
    ...[0, 0.5, 0.3333, 0.5, 0.4, 0.5, 0.4286, 0.375, 0.4444, 0.4, 0.4545, 0.4167].map((v, i) => ({ step: i + 1, values: { 'kmmlu/acc': v } })),
    ...[1, 0.5, 0.6667, 0.75].map((v, i) => ({ step: i + 1, values: { 'kobest_boolq/acc': v } })),
    ...[1, 0.5, 0.3333, 0.25, 0.2, 0.3333, 0.2857, 0.25, 0.3333, 0.3, 0.3636, 0.3333].map((v, i) => ({ step: i + 1, values: { 'base/kmmlu/acc': v } })),
  ];
  await mkdir(path.dirname(metricsFile(dir, 'ko-bench')), { recursive: true });
  await writeFile(metricsFile(dir, 'ko-bench'), records.map(formatMetricRecord).join(''));
}

test.afterEach(async ({ request }) => {
  await rpc(request, 'updateSettings', [{ language: 'system' }]);
});

test('the ko-bench card draws a bar per benchmark with the change from the base model, in Korean', async ({ app }) => {
  await seed(process.env.PIPEWRIGHT_E2E_DATADIR!);
  await switchToKorean(app);

  await openRecordedRunKo(app, RUN);

  await zoomToCard(app, 'ko-bench');
  const card = nodeCard(app, 'ko-bench');
  const bars = card.getByTestId('bench-bars');
  await expect(bars).toBeVisible();
  await expect(bars.locator('.node-bench-title')).toHaveText('벤치마크 정확도 (%)');
  await expect(bars.locator('.node-bench-row')).toHaveCount(7);
  await expect(bars.locator('.node-bench-row').first()).toHaveAttribute('data-benchmark', 'kmmlu');
  const kmmlu = bars.locator('[data-benchmark="kmmlu"]');
  await expect(kmmlu.locator('.node-bench-value')).toHaveText('41.7');
  await expect(kmmlu.locator('.node-bench-delta')).toHaveText('+8.3');
  await expect(kmmlu.locator('.node-bench-delta')).toHaveClass(/up/);
  await expect(kmmlu).toHaveAttribute('aria-label', 'kmmlu: 41.7%, 기본 모델 33.3% (+8.3%p)');
  await expect(bars.locator('[data-benchmark="kobest_hellaswag"] .node-bench-delta')).toHaveText('−33.3');
  await expect(bars.locator('[data-benchmark="kobest_hellaswag"] .node-bench-delta')).toHaveClass(/down/);
  await expect(bars.locator('[data-benchmark="haerae"] .node-bench-delta')).toHaveText('±0.0');
  // The bar's length is the accuracy, the tick sits at the base model's.
  const track = await kmmlu.locator('.node-bench-track').boundingBox();
  const fill = await kmmlu.locator('.node-bench-fill').boundingBox();
  const tick = await kmmlu.locator('.node-bench-base').boundingBox();
  expect(fill!.width / track!.width).toBeCloseTo(0.4167, 1);
  expect((tick!.x + tick!.width / 2 - track!.x) / track!.width).toBeCloseTo(0.3333, 1);

  // The run panel: running accuracy of each benchmark on one chart, the base model's beside it.
  await showRunTabKo(app);
  await app.locator('.run-nodes li[data-node-id="ko-bench"]').click();
  await expect(app.locator('.metrics-pane [data-chart="benchmarks"]')).toContainText('벤치마크 정확도');
  await expect.poll(() => chartPoints(app, 'benchmarks')).toBe(12);
  await expect(app.locator('.final-metrics [data-metric="kmmlu/humss/acc"]')).toBeVisible();

  // Zoom the canvas in on the card (the wheel zooms around the pointer), so the screenshots can be read.
  for (let i = 0; i < 4; i++) {
    const box = (await card.boundingBox())!;
    await app.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await app.mouse.wheel(0, -250);
    await app.waitForTimeout(150);
  }
  await expect.poll(async () => (await card.boundingBox())!.width).toBeGreaterThan(300);
  await app.screenshot({ path: 'test-results/screenshots/ko-bench-card-ko.png' });
  await card.screenshot({ path: 'test-results/screenshots/ko-bench-card-ko-closeup.png' });
});
