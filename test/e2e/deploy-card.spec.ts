/**
 * A deploy node's card while its canary rolls out (phase, step, traffic weight, pause, analysis) and the MLflow
 * links of a training node and of the deploy node's model version, in Korean at 1440×900. The run is written
 * into the run history as the back end writes it, with what the deploy step's PIPEWRIGHT_DEPLOY lines and the
 * MLflow info lines leave in the node's state. A link opens only when clicked.
 */
import { expect, rpc, test } from './fixtures.ts';
import { nodeCard, zoomToCard } from './helpers.ts';
import { openRecordedRunKo, switchToKorean } from './run-helpers.ts';
import { recordTemplateRun } from '../fixtures/templateRun.ts';

const RUN = `20260104-090000-deploy${Math.random().toString(36).slice(2, 6)}`;
const MLFLOW = 'http://mlflow.pipewright.test';

async function seed(dataDir: string): Promise<void> {
  await recordTemplateRun(dataDir, {
    id: RUN, target: 'argo', createdAt: '2026-01-04T09:00:00.000Z',
    nodes: (nodes) => {
      nodes.sft = { ...nodes.sft, mlflow: { runId: 'a1b2c3', runUrl: `${MLFLOW}/#/experiments/1/runs/a1b2c3`, modelName: 'korean-llm-7b', modelVersion: '3', modelUrl: `${MLFLOW}/#/models/korean-llm-7b/versions/3` } };
      nodes.deploy = {
        phase: 'running', startedAt: '2026-01-04T09:01:00Z',
        deploy: { kind: 'Rollout', name: 'pipewright-deploy', phase: 'Paused', step: 3, steps: 6, weight: 50, paused: 'CanaryPauseStep', analysis: 'Running', analysisValue: '[0.987]', replicas: 4, ready: 4 },
        mlflow: { modelName: 'korean-llm-7b', modelVersion: '3', modelUrl: `${MLFLOW}/#/models/korean-llm-7b/versions/3` },
      };
    },
  });
}

test.afterEach(async ({ request }) => {
  await rpc(request, 'updateSettings', [{ language: 'system' }]);
});

test('the deploy card shows the canary live and links to MLflow, in Korean', async ({ app }) => {
  await seed(process.env.PIPEWRIGHT_E2E_DATADIR!);
  const opened: string[] = [];
  await app.context().route(`${MLFLOW}/**`, async (route) => {
    opened.push(route.request().url());
    await route.fulfill({ contentType: 'text/html', body: '<title>MLflow</title>' });
  });
  await switchToKorean(app);

  await openRecordedRunKo(app, RUN);

  await zoomToCard(app, 'deploy');
  const card = nodeCard(app, 'deploy');
  const status = card.locator('.node-deploy');
  await expect(status).toHaveAttribute('data-deploy-phase', 'Paused');
  await expect(status.locator('.node-deploy-phase')).toHaveText('일시정지');
  await expect(status.locator('.node-deploy-detail')).toHaveText('3/6 단계 · 트래픽 50% · 카나리 일시정지 · 분석 진행 중: [0.987]');
  await expect(status.getByRole('meter')).toHaveAttribute('aria-valuenow', '50');
  const weight = (await status.locator('.node-deploy-weight').boundingBox())!;
  const fill = (await status.locator('.node-deploy-weight > div').boundingBox())!;
  expect(fill.width / weight.width).toBeCloseTo(0.5, 1);

  const model = card.locator('.node-mlflow-model');
  await expect(model).toHaveText('모델 korean-llm-7b v3 ↗');
  await expect(model).toHaveAttribute('href', `${MLFLOW}/#/models/korean-llm-7b/versions/3`);
  const run = nodeCard(app, 'sft').locator('.node-mlflow-run');
  await expect(run).toHaveText('MLflow 실행 ↗');
  await expect(run).toHaveAttribute('title', 'MLflow 실행 a1b2c3을(를) 브라우저에서 엽니다');
  expect(opened).toEqual([]);

  // The click opens the model version in a new browser window (the desktop app hands it to the system browser).
  const popup = app.waitForEvent('popup');
  await model.click();
  const page = await popup;
  await page.waitForLoadState();
  expect(page.url()).toBe(`${MLFLOW}/#/models/korean-llm-7b/versions/3`);
  expect(opened).toEqual([`${MLFLOW}/`]);
  await page.close();

  // Zoom in on the card for the screenshots (the wheel zooms around the pointer).
  for (let i = 0; i < 4; i++) {
    const box = (await card.boundingBox())!;
    await app.mouse.move(box.x + box.width * 0.9, box.y + box.height / 2);
    await app.mouse.wheel(0, -250);
    await app.waitForTimeout(150);
  }
  await expect.poll(async () => (await card.boundingBox())!.width).toBeGreaterThan(300);
  await app.screenshot({ path: 'test-results/screenshots/deploy-card-ko.png' });
  await card.screenshot({ path: 'test-results/screenshots/deploy-card-ko-closeup.png' });

});
