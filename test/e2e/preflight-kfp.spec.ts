/**
 * Pre-flight of a KFP run checks the endpoint the run will use and says which, in Korean at 1440x900,
 * on the emulator's multi-user Kubeflow: through the service proxy it names the service and blocks (no
 * identity reaches a multi-user KFP); with the Kubeflow URL and the login cookie's variable it checks that
 * URL instead, and the block is gone.
 */
import { expect, openApp, test } from './fixtures.ts';
import { BROWSER_ONLY, rpcOn, useClusterServer } from './helpers/clusterServer.ts';
import { newFromTemplate } from './run-helpers.ts';
import { fillField } from './helpers/fillField.ts';

test.use({ viewport: { width: 1440, height: 900 } });

const COOKIE = 'MTcwMDAwMDAwMHxwcmVmbGlnaHQtZTJl';
const cluster = useClusterServer({
  prefix: 'preflight-kfp',
  emulator: { kfpMultiUser: { profiles: { 'team-a': ['alice@example.com'] }, sessions: { [COOKIE]: 'alice@example.com' } } },
  env: { PIPEWRIGHT_E2E_PREFLIGHT_SESSION: COOKIE },
});

test('KFP pre-flight names the endpoint it checked: the proxy, then the Kubeflow URL, in Korean', async ({ page, request }, testInfo) => {
  test.skip(testInfo.project.name === 'electron' || !cluster(), BROWSER_ONLY);
  const { emulator, url } = cluster()!;
  await rpcOn(cluster()!, request, 'updateSettings', [{ language: 'ko' }]);
  await openApp(page, url);
  await newFromTemplate(page, /Korean LLM \(smoke\)|한국어 LLM \(스모크\)/, 9);
  await page.locator('[data-action="run.start"]').click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('radio', { name: /Kubeflow Pipelines/ }).check();
  await fillField(dialog.getByLabel('네임스페이스', { exact: true }), 'team-a');
  const preflight = dialog.getByTestId('preflight');
  const endpoint = preflight.getByTestId('preflight-kfp-endpoint');
  await expect(endpoint).toHaveText('점검한 Kubeflow Pipelines: 네임스페이스 kubeflow의 서비스 ml-pipeline:8888, 쿠버네티스 서비스 프록시 경유 · 다중 사용자 (프로필 네임스페이스 team-a)');
  const noIdentity = preflight.locator('.preflight-finding[data-code="kfp-no-identity"]');
  await expect(noIdentity).toContainText('다중 사용자 KFP에 사용자 신원이 전달되지 않음');
  await expect(noIdentity).toContainText('Kubeflow URL with your login session');
  await expect(dialog.getByTestId('run-start')).toBeDisabled();

  await dialog.getByLabel('연결 방식', { exact: true }).selectOption('session');
  await expect(dialog.getByText('Kubeflow URL이 완전한 http(s):// 주소가 되면')).toBeVisible();
  await dialog.getByLabel('Kubeflow URL').fill(emulator.kfpIngressUrl!);
  await dialog.getByLabel('세션 쿠키가 든 환경 변수').fill('PIPEWRIGHT_E2E_PREFLIGHT_SESSION');
  await expect(endpoint).toHaveText(`점검한 Kubeflow Pipelines: ${emulator.kfpIngressUrl}, 내 Kubeflow 로그인 세션으로 · 다중 사용자 (프로필 네임스페이스 team-a)`);
  await expect(noIdentity).toHaveCount(0);
  await expect(preflight.locator('.preflight-finding[data-code="engine-missing"]')).toHaveCount(0);
  await preflight.scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/screenshots/preflight-kfp-session-ko.png' });

  // A variable that is not set: the URL still named, the reason too.
  await dialog.getByLabel('세션 쿠키가 든 환경 변수').fill('PIPEWRIGHT_E2E_NOT_SET');
  await expect(preflight.locator('.preflight-finding[data-code="engine-missing"]')).toContainText('PIPEWRIGHT_E2E_NOT_SET');
});
