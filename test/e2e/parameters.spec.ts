/**
 * Run-time parameters as a user meets them, in Korean at 1440×900: the editor in the pipeline settings
 * (add, rename following bindings, type, default, delete), binding a node parameter (the card shows it),
 * the step's image and why, and the run dialog (defaults filled in, a bad value blocking Run with the
 * reason, the run started with the typed value, which the run history keeps).
 */
import type { PipelineDocument } from '../../shared/pipeline/types.ts';
import { expect, rpc, test } from './fixtures.ts';
import { documentOf, nodeCard, selectNode } from './helpers.ts';

function demo(): PipelineDocument {
  return {
    format: 'pipewright.pipeline/v2',
    name: 'params-demo',
    parameters: [{ name: 'min_len', type: 'integer', default: 10, description: '짧은 레코드 기준' }],
    nodes: [
      { id: 'corpus', type: 'dataset', position: { x: 0, y: 0 }, params: { uri: 'sample://ko_corpus.jsonl', format: 'jsonl' } },
      { id: 'clean', type: 'preprocess', position: { x: 320, y: 0 }, params: { min_chars: { $param: 'min_len' } } },
    ],
    edges: [{ id: 'e1', source: 'corpus', sourceHandle: 'dataset', target: 'clean', targetHandle: 'dataset' }],
  };
}

test.afterEach(async ({ request }) => {
  await rpc(request, 'updateSettings', [{ language: 'system' }]);
});

test('parameters editor, binding, image and run dialog values, in Korean', async ({ app, request }) => {
  await app.setViewportSize({ width: 1440, height: 900 });
  await rpc(request, 'updateSettings', [{ language: 'ko' }]);
  await app.evaluate((doc) => window.pipewright_debug!.loadDocument(doc), demo());

  // The card shows the binding.
  await expect(nodeCard(app, 'clean')).toContainText('← min_len');

  // Editor: rename follows the binding; a bad name is refused with the reason; add, type, default.
  const section = app.getByTestId('parameters-section');
  await section.scrollIntoViewIfNeeded();
  await expect(section.getByRole('heading', { name: '실행 매개변수' })).toBeVisible();
  const name0 = section.getByTestId('parameter-0').getByLabel('이름', { exact: true });
  await name0.fill('Bad Name');
  await expect(section.getByTestId('parameter-0')).toContainText('영문 소문자, 숫자, _ 만 쓰고 영문자로 시작하세요.');
  await name0.fill('min_length');
  await expect.poll(async () => (await documentOf(app)).nodes[1].params?.min_chars).toEqual({ $param: 'min_length' });
  await expect(section.getByTestId('parameter-0')).toContainText('사용하는 곳: clean.min_chars');
  await section.getByTestId('parameter-add').click();
  const row1 = section.getByTestId('parameter-1');
  await row1.getByLabel('형식', { exact: true }).selectOption('boolean');
  await row1.getByLabel('기본값', { exact: true }).selectOption('false');
  await expect.poll(async () => (await documentOf(app)).parameters?.[1]).toEqual({ name: 'param_1', type: 'boolean', default: false });
  await app.screenshot({ path: 'test-results/screenshots/parameters-editor.png' });

  // Binding: the preprocess step's dedupe (boolean) to param_1, then unbound again.
  await selectNode(app, 'clean');
  const bind = app.getByTestId('bind-dedupe');
  await expect(bind.locator('option')).toHaveText(['— 연결 안 함 —', 'param_1 (참/거짓)']);
  await expect(app.getByTestId('bind-min_chars').locator('option')).toHaveText(['— 연결 안 함 —', 'min_length (정수)']);
  await bind.selectOption('param_1');
  await expect.poll(async () => (await documentOf(app)).nodes[1].params?.dedupe).toEqual({ $param: 'param_1' });
  await expect(app.locator('.param-binding.bound').first()).toContainText('실행할 때 min_length 값을 받습니다');
  await expect(nodeCard(app, 'clean')).toContainText('← param_1');

  // The image: the type's default, then one set on the node, then cleared.
  const image = app.getByTestId('image-section');
  await image.scrollIntoViewIfNeeded();
  await expect(image.getByTestId('image-source')).toContainText('preprocess 유형의 기본 이미지');
  await image.getByLabel('이 단계의 이미지', { exact: true }).fill('ghcr.io/acme/clean:2');
  await expect(image.getByTestId('image-source')).toContainText('ghcr.io/acme/clean:2 — 이 단계에 직접 지정됨');
  await app.screenshot({ path: 'test-results/screenshots/parameters-binding.png' });
  await image.getByRole('button', { name: /기본값|초기화|Reset/ }).first().click();
  await expect.poll(async () => (await documentOf(app)).nodes[1].image).toBeUndefined();
  await bind.selectOption('');
  await expect.poll(async () => (await documentOf(app)).nodes[1].params?.dedupe).toBeUndefined();

  // The run dialog: defaults filled in; a value out of the bound param's range blocks Run with the reason.
  await app.locator('[data-action="run.start"]').click();
  const dialog = app.getByRole('dialog');
  const field = dialog.getByLabel(/min_length/);
  await expect(field).toHaveValue('10');
  await expect(dialog.getByLabel(/param_1/)).toHaveValue('false');
  await field.fill('-3');
  await expect(dialog.getByTestId('run-parameters')).toContainText('연결된 노드 매개변수가 받을 수 없는 값입니다: Parameter min_length is -3, below its minimum 0 (for min_chars of node "clean")');
  await expect(dialog.getByTestId('run-start')).toBeDisabled();
  await field.fill('abc');
  await expect(dialog.getByTestId('run-parameters')).toContainText('“abc”은(는) 정수 값이 아닙니다');
  await expect(dialog.locator('.run-issues')).toContainText('min_length: “abc”은(는) 정수 값이 아닙니다');
  await expect(dialog.getByTestId('run-start')).toBeDisabled();
  await app.screenshot({ path: 'test-results/screenshots/parameters-run-dialog-error.png' });
  await field.fill('40');
  await expect(dialog.getByTestId('run-start')).toBeEnabled();
  await app.screenshot({ path: 'test-results/screenshots/parameters-run-dialog.png' });
  await dialog.getByTestId('run-start').click();
  await expect
    .poll(async () => ((await rpc(request, 'listRuns')) as { pipelineName: string; parameterValues?: unknown }[]).find((r) => r.pipelineName === 'params-demo')?.parameterValues)
    .toEqual({ min_length: 40, param_1: false });
  // Let the run end before the back end's data folder goes away.
  await expect
    .poll(async () => ((await rpc(request, 'listRuns')) as { pipelineName: string; phase: string }[]).find((r) => r.pipelineName === 'params-demo')?.phase, { timeout: 60_000 })
    .toMatch(/succeeded|failed/);

  // The runs list shows the values the run used.
  await app.keyboard.press('Escape');
  await app.getByRole('tab', { name: '실행 기록' }).click();
  const row = app.locator('.runs-table tbody tr').filter({ hasText: 'params-demo' }).first();
  await expect(row.locator('.run-params')).toHaveText('min_length=40 param_1=false');
  await expect(app.locator('.runs-table thead')).toContainText('매개변수');
  await app.screenshot({ path: 'test-results/screenshots/parameters-runs-list.png' });
});
