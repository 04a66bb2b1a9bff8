/**
 * Multi-user Kubeflow in the app, in Korean at 1440x900: Settings › Clusters holds the KFP service
 * (namespace, name, port, scheme; a bad value is named and not saved; the TLS overlay's https:tls is
 * kept by the back end); the run dialog offers the three connections with their own fields.
 */
import { expect, rpc, test } from './fixtures.ts';
import { newFromTemplate } from './run-helpers.ts';

test.use({ viewport: { width: 1440, height: 900 } });

test.afterEach(async ({ request }) => {
  await rpc(request, 'updateSettings', [{ language: 'system', kfpService: { namespace: 'kubeflow', name: 'ml-pipeline', port: '8888', scheme: 'http' } }]);
});

test('KFP service setting and connection modes, in Korean', async ({ app, request }) => {
  await rpc(request, 'updateSettings', [{ language: 'ko' }]);
  await app.reload();
  await app.getByRole('button', { name: '설정', exact: true }).click();
  await app.getByRole('tab', { name: '클러스터' }).click();
  await expect(app.getByRole('heading', { name: 'Kubeflow Pipelines 서비스' })).toBeVisible();
  const port = app.getByLabel('포트', { exact: true });
  await port.fill('70000');
  const section = app.locator('.kfp-service');
  await expect(section.getByRole('alert')).toHaveText('“70000”는 포트 번호(1-65535)도 포트 이름도 아닙니다.');
  await expect(section.getByRole('button', { name: '서비스 설정 저장' })).toBeDisabled();
  await port.fill('tls');
  await app.getByLabel('스킴', { exact: true }).selectOption('https');
  await section.getByRole('button', { name: '서비스 설정 저장' }).click();
  await expect(app.getByText('저장했습니다.')).toBeVisible();
  await expect.poll(async () => ((await rpc(request, 'getSettings', [])) as { kfpService: unknown }).kfpService).toEqual({ namespace: 'kubeflow', name: 'ml-pipeline', port: 'tls', scheme: 'https' });
  await app.locator('.kfp-service').scrollIntoViewIfNeeded();
  await app.screenshot({ path: 'test-results/screenshots/kfp-service-settings-ko.png' });
  await app.keyboard.press('Escape');

  await newFromTemplate(app, /Korean LLM \(smoke\)|한국어 LLM \(스모크\)/, 9);
  await app.locator('[data-action="run.start"]').click();
  const dialog = app.getByRole('dialog');
  await dialog.getByRole('radio', { name: /Kubeflow Pipelines/ }).check();
  const connection = dialog.getByLabel('연결 방식', { exact: true });
  await expect(connection).toHaveValue('proxy');
  await expect(dialog.getByTestId('kfp-connection-help')).toContainText('다중 사용자 Kubeflow는 이 경로를 거부합니다');
  await connection.selectOption('session');
  await dialog.getByLabel('Kubeflow URL').fill('https://kubeflow.example.com/pipeline');
  await dialog.getByLabel('세션 쿠키가 든 환경 변수').fill('KF_SESSION');
  await expect(dialog.getByLabel('ID 토큰 (이번 실행에만)')).toHaveAttribute('type', 'password');
  await app.screenshot({ path: 'test-results/screenshots/kfp-connection-session-ko.png' });
  await connection.selectOption('service-account');
  await expect(dialog.getByLabel('서비스 계정')).toHaveAttribute('placeholder', 'default-editor');
  await expect(dialog.getByLabel('세션 쿠키가 든 환경 변수')).toHaveCount(0);
});
