/**
 * Cluster schedules from the app on a multi-user Kubeflow (the emulator's), in Korean at 1440x900: the
 * schedules dialog offers the run dialog's KFP connections and uses them as a run does. Through the
 * service proxy it says which connection to use instead; with the Kubeflow URL and the login cookie named
 * by its variable the recurring run is made in the profile namespace, listed, paused and deleted.
 */
import { expect, openApp, test } from './fixtures.ts';
import { BROWSER_ONLY, rpcOn, useClusterServer } from './helpers/clusterServer.ts';
import { newFromTemplate } from './run-helpers.ts';
import { fillField } from './helpers/fillField.ts';

test.use({ viewport: { width: 1440, height: 900 } });
test.setTimeout(120_000);

const ALICE_COOKIE = 'MTcwMDAwMDAwMHxhbGljZS1lMmU';
const server = useClusterServer({
  prefix: 'schedules-kfp-modes',
  emulator: { timeScale: 0.02, kfpMultiUser: { profiles: { 'team-a': ['alice@example.com'] }, sessions: { [ALICE_COOKIE]: 'alice@example.com' } } },
  env: { PIPEWRIGHT_E2E_KF_SESSION: ALICE_COOKIE },
});

test('KFP schedules on a multi-user Kubeflow through the login session, in Korean', async ({ page, request }, testInfo) => {
  test.skip(testInfo.project.name === 'electron' || !server(), BROWSER_ONLY);
  const { emulator, url } = server()!;
  const inTeamA = async () => {
    const res = await fetch(`${emulator.kfpIngressUrl}/apis/v2beta1/recurringruns?namespace=team-a`, { headers: { Cookie: `authservice_session=${ALICE_COOKIE}` } });
    return ((await res.json()) as { recurringRuns?: { display_name: string; status: string }[] }).recurringRuns ?? [];
  };
  await rpcOn(server()!, request, 'updateSettings', [{ language: 'ko' }]);
  await openApp(page, url);
  await newFromTemplate(page, /Korean LLM \(smoke\)|한국어 LLM \(스모크\)/, 9);
  await page.getByRole('button', { name: '일정…' }).click();
  const dialog = page.getByRole('dialog', { name: '일정' });
  await dialog.getByRole('radio', { name: /Kubeflow Pipelines/ }).check();
  await fillField(dialog.getByLabel('네임스페이스', { exact: true }), 'team-a');
  const list = dialog.getByTestId('cluster-schedules');
  // The service proxy: the run path's advice, not "refresh your kubeconfig token".
  await expect(list.getByRole('alert')).toContainText('no user identity reaches Kubeflow Pipelines');

  await dialog.getByLabel('연결 방식', { exact: true }).selectOption('session');
  await dialog.getByLabel('Kubeflow URL').fill(emulator.kfpIngressUrl!);
  await dialog.getByLabel('세션 쿠키가 든 환경 변수').fill('PIPEWRIGHT_E2E_KF_SESSION');
  await dialog.getByLabel('실험', { exact: true }).fill('nightly-a');
  await expect(list).toContainText(`KFP · ${emulator.kfpIngressUrl} · 프로필 네임스페이스 team-a · 실험 nightly-a`);
  await expect(list.getByRole('alert')).toHaveCount(0);

  await dialog.getByLabel('이름', { exact: true }).fill('nightly-a');
  await dialog.getByRole('button', { name: '클러스터에 만들기' }).click();
  const row = list.locator('[data-schedule="nightly-a"]');
  await expect(row).toContainText('활성');
  expect(await inTeamA()).toEqual([expect.objectContaining({ display_name: 'nightly-a', status: 'ENABLED' })]);
  await row.getByRole('button', { name: '일시 중지' }).click();
  await expect(row).toContainText('일시 중지됨');
  expect((await inTeamA())[0].status).toBe('DISABLED');
  await page.screenshot({ path: 'test-results/screenshots/schedules-cluster-kfp-session-ko.png' });
  await row.getByRole('button', { name: '삭제' }).click();
  await expect(row).toHaveCount(0);
  expect(await inTeamA()).toEqual([]);
});
