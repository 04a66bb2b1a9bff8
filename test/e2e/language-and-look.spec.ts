import { TEMPLATES } from '../../node-catalog/templates/index.ts';
import type { Page } from '@playwright/test';
import { expect, rpc, test } from './fixtures.ts';
import { documentOf, selectNode } from './helpers.ts';

const KOREAN_TITLES: [string, string][] = [
  ['dataset', '데이터셋'],
  ['preprocess', '전처리'],
  ['cpt', '지속 사전학습 (CPT)'],
  ['sft', '지도 미세조정 (SFT)'],
  ['eval', '평가'],
  ['deploy', '배포'],
  ['python', '파이썬 단계'],
];

async function chooseLanguage(page: Page, settingsLabel: string, languageLabel: string, value: 'en' | 'ko' | 'system'): Promise<void> {
  await page.getByRole('button', { name: settingsLabel, exact: true }).click();
  await page.getByLabel(languageLabel, { exact: true }).selectOption(value);
  await page.keyboard.press('Escape');
}

test.afterEach(async ({ request }) => {
  // Settings live in the shared back end: leave English for the next test.
  await rpc(request, 'updateSettings', [{ language: 'system', theme: 'system' }]);
});

test('switching to Korean translates the interface and the catalog, and is remembered', async ({ app }) => {
  await chooseLanguage(app, 'Settings', 'Language', 'ko');
  for (const [type, title] of KOREAN_TITLES) await expect(app.locator(`.palette-item[data-node-type="${type}"]`)).toContainText(title);
  await expect(app.getByRole('button', { name: '실행', exact: true })).toBeVisible();
  await expect(app.locator('html')).toHaveAttribute('lang', 'ko');

  await app.locator('.palette-item[data-node-type="cpt"]').dblclick();
  const inspector = app.getByRole('complementary', { name: '속성' });
  await expect(inspector.getByLabel('학습률', { exact: true })).toBeVisible();
  await expect(inspector.getByLabel('GPU 수', { exact: true })).toBeVisible();

  await app.reload();
  await expect(app.getByRole('button', { name: '실행', exact: true })).toBeVisible();
  await chooseLanguage(app, '설정', '언어', 'en');
  await expect(app.getByRole('button', { name: 'Run', exact: true })).toBeVisible();
});

test('screenshots of the main screen: light and dark, English and Korean', async ({ app }) => {
  await app.keyboard.press('Control+n');
  await app.getByRole('button', { name: /Korean LLM: preprocess/ }).click();
  await expect.poll(async () => (await documentOf(app)).nodes.length).toBe(TEMPLATES[0].document.nodes.length);
  await selectNode(app, 'cpt');
  await app.getByRole('tab', { name: 'Output' }).click();
  // Monaco arrives lazily; the screenshots show it loaded.
  await expect(app.locator('.monaco-editor').first()).toBeVisible({ timeout: 20_000 });
  await app.locator('[data-action="view.fitView"]').click();

  for (const lang of ['en', 'ko'] as const) {
    if (lang === 'ko') await chooseLanguage(app, 'Settings', 'Language', 'ko');
    for (const scheme of ['light', 'dark'] as const) {
      // The theme follows the OS colour scheme.
      await app.emulateMedia({ colorScheme: scheme });
      await expect(app.locator('html')).toHaveAttribute('data-theme', scheme);
      await app.waitForTimeout(400);
      // Leave no focus ring from the settings button in the picture.
      await app.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      await app.screenshot({ path: `test-results/screenshots/main-${scheme}-${lang}.png` });
    }
  }
});

test('run visuals on the cards: phase colour, progress bar, loss sparkline', async ({ app }) => {
  await app.keyboard.press('Control+n');
  await app.getByRole('button', { name: /Korean LLM: preprocess/ }).click();
  await expect.poll(async () => (await documentOf(app)).nodes.length).toBe(TEMPLATES[0].document.nodes.length);
  await app.evaluate(() => {
    const d = window.pipewright_debug!;
    const loss = Array.from({ length: 40 }, (_, i) => 2.6 * Math.exp(-i / 14) + 0.35 + 0.05 * Math.sin(i));
    d.setRunView('corpus', 'succeeded', 1, []);
    d.setRunView('preprocess', 'cached', 1, []);
    d.setRunView('cpt', 'succeeded', 1, loss);
    d.setRunView('sft', 'running', 0.42, loss.slice(0, 18));
    d.setRunView('eval', 'pending', 0, []);
  });
  // With the side panels hidden the template fits at a zoom where cards show their details.
  await app.keyboard.press('Control+b');
  await app.keyboard.press('Control+i');
  await app.locator('[data-action="view.fitView"]').click();
  await expect(app.locator('.node-card.far')).toHaveCount(0);
  await expect(app.locator('.react-flow__node[data-id="sft"] [role="progressbar"]')).toHaveAttribute('aria-valuenow', '42');
  await expect(app.locator('.react-flow__node[data-id="cpt"] svg.sparkline')).toBeVisible();
  await app.screenshot({ path: 'test-results/screenshots/run-visuals-light-en.png' });
});
