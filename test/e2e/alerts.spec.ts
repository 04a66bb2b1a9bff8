/**
 * Alerts that act, seen from the app: a step's loss turns NaN, Pipewright stops the run, and the app says
 * so in a banner (English, then Korean), a browser notification and a marker on the loss chart at that step.
 */
import type { PipelineDocument } from '../../shared/pipeline/types.ts';
import { expect, rpc, test } from './fixtures.ts';
import { nodeCard } from './helpers.ts';
import { growPanel, phaseOf } from './run-helpers.ts';

function step(id: string, label: string, losses: (number | string)[], x: number): PipelineDocument['nodes'][number] {
  const code = [
    'import json, time',
    `for i, loss in enumerate(${JSON.stringify(losses)}, 1):`,
    '    print("PIPEWRIGHT_METRIC " + json.dumps({"step": i, "loss": float(loss) if isinstance(loss, str) else loss, "learning_rate": 2e-05}), flush=True)',
    '    time.sleep(0.3)',
    '',
  ].join('\n');
  return { id, type: 'python', label, position: { x, y: 80 }, code, interface: { inputs: [], outputs: [], parameters: [] }, cache: false };
}

const DOC: PipelineDocument = {
  format: 'pipewright.pipeline/v2',
  name: 'alert-demo',
  settings: { alerts: { nonFiniteLoss: { action: 'cancel' } } },
  nodes: [
    step('warmup', 'Warm-up', [2.4, 2.2, 2.1, 2.0, 1.9, 1.85, 1.8, 1.78], 0),
    step('train', 'SFT (diverging)', [2.3, 2.1, 1.95, 1.9, 1.82, 'nan', ...Array.from({ length: 60 }, () => 'nan')], 340),
  ],
  edges: [],
};

test.afterEach(async ({ request }) => {
  await rpc(request, 'updateSettings', [{ language: 'system' }]);
});

test('a NaN loss stops the run: banner, notification and chart marker at the step, in English and Korean', async ({ app, request }) => {
  await app.evaluate(() => {
    const notes: { title: string; body?: string }[] = [];
    (window as unknown as { __notes: typeof notes }).__notes = notes;
    class Recorder {
      static permission = 'granted';
      static requestPermission = async () => 'granted';
      onclick: (() => void) | null = null;
      constructor(title: string, options?: NotificationOptions) {
        notes.push({ title, body: options?.body });
      }
    }
    (window as unknown as { Notification: unknown }).Notification = Recorder;
  });
  await app.evaluate((doc) => window.pipewright_debug!.loadDocument(doc), DOC);
  await expect(nodeCard(app, 'train')).toBeVisible();

  await app.locator('[data-action="run.start"]').click();
  const dialog = app.getByRole('dialog');
  await dialog.getByRole('radio', { name: /This machine/ }).check();
  await dialog.getByTestId('run-start').click();
  await expect(dialog).toBeHidden();

  const banner = app.getByTestId('alert-banner');
  await expect(banner).toBeVisible({ timeout: 60_000 });
  await expect(banner).toHaveAttribute('data-rule', 'nonFiniteLoss');
  await expect(banner).toContainText('Loss became NaN on SFT (diverging) (train) at step 6');
  await expect(banner).toContainText('The run was stopped to save GPU hours.');
  await expect(app.locator('.run-panel .run-header')).toHaveAttribute('data-phase', 'cancelled', { timeout: 30_000 });
  await expect(phaseOf(app, 'train')).toHaveAttribute('data-phase', 'cancelled');

  const notes = await app.evaluate(() => (window as unknown as { __notes: { title: string; body?: string }[] }).__notes);
  expect(notes).toEqual([{ title: 'Pipewright alert: alert-demo', body: 'Loss became NaN on SFT (diverging) (train) at step 6. The run was stopped to save GPU hours.' }]);

  await banner.getByRole('button', { name: 'Show SFT (diverging) (train)' }).click();
  await growPanel(app, 140);
  const marker = app.locator('.metrics-pane [data-chart="loss"] .alert-marker');
  await expect(marker).toHaveAttribute('data-step', '6');
  await expect(marker).toHaveAttribute('data-kind', 'nonFiniteLoss');

  const runs = (await rpc(request, 'listRuns')) as { pipelineName: string; alerts?: { rule: string; step: number; action: string }[] }[];
  expect(runs.find((r) => r.pipelineName === 'alert-demo')?.alerts?.map((a) => [a.rule, a.step, a.action])).toEqual([['nonFiniteLoss', 6, 'cancel']]);

  await rpc(request, 'updateSettings', [{ language: 'ko' }]);
  await expect(banner).toContainText('SFT (diverging) (train)의 손실이 6 스텝에서 NaN이(가) 되었습니다');
  await expect(banner).toContainText('GPU 시간을 아끼려고 실행을 중지했습니다.');
  await expect(marker.locator('.alert-marker-label')).toHaveText('알림 · 6');
  // The stopped step says why in the UI's language, not the runner's bare 'Cancelled'.
  await expect(app.locator('.metrics-pane .run-node-message')).toHaveText('SFT (diverging) (train)의 손실이 6 스텝에서 NaN이(가) 되었습니다. GPU 시간을 아끼려고 실행을 중지했습니다.');
  await app.screenshot({ path: 'test-results/screenshots/alert-banner-ko.png' });

  await banner.getByRole('button', { name: '닫기' }).click();
  await expect(banner).toHaveCount(0);
});
