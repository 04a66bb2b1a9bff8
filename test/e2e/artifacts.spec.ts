/**
 * The run panel's outputs of a local run's steps, in Korean at 1440×900: files with sizes and content hashes, the
 * eval predictions as a table, the deploy step's rendered manifests, the model card. The run and its workspace are
 * written as the local runner leaves them (data/<node>/<port>/...).
 */
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import template from '../../node-catalog/templates/korean-llm-smoke.pipewright.json' with { type: 'json' };
import { RunHistory } from '../../electron/services/runs/history.ts';
import { RUN_FORMAT } from '../../electron/services/runs/runFiles.ts';
import type { PipelineDocument } from '../../shared/pipeline/types.ts';
import type { NodeRunState } from '../../shared/runs/types.ts';
import { expect, rpc, test } from './fixtures.ts';

const RUN = `20260105-090000-art${Math.random().toString(36).slice(2, 6)}`;
const PREDICTIONS = [
  { prompt: '대한민국의 수도는?', expected: '서울', answer: '서울입니다', correct: true },
  { prompt: '1+1은?', expected: '2', answer: '3', correct: false },
];
const DEPLOYMENT = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: pipewright-deploy\n';

async function seed(dataDir: string): Promise<string> {
  const document = structuredClone(template) as unknown as PipelineDocument;
  const nodes: Record<string, NodeRunState> = Object.fromEntries(document.nodes.map((n) => [n.id, { phase: 'succeeded' as const }]));
  const history = new RunHistory(path.join(dataDir, 'runs'));
  const dir = await history.create({
    format: RUN_FORMAT, id: RUN, pipelineName: document.name, target: 'local', phase: 'succeeded',
    createdAt: '2026-01-05T09:00:00.000Z', finishedAt: '2026-01-05T09:01:00.000Z', nodes, document, compiled: {}, request: { target: 'local' },
    external: { workspace: path.join(dataDir, 'runs', RUN, 'workspace') },
  });
  const ws = path.join(dir, 'workspace', 'data');
  const put = async (rel: string, text: string) => {
    await mkdir(path.dirname(path.join(ws, rel)), { recursive: true });
    await writeFile(path.join(ws, rel), text);
  };
  const predictions = PREDICTIONS.map((p) => JSON.stringify(p)).join('\n') + '\n';
  await put('eval/metrics/predictions.jsonl', predictions);
  await put('eval/metrics/metrics.json', JSON.stringify({ accuracy: 0.5 }));
  await put('deploy/endpoint/deployment.yaml', DEPLOYMENT);
  await put('deploy/endpoint/all.yaml', DEPLOYMENT);
  await put('sft/model/pipewright.json', JSON.stringify({ engine: 'tiny', base_model: 'unsloth/Qwen2.5-7B-bnb-4bit' }));
  return createHash('sha256').update(predictions).digest('hex');
}

test.afterEach(async ({ request }) => {
  await rpc(request, 'updateSettings', [{ language: 'system' }]);
});

test("a local run's outputs: files with sizes and hashes, predictions, manifests, model card, in Korean", async ({ app }) => {
  const hash = await seed(process.env.PIPEWRIGHT_E2E_DATADIR!);
  await app.getByRole('button', { name: 'Settings', exact: true }).click();
  await app.getByLabel('Language', { exact: true }).selectOption('ko');
  await app.keyboard.press('Escape');
  await app.getByRole('tab', { name: '실행 기록', exact: true }).click();
  await app.getByRole('button', { name: '새로 고침' }).click();
  await app.locator(`.runs-table tr[data-run-id="${RUN}"]`).getByRole('button', { name: '열기' }).click();
  await expect(app.locator('.run-panel')).toHaveAttribute('data-run-id', RUN);
  const runTab = app.getByRole('tab', { name: '실행', exact: true });
  if ((await runTab.getAttribute('aria-selected')) !== 'true') await runTab.click();

  await app.locator('.run-nodes li[data-node-id="eval"]').click();
  const pane = app.locator('.artifacts-pane[data-node-id="eval"]');
  await pane.locator('summary').click();
  await expect(pane.locator('summary')).toHaveText('산출물');
  const file = pane.locator('tr[data-file="metrics/predictions.jsonl"]');
  await expect(file.locator('td').nth(2)).toHaveText(`sha256:${hash.slice(0, 12)}`);
  await expect(file.locator('td').nth(2)).toHaveAttribute('title', hash);
  await expect(pane.locator('h4')).toHaveText('예측 (2개 중 2개)');
  await expect(pane.locator('.artifacts-predictions tbody tr')).toHaveCount(2);
  await expect(pane.locator('.artifacts-predictions tbody tr').nth(1)).toHaveText('1+1은?23✗');
  await app.screenshot({ path: 'test-results/screenshots/artifacts-eval-ko.png' });

  await app.locator('.run-nodes li[data-node-id="deploy"]').click();
  const deploy = app.locator('.artifacts-pane[data-node-id="deploy"]');
  await deploy.locator('summary').click();
  await expect(deploy.locator('.artifacts-manifest')).toHaveCount(1);
  await expect(deploy.locator('.artifacts-manifest[data-file="endpoint/deployment.yaml"] pre')).toHaveText(DEPLOYMENT);
  await expect(deploy.locator('tr[data-file="endpoint/all.yaml"] td').nth(1)).toHaveText(`${DEPLOYMENT.length} B`);

  await app.locator('.run-nodes li[data-node-id="sft"]').click();
  const sft = app.locator('.artifacts-pane[data-node-id="sft"]');
  await sft.locator('summary').click();
  await expect(sft.locator('.artifacts-model-card h4')).toHaveText('모델 카드 (pipewright.json)');
  await expect(sft.locator('.artifacts-model-card pre')).toContainText('"base_model": "unsloth/Qwen2.5-7B-bnb-4bit"');

  await app.locator('.run-nodes li[data-node-id="cpt"]').click();
  const cpt = app.locator('.artifacts-pane[data-node-id="cpt"]');
  await cpt.locator('summary').click();
  await expect(cpt.locator('p')).toHaveText('이 단계는 (아직) 산출물을 쓰지 않았습니다.');
  await app.screenshot({ path: 'test-results/screenshots/artifacts-ko.png' });
});
