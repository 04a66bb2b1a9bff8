/**
 * The log view and the run's words in Korean, on seeded runs of the smoke template (Korean labels, as a
 * Korean UI creates it): PIPEWRIGHT_* protocol lines hidden by default with their count, shown on request;
 * long lines wrap on request; search says "n of m"; "Final metrics" only once the step ended (while it
 * runs: its latest values); accuracy/perplexity and parameter units in Korean.
 */
import type { Page } from '@playwright/test';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { NodeLogWriter } from '../../electron/services/runs/logWriter.ts';
import { nodeLogDir } from '../../electron/services/runs/logFiles.ts';
import { formatMetricRecord, metricsFile } from '../../electron/services/runs/metricFiles.ts';
import { templateDocument } from '../../node-catalog/templates/index.ts';
import type { LogLine, NodePhase } from '../../shared/runs/types.ts';
import { expect, rpc, test } from './fixtures.ts';
import { documentOf, nodeCard, selectNode } from './helpers.ts';
import { recordTemplateRun } from '../fixtures/templateRun.ts';

const suffix = Math.random().toString(36).slice(2, 6);
const LONG = `${'가나다라마바사 '.repeat(30)}END-OF-LONG-LINE`;

/** 60 lines: every 3rd a PIPEWRIGHT_METRIC line (20), every 5th (not protocol) mentions "loss", one long line. */
function logLines(): LogLine[] {
  return Array.from({ length: 60 }, (_, i) => {
    const seq = i + 1;
    const text = seq % 3 === 0 ? `PIPEWRIGHT_METRIC {"step": ${seq}, "loss": ${(4 - seq / 30).toFixed(3)}}` : seq === 31 ? LONG : seq % 5 === 0 ? `step ${seq} loss ${(4 - seq / 30).toFixed(3)}` : `tokenizing shard ${seq}`;
    return { seq, ts: '2026-01-03T09:00:00Z', text };
  });
}

async function seed(dataDir: string, id: string, cptPhase: NodePhase): Promise<void> {
  const dir = await recordTemplateRun(dataDir, {
    id, document: templateDocument('korean-llm-smoke', 'ko')!, createdAt: '2026-01-03T09:00:00.000Z',
    ...(cptPhase === 'succeeded' ? { finishedAt: '2026-01-03T09:01:00.000Z' } : {}),
    nodes: (nodes) => {
      nodes.cpt = { phase: cptPhase, startedAt: '2026-01-03T09:00:00Z', ...(cptPhase === 'succeeded' ? { finishedAt: '2026-01-03T09:01:00Z' } : {}), engine: 'tiny', lastMetrics: { loss: 2.1, epoch: 1 } };
      nodes.eval = { ...nodes.eval!, engine: 'tiny', lastMetrics: { accuracy: 0.25, perplexity: 40 } };
    },
  });
  const writer = new NodeLogWriter(nodeLogDir(dir, 'cpt'));
  await writer.append(logLines());
  await writer.flush();
  await mkdir(path.dirname(metricsFile(dir, 'cpt')), { recursive: true });
  await writeFile(metricsFile(dir, 'cpt'), Array.from({ length: 20 }, (_, i) => ({ step: (i + 1) * 3, values: { loss: 4 - ((i + 1) * 3) / 30 } })).map(formatMetricRecord).join(''));
}

async function openRun(app: Page, id: string, openLabel: string): Promise<void> {
  const tab = app.getByRole('tab', { name: openLabel === '열기' ? '실행 기록' : 'Runs', exact: true });
  if ((await tab.getAttribute('aria-selected')) !== 'true') await tab.click();
  await app.getByRole('button', { name: openLabel === '열기' ? '새로 고침' : 'Refresh' }).click().catch(() => undefined);
  await app.locator(`.runs-table tr[data-run-id="${id}"]`).getByRole('button', { name: openLabel }).click();
  await expect(app.locator('.run-panel')).toHaveAttribute('data-run-id', id);
  await app.locator('.run-nodes li[data-node-id="cpt"]').click();
}

test.afterEach(async ({ request }) => {
  await rpc(request, 'updateSettings', [{ language: 'system' }]);
});

test('log: protocol lines hidden with their count, wrap, "n of m" search; final metrics only once the step ended', async ({ app }) => {
  const done = `20260103-090000-logv${suffix}`;
  await seed(process.env.PIPEWRIGHT_E2E_DATADIR!, done, 'succeeded');
  await openRun(app, done, 'Open');
  const log = app.locator('.log-view');
  await expect(log).toHaveAttribute('data-total', '60');
  // Hidden by default: 40 rows, the count beside the toggle, no PIPEWRIGHT_ line on screen.
  await expect(log).toHaveAttribute('data-rows', '40');
  await expect(log.getByTestId('log-hidden-count')).toHaveText('(20 hidden)');
  await expect(log.locator('.log-row', { hasText: 'PIPEWRIGHT_' })).toHaveCount(0);
  await log.locator('.log-scroller').evaluate((el) => (el.scrollTop = 0));
  await expect(log.locator('.log-row[data-seq="2"]')).toBeVisible();
  await expect(log.locator('.log-row[data-seq="3"]')).toHaveCount(0);

  // Search counts every match of the whole log, protocol lines left out while hidden.
  await log.getByLabel('Search the whole log').fill('loss');
  await expect(log.getByTestId('log-match-count')).toHaveText('– of 8');
  await log.getByLabel('Search the whole log').press('Enter');
  await expect(log.getByTestId('log-match-count')).toHaveText('1 of 8');
  await expect(log.locator('.log-row.match')).toHaveAttribute('data-seq', '5');
  await log.getByRole('button', { name: 'Next match' }).click();
  await expect(log.getByTestId('log-match-count')).toHaveText('2 of 8');
  await log.getByRole('button', { name: 'Previous match' }).click();
  await log.getByRole('button', { name: 'Previous match' }).click();
  await expect(log.getByTestId('log-match-count')).toHaveText('8 of 8');

  // Shown on request: all 60 rows, and the protocol lines count in the search too.
  await log.getByLabel('Protocol lines').check();
  await expect(log).toHaveAttribute('data-rows', '60');
  // The match in view stays in view.
  await expect(log.locator('.log-row[data-seq="55"]')).toBeInViewport();
  await log.locator('.log-scroller').evaluate((el) => (el.scrollTop = 0));
  await expect(log.locator('.log-row[data-seq="3"]')).toContainText('PIPEWRIGHT_METRIC');
  await expect(log.getByTestId('log-match-count')).toHaveText('– of 28');
  await log.getByLabel('Protocol lines').uncheck();
  // Text only protocol lines hold: where the matches are.
  await log.getByLabel('Search the whole log').fill('PIPEWRIGHT_METRIC');
  await expect(log.getByTestId('log-match-count')).toHaveText('No match; 20 in hidden protocol lines');
  await log.getByLabel('Search the whole log').fill('');

  // Wrap: the long line takes several rows' height and shows its end; off again, it is one row.
  const long = log.locator('.log-row[data-seq="31"]');
  await long.scrollIntoViewIfNeeded();
  expect((await long.boundingBox())!.height).toBe(18);
  await log.getByLabel('Wrap lines').check();
  await expect.poll(async () => (await long.boundingBox())!.height).toBeGreaterThan(18 * 2);
  const box = (await log.locator('.log-scroller').boundingBox())!;
  const end = (await long.getByText('END-OF-LONG-LINE').boundingBox()) ?? { x: Infinity, width: 0 };
  expect(end.x + end.width).toBeLessThanOrEqual(box.x + box.width);
  // Followed to the end while wrapped: the last line is on screen.
  await log.getByRole('button', { name: 'Follow' }).click();
  await expect(log.locator('.log-row[data-seq="59"]')).toBeInViewport();
  await log.getByLabel('Wrap lines').uncheck();

  // A step that ended: its values are final.
  await expect(app.getByTestId('final-metrics')).toContainText('Final metrics');

  // While it runs they are only the latest.
  const running = `20260103-100000-logv${suffix}`;
  await seed(process.env.PIPEWRIGHT_E2E_DATADIR!, running, 'running');
  await openRun(app, running, 'Open');
  await expect(app.getByTestId('final-metrics')).toContainText('Latest values (still running)');
  await expect(app.getByTestId('final-metrics')).not.toContainText('Final metrics');
});

test('Korean: the template\'s step labels, score labels on the card, parameter units, the log toolbar', async ({ app }) => {
  const id = `20260103-110000-logk${suffix}`;
  await seed(process.env.PIPEWRIGHT_E2E_DATADIR!, id, 'succeeded');
  await app.getByRole('button', { name: 'Settings', exact: true }).click();
  await app.getByLabel('Language', { exact: true }).selectOption('ko');
  await app.keyboard.press('Escape');

  // A new pipeline from the template, in a Korean UI: Korean step labels.
  await app.keyboard.press('Control+n');
  await app.getByRole('button', { name: /한국어 LLM \(스모크\)/ }).click();
  await expect.poll(async () => (await documentOf(app)).nodes.map((n) => n.label)).toEqual(['샘플 말뭉치', '한국어 텍스트 정제', '지속 사전학습 (소형)', '샘플 지시문', '지도 미세조정 (소형)', '샘플 테스트 세트', '평가', '한국어 벤치마크 (샘플)', '서빙 매니페스트 생성']);
  await selectNode(app, 'cpt');
  await expect(app.locator('.inspector').getByLabel('이름표', { exact: true })).toHaveValue('지속 사전학습 (소형)');
  const inspector = app.locator('.inspector');
  await expect(inspector.locator('.unit', { hasText: '토큰' }).first()).toBeVisible();
  await expect(inspector.locator('.unit', { hasText: '스텝' }).first()).toBeAttached();
  await expect(inspector.locator('.unit', { hasText: /^steps$|^tokens$/ })).toHaveCount(0);

  await openRun(app, id, '열기');
  await expect(nodeCard(app, 'eval').locator('.node-score[data-metric="accuracy"]')).toHaveText('정확도 0.25');
  await expect(nodeCard(app, 'eval').locator('.node-score[data-metric="perplexity"]')).toHaveText('퍼플렉서티 40');
  const log = app.locator('.log-view');
  await expect(log.getByTestId('log-hidden-count')).toHaveText('(20줄 숨김)');
  await log.getByLabel('로그 전체에서 찾기').fill('loss');
  await log.getByLabel('로그 전체에서 찾기').press('Enter');
  await expect(log.getByTestId('log-match-count')).toHaveText(/^8개 중 [1-8]번째$/);
  await expect(app.getByTestId('final-metrics')).toContainText('최종 지표');
  await app.screenshot({ path: 'test-results/screenshots/run-log-view-ko.png' });
});
