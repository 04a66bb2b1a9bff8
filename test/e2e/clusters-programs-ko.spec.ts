/**
 * Kubeconfig files that run programs, in Korean, in browser mode (which cannot ask outside the page):
 * adding one in Settings › Clusters is refused in Korean naming the file and its command; a plain file
 * that is edited afterwards to run a program is not used, and Settings › Clusters and the Run dialog say
 * so in Korean with the file and the new command.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import template from '../../node-catalog/templates/korean-llm.pipewright.json' with { type: 'json' };
import type { PipelineDocument } from '../../shared/pipeline/types.ts';
import { expect, openApp, test } from './fixtures.ts';
import { startBrowserMode } from './globalSetup.ts';

test.use({ viewport: { width: 1440, height: 900 } });
test.setTimeout(90_000);

let server: { url: string; stop(): void; kill(): Promise<void> } | undefined;
let base = '';

const plain = (token: string) =>
  `apiVersion: v1\nkind: Config\ncurrent-context: staging\nclusters:\n- name: staging\n  cluster: { server: "https://127.0.0.1:1" }\ncontexts:\n- name: staging\n  context: { cluster: staging, user: me }\nusers:\n- name: me\n  user: { token: ${token} }\n`;
const EXEC_USER = '- name: eks-admin\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1beta1\n      command: aws\n      args: [eks, get-token, --cluster-name, prod]\n';

test.beforeAll(async ({ browserName }, testInfo) => {
  if (testInfo.project.name === 'electron' || browserName !== 'chromium') return;
  base = mkdtempSync(path.join(tmpdir(), 'pipewright-e2e-kc-programs-'));
  mkdirSync(path.join(base, 'data'));
  mkdirSync(path.join(base, 'home'));
  writeFileSync(path.join(base, 'data', 'settings.json'), JSON.stringify({ version: 1, language: 'ko' }));
  server = await startBrowserMode(path.join(base, 'data'), path.join(base, 'home'), { env: { KUBECONFIG: undefined } });
});

test.afterAll(async () => {
  await server?.kill();
  if (base) rmSync(base, { recursive: true, force: true });
});

async function openClusters(page: Page) {
  await page.getByRole('button', { name: '설정', exact: true }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('tab', { name: '클러스터' }).click();
  return { dialog, clusters: dialog.getByTestId('cluster-settings') };
}

test('exec kubeconfigs in Korean: refused when added, and not used once a listed file is edited to run one', async ({ page }, testInfo) => {
  test.skip(testInfo.project.name === 'electron' || !server, 'drives browser mode with its own back end, not the desktop app');
  await openApp(page, server!.url);
  await page.evaluate((d) => window.pipewright_debug!.loadDocument(d), structuredClone(template) as unknown as PipelineDocument);
  let { dialog, clusters } = await openClusters(page);

  const eks = path.join(base, 'eks.yaml');
  writeFileSync(eks, `${plain('t')}${EXEC_USER}`);
  const add = clusters.getByLabel('kubeconfig 파일 추가');
  await add.fill(eks);
  await add.press('Enter');
  const refusal = clusters.getByTestId('kubeconfig-programs');
  await expect(refusal).toContainText('추가하지 않았습니다: 이 kubeconfig는 Pipewright가 프로그램(exec 자격 증명 플러그인)을 실행하게 하거나');
  await expect(refusal.locator('li', { hasText: eks })).toContainText('실행하는 프로그램:');
  await expect(refusal.locator('li', { hasText: eks }).locator('code').last()).toHaveText('aws eks get-token --cluster-name prod (user eks-admin)');
  await expect(refusal).toContainText(`사용하려면 터미널에서 KUBECONFIG=${eks}로 Pipewright를 시작하거나`);
  await expect(refusal).not.toContainText('Not added');
  await expect(clusters.locator('.kubeconfig-files li')).toHaveCount(0);
  await page.screenshot({ path: 'test-results/screenshots/kubeconfig-exec-refused-ko.png' });

  // A plain file is added; later someone adds an exec plugin to it.
  const staging = path.join(base, 'staging.yaml');
  writeFileSync(staging, plain('t1'));
  await add.fill(staging);
  await add.press('Enter');
  await expect(clusters.locator('.kubeconfig-files li', { hasText: staging })).toContainText('컨텍스트 1개');
  await expect(refusal).toHaveCount(0);
  // A token refresh (the same programs: none) changes nothing.
  writeFileSync(staging, plain('t2'));
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  ({ dialog, clusters } = await openClusters(page));
  await expect(clusters.locator('.kubeconfig-files li', { hasText: staging })).toContainText('컨텍스트 1개');
  await expect(clusters.getByTestId('kubeconfig-programs')).toHaveCount(0);
  writeFileSync(staging, `${plain('t2')}${EXEC_USER}`);
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  ({ dialog, clusters } = await openClusters(page));
  const notice = clusters.getByTestId('kubeconfig-programs');
  await expect(notice).toContainText('사용하지 않았습니다: 이 kubeconfig는 추가된 뒤 바뀌었고, 이제 아무도 확인하지 않은 프로그램을 실행합니다.');
  await expect(notice.locator('li', { hasText: staging })).toContainText('새로 실행하는 프로그램:');
  await expect(notice.locator('li', { hasText: staging }).locator('code').last()).toHaveText('aws eks get-token --cluster-name prod (user eks-admin)');
  await expect(clusters.locator('.kubeconfig-files li', { hasText: staging })).toContainText('새 프로그램을 실행함');
  await page.screenshot({ path: 'test-results/screenshots/kubeconfig-exec-changed-ko.png' });
  await page.keyboard.press('Escape');

  // The Run dialog's contexts come from the kubeconfig: refused, in Korean, naming the file and the command.
  await page.locator('[data-action="run.start"]').click();
  const run = page.getByRole('dialog');
  await run.getByRole('radio', { name: /Argo Workflows/ }).check();
  await expect(run.getByRole('alert').filter({ hasText: '사용하지 않았습니다' })).toContainText(`${staging} 새로 실행하는 프로그램: aws eks get-token --cluster-name prod (user eks-admin)`);
});
