/**
 * "When the data changes" on cluster schedules, in the app against the emulator: on Argo Workflows the
 * option is offered, says what the data check does and shows the Role its service account needs (for the
 * namespace chosen); the CronWorkflow created starts with the data check, and the list says it runs only
 * when the data changed, and a warning says the account lacks the Role yet. On Kubeflow Pipelines the option is not offered and the dialog says why and what
 * to use instead. Korean, with a screenshot at 1440x900.
 */
import { expect, openApp, test } from './fixtures.ts';
import { BROWSER_ONLY, rpcOn, useClusterServer } from './helpers/clusterServer.ts';
import { newFromTemplate } from './run-helpers.ts';

test.use({ viewport: { width: 1440, height: 900 } });
test.setTimeout(120_000);

const cluster = useClusterServer({ prefix: 'schedules-data', emulator: { timeScale: 0.02 } });

test('cluster schedules that run only when the data changed: offered with its Role on Argo, refused with why on KFP', async ({ page, request }, testInfo) => {
  test.skip(testInfo.project.name === 'electron' || !cluster(), BROWSER_ONLY);
  const { emulator: emu, url } = cluster()!;
  await rpcOn(cluster()!, request, 'updateSettings', [{ language: 'ko' }]);
  await openApp(page, url);
  await newFromTemplate(page, /Korean LLM \(smoke\)|한국어 LLM \(스모크\)/, 9);

  await page.getByRole('button', { name: '일정…' }).click();
  const dialog = page.getByRole('dialog', { name: '일정' });
  await dialog.getByRole('radio', { name: 'Argo Workflows (CronWorkflow)' }).check();
  await dialog.getByLabel('네임스페이스').fill('default');
  const list = dialog.getByTestId('cluster-schedules');
  await expect(list).toContainText('korean-llm-smoke의 일정 — Argo · 컨텍스트 pipewright-emulator · 네임스페이스 default');
  await dialog.getByLabel('이름', { exact: true }).fill('nightly-data');
  await dialog.getByLabel('마지막 성공한 실행 이후 데이터가 바뀌었을 때만').check();
  const access = dialog.getByTestId('data-check-access');
  await expect(access).toContainText('ConfigMap pipewright-data.korean-llm-smoke.nightly-data');
  await expect(access).toContainText('default의 워크플로 서비스 계정');
  await access.getByText('데이터 확인용 Role과 RoleBinding').click();
  const yaml = access.getByLabel('데이터 확인용 Role과 RoleBinding (kubectl apply -f)');
  await expect(yaml).toContainText('kind: Role');
  await expect(yaml).toContainText('- pipewright-data.korean-llm-smoke.nightly-data');
  await expect(yaml).toContainText('namespace: default');
  await page.screenshot({ path: 'test-results/screenshots/schedules-cluster-data-argo-ko.png' });

  await dialog.getByRole('button', { name: '클러스터에 만들기' }).click();
  await expect(dialog.getByRole('status')).toContainText('일정 nightly-data을(를) 만들었습니다');
  const row = list.locator('[data-schedule="nightly-data"]');
  await expect(row).toContainText('데이터가 바뀌었을 때만');
  // The cluster's RBAC does not let the workflow's account keep the fingerprints yet: said at once, with the Role.
  const warning = dialog.getByTestId('schedule-warning');
  await expect(warning).toContainText('만들었지만, 클러스터의 답으로는 아직 그 실행이 동작할 수 없습니다');
  await expect(warning).toContainText('service account default/default may not get/update/create ConfigMap pipewright-data.korean-llm-smoke.nightly-data');
  await expect(warning).toContainText('kind: RoleBinding');
  await page.screenshot({ path: 'test-results/screenshots/schedules-cluster-data-created-ko.png' });
  const cw = emu.controller.get('cronworkflows', 'default', 'nightly-data') as unknown as { metadata: { annotations: Record<string, string> }; spec: { workflowSpec: { entrypoint: string; templates: { name: string }[] } } };
  expect(cw.metadata.annotations['pipewright.dev/trigger']).toBe('data-changed');
  expect(cw.spec.workflowSpec.entrypoint).toBe('WhenDataChanged');
  expect(cw.spec.workflowSpec.templates.map((t) => t.name).slice(0, 4)).toEqual(['WhenDataChanged', 'DataCheck', 'RecordData', 'Pipeline']);

  // Kubeflow Pipelines: not offered, and the dialog says why and what to use instead.
  await dialog.getByRole('radio', { name: 'Kubeflow Pipelines (반복 실행)' }).check();
  await expect(dialog.getByLabel('마지막 성공한 실행 이후 데이터가 바뀌었을 때만')).toHaveCount(0);
  await expect(dialog.getByTestId('data-trigger-kfp')).toContainText('Kubeflow Pipelines에서는 “데이터가 바뀌었을 때만”을 쓸 수 없습니다');
  await expect(dialog.getByTestId('data-trigger-kfp')).toContainText('Argo Workflows(첫 단계가 데이터를 확인)나 이 컴퓨터를 쓰세요');
  await page.screenshot({ path: 'test-results/screenshots/schedules-cluster-data-kfp-ko.png' });
  await rpcOn(cluster()!, request, 'updateSettings', [{ language: 'en' }]);
});
