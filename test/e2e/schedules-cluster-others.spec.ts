/**
 * The schedules dialog shows every schedule on the cluster target, not only the open pipeline's, against
 * the emulator in Korean: on Argo, another pipeline's CronWorkflow and one applied by hand, in their own
 * section, marked, with cron, zone, state, last and next run; the hand-made one paused, and deleted after
 * a confirmation that names it (Cancel keeps it). No permission to list CronWorkflows is named and the
 * pipeline's own is still listed. On KFP, recurring runs of other experiments and one made in KFP itself
 * (an interval); KFP not answering is named and the pipeline's own is shown as recorded. Screenshots at 1440x900.
 */
import { templateDocument } from '../../node-catalog/templates/index.ts';
import type { ScheduleSpec } from '../../shared/schedules/types.ts';
import { expect, openApp, test } from './fixtures.ts';
import { BROWSER_ONLY, rpcOn, useClusterServer } from './helpers/clusterServer.ts';
import { newFromTemplate } from './run-helpers.ts';
import { fillField } from './helpers/fillField.ts';

test.use({ viewport: { width: 1440, height: 900 } });
test.setTimeout(120_000);

const cluster = useClusterServer({ prefix: 'schedules-others', emulator: { timeScale: 0.02 } });
const spec = (name: string, cron: string, timezone: string): ScheduleSpec => ({ name, cron, timezone, maxConcurrency: 1, catchUp: true, parameters: {}, trigger: 'cron' });

test('the schedules dialog lists the cluster’s other schedules, marked, and pauses and deletes them (asking first); errors never hide the pipeline’s own', async ({ page, request }, testInfo) => {
  test.skip(testInfo.project.name === 'electron' || !cluster(), BROWSER_ONLY);
  const server = cluster()!;
  const { emulator: emu, url } = server;
  const smoke = templateDocument('korean-llm-smoke')!;
  const report = { ...smoke, name: 'weekly-report' };
  const argo = { target: 'argo', context: emu.context, namespace: 'default' };
  await rpcOn(server, request, 'addClusterSchedule', [argo, smoke, spec('smoke-nightly', '0 3 * * *', 'Asia/Seoul')]);
  await rpcOn(server, request, 'addClusterSchedule', [argo, report, spec('report-weekly', '0 2 * * 0', 'UTC')]);
  emu.apply('cronworkflows', {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'CronWorkflow',
    metadata: { name: 'cleanup-hourly', namespace: 'default' },
    spec: { schedules: ['15 * * * *'], timezone: 'Europe/Berlin', suspend: false, concurrencyPolicy: 'Allow', workflowSpec: { entrypoint: 'main', templates: [{ name: 'main', container: { image: 'busybox', command: ['true'] } }] } },
  });
  await rpcOn(server, request, 'updateSettings', [{ language: 'ko' }]);
  await openApp(page, url);
  await newFromTemplate(page, /Korean LLM \(smoke\)|한국어 LLM \(스모크\)/, 9);

  await page.getByRole('button', { name: '일정…' }).click();
  const dialog = page.getByRole('dialog', { name: '일정' });
  const openArgo = async () => {
    await dialog.getByRole('radio', { name: 'Argo Workflows (CronWorkflow)' }).check();
    await fillField(dialog.getByLabel('네임스페이스', { exact: true }), 'default');
  };
  await openArgo();
  const own = dialog.getByTestId('cluster-schedules');
  const others = dialog.getByTestId('cluster-schedules-others');
  await expect(own.locator('[data-schedule="smoke-nightly"]')).toContainText('0 3 * * *');
  // The next run in the schedule's own zone: 03:00 in Seoul.
  await expect(own.locator('[data-schedule="smoke-nightly"]')).toContainText(/다음 실행: .*오전 3:00 \(Asia\/Seoul\)/);
  await expect(own.locator('[data-schedule]')).toHaveCount(1);
  await expect(others).toContainText('네임스페이스 default의 다른 일정 (2개)');
  const outside = others.locator('[data-schedule="cleanup-hourly"]');
  await expect(outside).toContainText('Pipewright 밖에서 만듦');
  await expect(outside).toContainText('15 * * * *');
  await expect(outside).toContainText('Europe/Berlin');
  await expect(outside).toContainText('활성');
  await expect(outside).toContainText('동시 실행: 제한 없음');
  await expect(outside).toContainText(/다음 실행: .*:15 \(Europe\/Berlin\)/);
  await expect(outside).toContainText('마지막 시작: 아직 없음');
  await expect(outside).not.toContainText('다음 실행: 여기서는 알 수 없음');
  const other = others.locator('[data-schedule="report-weekly"]');
  await expect(other).toContainText('다른 파이프라인: weekly-report');
  await expect(other).toContainText('0 2 * * 0');

  // Pause the hand-made one: suspended on the cluster, no next run.
  await outside.getByRole('button', { name: '일시 중지' }).click();
  await expect(outside).toContainText('일시 중지됨');
  await expect(outside).toContainText('다음 실행: 일시 중지 중에는 없음');
  expect((emu.controller.get('cronworkflows', 'default', 'cleanup-hourly') as unknown as { spec: { suspend: boolean } }).spec.suspend).toBe(true);

  // Delete asks first, naming it; Cancel keeps it.
  await outside.getByRole('button', { name: '삭제', exact: true }).click();
  const confirm = outside.getByRole('alertdialog', { name: 'cleanup-hourly을(를) 삭제할까요?' });
  await expect(confirm).toContainText('Pipewright 밖에서 만든 일정인 cleanup-hourly을(를) 클러스터에서 삭제할까요?');
  await page.screenshot({ path: 'test-results/screenshots/schedules-cluster-others-ko.png' });
  await confirm.getByRole('button', { name: '취소' }).click();
  await expect(confirm).toBeHidden();
  expect(emu.controller.get('cronworkflows', 'default', 'cleanup-hourly')).toBeDefined();
  await outside.getByRole('button', { name: '삭제', exact: true }).click();
  await outside.getByRole('button', { name: 'cleanup-hourly 삭제' }).click();
  await expect(outside).toHaveCount(0);
  expect(emu.controller.get('cronworkflows', 'default', 'cleanup-hourly')).toBeUndefined();
  await expect(others).toContainText('네임스페이스 default의 다른 일정 (1개)');
  expect(emu.controller.get('cronworkflows', 'default', 'report-weekly')).toBeDefined();

  // No permission to list CronWorkflows: named, the pipeline's own still listed (read by name).
  emu.controller.deny({ verb: 'list', resource: 'cronworkflows' });
  try {
    await dialog.getByRole('radio', { name: 'Kubeflow Pipelines (반복 실행)' }).check();
    await openArgo();
    await expect(dialog.getByTestId('schedules-problem')).toContainText('여기의 일부를 읽지 못했습니다: cannot list the CronWorkflows in namespace default');
    await expect(dialog.getByTestId('schedules-problem')).toContainText('permission denied (403)');
    await expect(own.locator('[data-schedule="smoke-nightly"]')).toContainText('0 3 * * *');
    await expect(own).toContainText('여기에는 이 컴퓨터에서 만든 이 파이프라인의 일정만');
    await expect(others).toHaveCount(0);
    await page.screenshot({ path: 'test-results/screenshots/schedules-cluster-others-denied-ko.png' });
  } finally {
    emu.controller.allowAll();
  }

  // KFP: the pipeline's own in experiment nightly; another pipeline's and one made in KFP (an interval) in experiment reports.
  const kfp = { target: 'kfp', context: emu.context, experiment: 'nightly' };
  const mine = (await rpcOn(server, request, 'addClusterSchedule', [kfp, smoke, spec('smoke-kfp', '30 4 * * *', 'UTC')])) as { id: string };
  await rpcOn(server, request, 'addClusterSchedule', [{ ...kfp, experiment: 'reports' }, report, spec('report-kfp', '0 2 * * 0', 'UTC')]);
  const api = (path: string, init?: RequestInit) => fetch(`${emu.kfpUrl}${path}`, { ...init, headers: { Authorization: `Bearer ${emu.token}`, 'Content-Type': 'application/json' } });
  const template = (await (await api(`/apis/v2beta1/recurringruns/${mine.id}`)).json()) as { pipeline_spec: unknown };
  const experiments = ((await (await api('/apis/v2beta1/experiments')).json()) as { experiments: { experiment_id: string; display_name: string }[] }).experiments;
  const reports = experiments.find((e) => e.display_name === 'reports')!;
  await api('/apis/v2beta1/recurringruns', {
    method: 'POST',
    body: JSON.stringify({ display_name: 'hand-made', description: 'made in the KFP UI', pipeline_spec: template.pipeline_spec, trigger: { periodic_schedule: { interval_second: '3600' } }, max_concurrency: '1', experiment_id: reports.experiment_id }),
  });
  await dialog.getByRole('radio', { name: 'Kubeflow Pipelines (반복 실행)' }).check();
  await dialog.getByLabel('실험').fill('nightly');
  await expect(own.locator('[data-schedule="smoke-kfp"]')).toContainText('0 30 4 * * *');
  await expect(others).toContainText('여기의 다른 반복 실행, 모든 실험 (2개)');
  const handMade = others.locator('[data-schedule="hand-made"]');
  await expect(handMade).toContainText('3600초마다');
  await expect(handMade).toContainText('Pipewright 밖에서 만듦');
  await expect(handMade).toContainText('실험 reports');
  await expect(others.locator('[data-schedule="report-kfp"]')).toContainText('다른 파이프라인: weekly-report');
  await page.screenshot({ path: 'test-results/screenshots/schedules-cluster-others-kfp-ko.png' });

  // KFP does not answer: named; the pipeline's own shown as recorded.
  emu.faults.failRatio(1, { code: 503, path: /ml-pipeline/ });
  try {
    await openArgo();
    await dialog.getByRole('radio', { name: 'Kubeflow Pipelines (반복 실행)' }).check();
    await dialog.getByLabel('실험').fill('nightly');
    await expect(dialog.getByTestId('schedules-problem')).toContainText('cannot reach Kubeflow Pipelines');
    await expect(own.locator('[data-schedule="smoke-kfp"]')).toContainText('지금 클러스터에서 읽지 못해(위 참고), Pipewright가 만들 때 기록한 대로 보여 줍니다.');
    await expect(others).toHaveCount(0);
    await expect(own).not.toContainText('프로필 네임스페이스');
    await page.screenshot({ path: 'test-results/screenshots/schedules-cluster-others-kfp-down-ko.png' });
  } finally {
    emu.faults.clear();
  }
});
