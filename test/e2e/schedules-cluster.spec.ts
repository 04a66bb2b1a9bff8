/**
 * Cluster schedules from the app, against the Kubernetes/KFP emulator (browser mode with KUBECONFIG on
 * it): Run > Schedules… on Argo Workflows creates a CronWorkflow, pauses (spec.suspend), resumes and
 * deletes it; on Kubeflow Pipelines a recurring run (:disable / :enable), in Korean with a screenshot.
 * The emulator fires each schedule ("tick"); the dialog finds the run and the runs list shows it marked
 * with the schedule's name, followed to the end like any cluster run.
 */
import type { APIRequestContext, Page } from '@playwright/test';
import { expect, openApp, test } from './fixtures.ts';
import { BROWSER_ONLY, rpcOn as rpcAt, useClusterServer } from './helpers/clusterServer.ts';
import { newFromTemplate, phaseOf } from './run-helpers.ts';
import { fillField } from './helpers/fillField.ts';

test.use({ viewport: { width: 1440, height: 900 } });
test.setTimeout(180_000);

const cluster = useClusterServer({ prefix: 'schedules', emulator: { timeScale: 0.02 } });
const rpcOn = (request: APIRequestContext, method: string, args: unknown[] = []) => rpcAt(cluster()!, request, method, args);

async function recurringRuns(): Promise<{ display_name: string; status: string; recurring_run_id: string }[]> {
  const { emulator } = cluster()!;
  const res = await fetch(`${emulator.kfpUrl}/apis/v2beta1/recurringruns`, { headers: { Authorization: `Bearer ${emulator.token}` } });
  return ((await res.json()) as { recurringRuns?: { display_name: string; status: string; recurring_run_id: string }[] }).recurringRuns ?? [];
}

async function openRunsTab(page: Page, label: string): Promise<void> {
  const tab = page.getByRole('tab', { name: label, exact: true });
  if ((await tab.getAttribute('aria-selected')) !== 'true') await tab.click();
  await expect(tab).toHaveAttribute('aria-selected', 'true');
}

test('cluster schedules in the app: CronWorkflow and recurring run created, paused, resumed, deleted; their runs in the runs list marked scheduled', async ({ page, request }, testInfo) => {
  test.skip(testInfo.project.name === 'electron' || !cluster(), BROWSER_ONLY);
  const { emulator: emu, url } = cluster()!;
  await rpcOn(request, 'updateSettings', [{ language: 'en' }]);
  await openApp(page, url);
  await newFromTemplate(page, /Korean LLM \(smoke\)/, 9);

  await page.getByRole('button', { name: 'Schedules…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Schedules' });
  await dialog.getByRole('radio', { name: 'Argo Workflows (CronWorkflow)' }).check();
  await expect(dialog.getByRole('note')).toContainText('whether or not Pipewright is open');
  await expect(dialog.getByLabel('Kubeconfig context')).toHaveValue('pipewright-emulator');
  await fillField(dialog.getByLabel('Namespace', { exact: true }), 'default');
  const list = dialog.getByTestId('cluster-schedules');
  await expect(list).toContainText('Schedules of korean-llm-smoke — Argo on pipewright-emulator, namespace default');
  await expect(list).toContainText('No schedules of this pipeline here yet.');

  // Create: daily 03:00 in Seoul, one at a time, catch-up on.
  await dialog.getByLabel('Name', { exact: true }).fill('nightly-argo');
  await dialog.getByLabel('When', { exact: true }).selectOption('daily');
  await dialog.getByLabel('Time zone').fill('Asia/Seoul');
  await dialog.getByRole('button', { name: 'Create on the cluster' }).click();
  await expect(dialog.getByRole('status')).toContainText('Created schedule nightly-argo');
  const argoRow = list.locator('[data-schedule="nightly-argo"]');
  await expect(argoRow).toContainText('0 3 * * *');
  await expect(argoRow).toContainText('Asia/Seoul');
  await expect(argoRow).toContainText('active');
  await expect(argoRow).toContainText('runs at once: 1 · catch-up on · last started: not yet');
  const cron = () => emu.controller.get('cronworkflows', 'default', 'nightly-argo') as unknown as { spec: Record<string, unknown>; status?: { lastScheduledTime?: string } };
  expect(cron().spec).toMatchObject({ schedules: ['0 3 * * *'], timezone: 'Asia/Seoul', suspend: false, concurrencyPolicy: 'Forbid' });

  // Pause: spec.suspend, and a firing starts nothing. Resume.
  await argoRow.getByRole('button', { name: 'Pause' }).click();
  await expect(argoRow).toContainText('paused');
  expect(cron().spec.suspend).toBe(true);
  expect(emu.controller.tickCronWorkflow('default', 'nightly-argo')).toEqual({ skipped: 'suspended' });
  await argoRow.getByRole('button', { name: 'Resume' }).click();
  await expect(argoRow).toContainText('active');
  expect(cron().spec.suspend).toBe(false);

  // The schedule fires: the dialog finds the run (its poll, or the button) and the list shows when.
  const argoTick = emu.controller.tickCronWorkflow('default', 'nightly-argo');
  if (!('started' in argoTick)) throw new Error(`nothing started: ${argoTick.skipped}`);
  await dialog.getByRole('button', { name: 'Look for new runs' }).click();
  await expect(dialog.getByTestId('schedules-found')).toContainText('1 new run(s) started by nightly-argo: added to the runs list');
  await expect(argoRow).not.toContainText('last started: not yet');

  // Kubeflow Pipelines: a weekly recurring run in experiment "nightly".
  await dialog.getByRole('radio', { name: 'Kubeflow Pipelines (recurring run)' }).check();
  await dialog.getByLabel('Experiment').fill('nightly');
  await expect(list).toContainText('KFP on pipewright-emulator, experiment nightly');
  await dialog.getByLabel('Name', { exact: true }).fill('weekly-kfp');
  await dialog.getByLabel('Time zone').fill('Asia/Seoul');
  await dialog.getByRole('button', { name: 'Create on the cluster' }).click();
  const kfpRow = list.locator('[data-schedule="weekly-kfp"]');
  // Sunday 02:00 in Seoul is Saturday 17:00 UTC, in KFP's six fields.
  await expect(kfpRow).toContainText('0 0 17 * * 6');
  await expect(kfpRow).toContainText('UTC');
  const [made] = await recurringRuns();
  expect(made).toMatchObject({ display_name: 'weekly-kfp', status: 'ENABLED' });

  await rpcOn(request, 'updateSettings', [{ language: 'ko' }]);
  const ko = page.getByRole('dialog', { name: '일정' });
  const kfpRowKo = ko.locator('[data-schedule="weekly-kfp"]');
  await kfpRowKo.getByRole('button', { name: '일시 중지' }).click();
  await expect(kfpRowKo).toContainText('일시 중지됨');
  expect((await recurringRuns())[0].status).toBe('DISABLED');
  expect(emu.controller.tickRecurringRun(made.recurring_run_id)).toEqual({ skipped: 'disabled' });
  await kfpRowKo.getByRole('button', { name: '다시 시작' }).click();
  await expect(kfpRowKo).toContainText('활성');
  expect((await recurringRuns())[0].status).toBe('ENABLED');
  const kfpTick = emu.controller.tickRecurringRun(made.recurring_run_id);
  if (!('started' in kfpTick)) throw new Error(`nothing started: ${kfpTick.skipped}`);
  await ko.getByRole('button', { name: '새 실행 찾기' }).click();
  await expect(ko.getByTestId('schedules-found')).toContainText('weekly-kfp이(가) 시작한 새 실행 1개');
  await expect(kfpRowKo).not.toContainText('마지막 시작: 아직 없음');
  await expect(ko.getByTestId('cluster-schedules')).toContainText('korean-llm-smoke의 일정 — KFP · pipewright-emulator · 실험 nightly');
  await expect(ko.getByText('클러스터 스케줄러가 멈춘 동안 놓친 실행 따라잡기', { exact: false })).toBeVisible();
  // KFP runs "when the data changes" too (a data-check step before the pipeline): offered here, not refused.
  await expect(ko.getByText('마지막 성공한 실행 이후 데이터가 바뀌었을 때만')).toHaveCount(1);
  await expect(ko.getByRole('note')).toContainText('Pipewright가 열려 있든 아니든');
  await page.screenshot({ path: 'test-results/screenshots/schedules-cluster-ko.png' });

  // Runs list: both runs, marked with their schedule's name, followed to the end.
  await page.keyboard.press('Escape');
  await expect(ko).toBeHidden();
  await expect
    .poll(async () => ((await rpcOn(request, 'listRuns')) as { scheduleName?: string; phase: string }[]).map((r) => `${r.scheduleName}:${r.phase}`).sort(), { timeout: 60_000 })
    .toEqual(['nightly-argo:succeeded', 'weekly-kfp:succeeded']);
  await openRunsTab(page, '실행 기록');
  const rows = page.locator('.runs-table tbody tr');
  await expect(rows.filter({ hasText: '예약 실행: nightly-argo' })).toHaveCount(1);
  await expect(rows.filter({ hasText: '예약 실행: weekly-kfp' })).toHaveCount(1);
  await page.screenshot({ path: 'test-results/screenshots/schedules-cluster-runs-ko.png' });
  await rpcOn(request, 'updateSettings', [{ language: 'en' }]);
  const argoRun = rows.filter({ hasText: 'scheduled: nightly-argo' });
  await expect(argoRun).toContainText('Argo Workflows');
  await expect(argoRun).toContainText('Succeeded');
  await argoRun.getByRole('button', { name: 'Open' }).click();
  await expect(phaseOf(page, 'cpt')).toHaveAttribute('data-phase', 'succeeded');

  // Delete both schedules from the dialog; their runs stay.
  await page.getByRole('button', { name: 'Schedules…' }).click();
  await dialog.getByRole('radio', { name: 'Kubeflow Pipelines (recurring run)' }).check();
  await dialog.getByLabel('Experiment').fill('nightly');
  await list.locator('[data-schedule="weekly-kfp"]').getByRole('button', { name: 'Delete' }).click();
  await expect(list).toContainText('No schedules of this pipeline here yet.');
  expect(await recurringRuns()).toEqual([]);
  await dialog.getByRole('radio', { name: 'Argo Workflows (CronWorkflow)' }).check();
  await fillField(dialog.getByLabel('Namespace', { exact: true }), 'default');
  await list.locator('[data-schedule="nightly-argo"]').getByRole('button', { name: 'Delete' }).click();
  await expect(list).toContainText('No schedules of this pipeline here yet.');
  expect(emu.controller.get('cronworkflows', 'default', 'nightly-argo')).toBeUndefined();
  expect(((await rpcOn(request, 'listRuns')) as unknown[]).length).toBe(2);
});
