/**
 * The run panel's outputs of a local run's steps, in Korean at 1440×900: files with sizes and content hashes, the
 * eval predictions as a table, the deploy step's rendered manifests, the model card. The run and its workspace are
 * written as the local runner leaves them (data/<node>/<port>/...).
 */
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { formatLogLine, nodeLogDir, segmentName } from '../../electron/services/runs/logFiles.ts';
import { expect, rpc, test } from './fixtures.ts';
import { openRecordedRunKo, showRunTabKo, switchToKorean } from './run-helpers.ts';
import { recordTemplateRun } from '../fixtures/templateRun.ts';

const RUN = `20260105-090000-art${Math.random().toString(36).slice(2, 6)}`;
const PREDICTIONS = [
  { prompt: '대한민국의 수도는?', expected: '서울', answer: '서울입니다', correct: true },
  { prompt: '1+1은?', expected: '2', answer: '3', correct: false },
];
const DEPLOYMENT = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: pipewright-deploy\n';

async function seed(dataDir: string): Promise<string> {
  const dir = await recordTemplateRun(dataDir, {
    id: RUN, createdAt: '2026-01-05T09:00:00.000Z', finishedAt: '2026-01-05T09:01:00.000Z',
    record: { external: { workspace: path.join(dataDir, 'runs', RUN, 'workspace') } },
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
  await switchToKorean(app);
  await openRecordedRunKo(app, RUN);
  await showRunTabKo(app);

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
  const manifests = deploy.locator('.artifacts-manifests');
  await expect(manifests).toHaveAttribute('data-file', 'endpoint/deployment.yaml');
  await expect(manifests).toHaveAttribute('data-applied', 'false');
  await expect(manifests.getByRole('tab')).toHaveText(['endpoint/deployment.yaml']);
  await expect(manifests.locator('.manifest-status')).toContainText('렌더링만 했고 적용하지 않았습니다');
  // A read-only Monaco editor with YAML highlighting (more than one token colour on a line), not plain text.
  const editor = manifests.locator('.monaco-host[data-language="yaml"] .monaco-editor');
  await expect(editor).toBeVisible({ timeout: 20_000 });
  await expect(editor.locator('.view-lines')).toContainText('kind: Deployment');
  await expect.poll(() => editor.locator('.view-lines span[class*="mtk"]').evaluateAll((els) => new Set(els.map((e) => e.className)).size)).toBeGreaterThan(1);
  await editor.locator('.view-lines').click();
  await app.keyboard.type('x');
  await expect(editor.locator('.view-lines')).not.toContainText('x');
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

const CLUSTER_RUN = `20260105-100000-app${Math.random().toString(36).slice(2, 6)}`;
const SERVICE_YAML = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: pipewright-deploy\nspec:\n  type: LoadBalancer\n';
const ROLLOUT_V1 = 'apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata:\n  name: pipewright-deploy\nspec:\n  replicas: 4\n';
const ROLLOUT_V2 = ROLLOUT_V1.replace('replicas: 4', 'replicas: 6');

/** A cluster run whose deploy step logged the objects it applied (PIPEWRIGHT_APPLIED lines), the Rollout twice. */
async function seedClusterRun(dataDir: string): Promise<void> {
  const dir = await recordTemplateRun(dataDir, {
    id: CLUSTER_RUN, target: 'argo', createdAt: '2026-01-05T10:00:00.000Z', finishedAt: '2026-01-05T10:20:00.000Z',
    record: { context: 'lab', namespace: 'argo', external: { workflowName: 'korean-llm-smoke-x1', workflowNamespace: 'argo' } },
  });
  const applied = (file: string, kind: string, generation: number, yaml: string) =>
    `PIPEWRIGHT_APPLIED ${JSON.stringify({ file, kind, name: 'pipewright-deploy', namespace: 'inference', generation, yaml })}`;
  const texts = [
    'deploy: gate passed',
    applied('service.yaml', 'Service', 1, SERVICE_YAML),
    applied('rollout.yaml', 'Rollout', 1, ROLLOUT_V1),
    'registry: rolling out version 8',
    applied('rollout.yaml', 'Rollout', 2, ROLLOUT_V2),
  ];
  const logDir = nodeLogDir(dir, 'deploy');
  await mkdir(logDir, { recursive: true });
  await writeFile(path.join(logDir, segmentName(1)), texts.map((text, i) => formatLogLine({ seq: i + 1, ts: `2026-01-05T10:1${i}:00.000Z`, text, stream: 'stdout' })).join(''));
}

test("a cluster run's deploy step: the manifests it applied, the last apply of each, in Korean", async ({ app }) => {
  await seedClusterRun(process.env.PIPEWRIGHT_E2E_DATADIR!);
  await switchToKorean(app);
  await openRecordedRunKo(app, CLUSTER_RUN);
  await showRunTabKo(app);
  await app.locator('.run-nodes li[data-node-id="deploy"]').click();
  const deploy = app.locator('.artifacts-pane[data-node-id="deploy"]');
  await deploy.locator('summary').click();
  await expect(deploy.locator('p').first()).toContainText('클러스터에서 실행된 실행입니다');
  const manifests = deploy.locator('.artifacts-manifests');
  await expect(manifests.getByRole('tab')).toHaveText(['service.yaml', 'rollout.yaml']);
  await expect(manifests).toHaveAttribute('data-applied', 'true');
  await expect(manifests.locator('.manifest-status')).toContainText('클러스터에 적용됨: Service inference/pipewright-deploy, generation 1');
  await manifests.getByRole('tab', { name: 'rollout.yaml' }).click();
  await expect(manifests).toHaveAttribute('data-file', 'rollout.yaml');
  await expect(manifests.locator('.manifest-status')).toContainText('Rollout inference/pipewright-deploy, generation 2');
  const editor = manifests.locator('.monaco-host[data-language="yaml"] .monaco-editor');
  await expect(editor).toBeVisible({ timeout: 20_000 });
  await expect(editor.locator('.view-lines')).toContainText('replicas: 6');
  await app.screenshot({ path: 'test-results/screenshots/artifacts-applied-ko.png' });
});
