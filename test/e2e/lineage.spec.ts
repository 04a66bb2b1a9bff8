/**
 * Lineage in the run panel, in Korean at 1440×900: from a run's sft node, its upstream data and models with content
 * hashes, its evaluation and deployment, the other runs sharing its data or model version; other runs' nodes open in place.
 * The four runs are test/fixtures/lineageRuns.ts, written as the back end records them.
 */
import path from 'node:path';
import { LINEAGE_RUNS, sha, writeLineageRuns } from '../fixtures/lineageRuns.ts';
import { expect, rpc, test } from './fixtures.ts';
import { openRecordedRunKo, showRunTabKo, switchToKorean } from './run-helpers.ts';

const SUFFIX = `-${Math.random().toString(36).slice(2, 6)}`;
const A = `${LINEAGE_RUNS.a}${SUFFIX}`;
const B = `${LINEAGE_RUNS.b}${SUFFIX}`;
const C = `${LINEAGE_RUNS.c}${SUFFIX}`;
const D = `${LINEAGE_RUNS.d}${SUFFIX}`;
const short = (label: string) => `sha256:${sha(label, SUFFIX).slice(0, 12)}`;

test.afterEach(async ({ request }) => {
  await rpc(request, 'updateSettings', [{ language: 'system' }]);
});

test("a model's lineage across runs: data by content hash, scores, registry and deployment, in Korean", async ({ app }) => {
  await writeLineageRuns(path.join(process.env.PIPEWRIGHT_E2E_DATADIR!, 'runs'), SUFFIX);
  await switchToKorean(app);
  await openRecordedRunKo(app, B);
  await showRunTabKo(app);
  await app.locator('.run-nodes li[data-node-id="sft"]').click();
  await app.locator('.run-side').getByRole('button', { name: '계보', exact: true }).click();

  const dialog = app.getByRole('dialog');
  await expect(dialog.getByRole('heading', { level: 2 })).toHaveText(`계보: 실행 ${B}의 sft`);
  const view = dialog.locator('.lineage-view');
  await expect(view.locator('tbody[data-relation="upstream"] tr.lineage-step')).toHaveCount(4);
  await expect(view.locator('tbody[data-relation="upstream"] tr.lineage-step').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-node-id')))).resolves.toEqual(['corpus', 'preprocess', 'cpt', 'instructions']);
  const corpus = view.locator('tr[data-node-id="corpus"]');
  await expect(corpus.locator('.lineage-hash')).toHaveText(`데이터셋 ${short('D1')} sample://ko_corpus.jsonl`);
  await expect(corpus.locator('.lineage-elsewhere button')).toHaveText([D, A]);
  const sft = view.locator('tbody[data-relation="focus"] tr[data-node-id="sft"]');
  await expect(sft.locator('.lineage-hash').first()).toHaveText(`모델 ${short('S2')}`);
  await expect(sft.locator('.lineage-hash').first()).toHaveAttribute('title', `sha256:${sha('S2', SUFFIX)}`);
  await expect(sft.locator('.lineage-details')).toContainText('cpt+sft(으)로 학습, 기반 unsloth/Qwen2.5-7B-bnb-4bit');
  await expect(sft.locator('.lineage-details')).toContainText('korean-llm v7(으)로 등록');
  await expect(sft.locator('.lineage-elsewhere button')).toHaveText([`${D} (deploy)`]);
  await expect(view.locator('tr[data-node-id="eval"] .lineage-details')).toContainText('accuracy 0.31');
  const deploy = view.locator('tbody[data-relation="downstream"] tr[data-node-id="deploy"] .lineage-details');
  await expect(deploy).toContainText('inference/rollout pipewright-deploy에 배포됨 (Healthy)');
  await expect(deploy).toContainText('모델 korean-llm v7');

  await expect(view.locator('.lineage-related-title')).toHaveText('다른 실행 (3)');
  await expect(view.locator('.lineage-related').evaluateAll((s) => s.map((e) => e.getAttribute('data-run-id')))).resolves.toEqual([D, C, A]);
  const relA = view.locator(`.lineage-related[data-run-id="${A}"]`);
  await expect(relA.locator('.lineage-shares')).toContainText(`corpus (${short('D1')}), preprocess (${short('P1')}), instructions (${short('I1')})`);
  await expect(relA.locator('li[data-node-id="eval"]')).toContainText('accuracy 0.25');
  await expect(relA.locator('li[data-node-id="deploy"]')).toContainText('inference/rollout pipewright-deploy용으로 렌더링만 함, 적용 안 됨');
  await expect(view.locator(`.lineage-related[data-run-id="${C}"] li[data-node-id="sft"]`)).toContainText('실패');
  await app.screenshot({ path: 'test-results/screenshots/lineage-ko.png' });

  // The same corpus in run A: its lineage opens in place, with every model trained on it in the other runs.
  await corpus.locator('.lineage-elsewhere button', { hasText: A }).click();
  await expect(dialog.getByRole('heading', { level: 2 })).toHaveText(`계보: 실행 ${A}의 corpus`);
  await expect(view).toHaveAttribute('data-run-id', A);
  await expect(view.locator('tbody[data-relation="upstream"]')).toHaveCount(0);
  await expect(view.locator('.lineage-related').evaluateAll((s) => s.map((e) => e.getAttribute('data-run-id')))).resolves.toEqual([D, B]);
  await expect(view.locator(`.lineage-related[data-run-id="${B}"] li[data-node-id="sft"]`)).toContainText(`모델 ${short('S2')}`);
  await app.screenshot({ path: 'test-results/screenshots/lineage-dataset-ko.png' });
  await dialog.getByRole('button', { name: `← 실행 ${B}의 sft(으)로 돌아가기` }).click();
  await expect(view).toHaveAttribute('data-run-id', B);
  await app.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
});
