/**
 * One rule for bad values in every inspector field: text that cannot be saved is named under the field and in
 * Problems (node and field), marks the node's card, blocks Run naming it, is kept when another node is selected,
 * and goes when corrected or when Esc puts the saved value back (said in the status line). The document keeps
 * its value meanwhile. The inspector starts at its top for another node.
 */
import type { PipelineDocument } from '../../shared/pipeline/types.ts';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, rpc, test, workDir } from './fixtures.ts';
import { documentOf, nodeCard, selectNode } from './helpers.ts';
import { fillField } from './helpers/fillField.ts';

const doc: PipelineDocument = {
  format: 'pipewright.pipeline/v2',
  name: 'field-rule',
  nodes: [
    { id: 'sft', type: 'sft', position: { x: 0, y: 0 }, resources: { gpus: 2 } },
    { id: 'cpt', type: 'cpt', position: { x: 320, y: 0 } },
    { id: 'data', type: 'dataset', position: { x: 0, y: 320 }, params: { uri: 'sample://ko_corpus.jsonl' } },
  ],
  // Connected as it should be, so the only errors are the ones each test types.
  edges: [
    { id: 'e1', source: 'data', sourceHandle: 'dataset', target: 'cpt', targetHandle: 'dataset' },
    { id: 'e2', source: 'data', sourceHandle: 'dataset', target: 'sft', targetHandle: 'dataset' },
    { id: 'e3', source: 'cpt', sourceHandle: 'model', target: 'sft', targetHandle: 'model' },
  ],
};

test.afterEach(async ({ request }) => {
  await rpc(request, 'updateSettings', [{ language: 'system' }]);
});

test('abc and 1.5 in the GPU field are named inline and in Problems, block Run, and are not saved; -2 is named; a good value is saved', async ({ app }) => {
  await app.evaluate((d) => window.pipewright_debug!.loadDocument(d), doc);
  await app.waitForTimeout(200);
  await app.evaluate(() => window.pipewright_debug!.setViewport({ x: 60, y: 60, zoom: 1 }));
  await selectNode(app, 'sft');
  const inspector = app.getByRole('complementary', { name: 'Inspector' });
  const problems = app.getByRole('list', { name: 'Problems' });
  const gpus = inspector.getByLabel('GPUs', { exact: true });
  const saved = async () => (await documentOf(app)).nodes.find((n) => n.id === 'sft')!.resources?.gpus;
  for (const [text, message] of [
    ['abc', '“abc” is not a number'],
    ['1.5', 'Enter a whole number.'],
  ]) {
    await gpus.fill(text);
    await gpus.blur();
    await expect(inspector.locator('.field-message.error').first()).toContainText(message);
    await expect(inspector.locator('.draft-note')).toHaveText('Not saved: still 2. Esc goes back to it.');
    // Neither saved nor put back behind the user's back: the text stays, the document keeps 2.
    await expect(gpus).toHaveValue(text);
    expect(await saved()).toBe(2);
    // Listed in Problems with the node and the field, and the card shows an error.
    const entry = problems.locator('button.problem', { hasText: `Node "sft", GPUs: not saved. ${message}` });
    await expect(entry).toHaveCount(1);
    await expect(entry).toContainText('The step still uses 2');
    await expect(entry.locator('.problem-where')).toHaveText('sft · resources.gpus');
    await expect(nodeCard(app, 'sft').locator('.node-badge.error')).toHaveText('1');
  }
  // Saving says the field's text is not in the file, which keeps 2.
  await app.keyboard.press('Control+s');
  const saveDialog = app.getByRole('dialog', { name: 'Save the pipeline as' });
  await fillField(saveDialog.getByLabel('Folder', { exact: true }), workDir());
  await saveDialog.getByLabel('Folder', { exact: true }).press('Enter');
  await saveDialog.getByLabel('File name').fill('field-rule');
  await saveDialog.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(app.getByTestId('status-message')).toHaveText(
    'Saved field-rule.pipewright.json. 1 field holds text that cannot be saved: the file has its previous value (see Problems).',
  );
  expect(JSON.parse(readFileSync(path.join(workDir(), 'field-rule.pipewright.json'), 'utf8')).nodes[0].resources).toEqual({ gpus: 2 });
  // Run is blocked, and its summary names the field: the old value never runs silently.
  await app.locator('[data-action="run.start"]').click();
  const blocked = app.getByRole('dialog', { name: 'Cannot run yet' });
  await expect(blocked).toContainText('The pipeline has 1 error');
  await expect(blocked).toContainText('Node "sft", GPUs: not saved. Enter a whole number.');
  await blocked.getByRole('button', { name: 'Show problems' }).click();
  await expect(blocked).toHaveCount(0);

  await gpus.fill('-2');
  await expect(gpus).toHaveAttribute('aria-invalid', 'true');
  await expect(problems).toContainText('gpus of node "sft" is -2');
  await expect(problems).not.toContainText('not saved');
  await gpus.fill('3');
  await expect.poll(saved).toBe(3);
  await expect(gpus).toHaveAttribute('aria-invalid', 'false');
  await expect(nodeCard(app, 'sft').locator('.node-badge.error')).toHaveCount(0);
  await expect(app.locator('.problems-list, .pane-empty')).not.toContainText('sft');
});

test('a learning rate of 1e-x stays listed when another node is selected; the entry focuses it; Esc puts the saved value back and says so', async ({ app }) => {
  await app.evaluate((d) => window.pipewright_debug!.loadDocument(d), doc);
  await app.waitForTimeout(200);
  await app.evaluate(() => window.pipewright_debug!.setViewport({ x: 60, y: 60, zoom: 1 }));
  await selectNode(app, 'cpt');
  const inspector = app.getByRole('complementary', { name: 'Inspector' });
  const problems = app.getByRole('list', { name: 'Problems' });
  const lr = inspector.getByLabel('Learning rate', { exact: true });
  await lr.fill('1e-x');
  const entry = problems.locator('button.problem', { hasText: 'Node "cpt", Learning rate: not saved. “1e-x” is not a number' });
  await expect(entry).toHaveCount(1);
  await expect(entry).toContainText('The step still uses 1e-5');

  // Another node: the draft stays listed and on the card; back again, the field still holds it.
  await selectNode(app, 'sft');
  await expect(entry).toHaveCount(1);
  await expect(nodeCard(app, 'cpt').locator('.node-badge.error')).toHaveText('1');
  await entry.click();
  await expect.poll(() => app.evaluate(() => window.pipewright_debug!.selection())).toEqual(['cpt']);
  await expect(lr).toBeFocused();
  await expect(lr).toHaveValue('1e-x');
  await expect(inspector.locator('.field-message.error').first()).toContainText('“1e-x” is not a number');
  expect((await documentOf(app)).nodes.find((n) => n.id === 'cpt')!.params?.learning_rate).toBeUndefined();

  // Esc: back to the saved value, said plainly; the entry goes; the node stays selected.
  await lr.press('Escape');
  await expect(lr).toHaveValue('1e-5');
  await expect(app.getByTestId('status-message')).toHaveText('Learning rate: “1e-x” discarded, back to the saved value 1e-5.');
  await expect(entry).toHaveCount(0);
  await expect(nodeCard(app, 'cpt').locator('.node-badge.error')).toHaveCount(0);
  expect(await app.evaluate(() => window.pipewright_debug!.selection())).toEqual(['cpt']);

  // A number typed over a draft is saved as usual, and the draft is gone.
  await lr.fill('1e-');
  await expect(entry.or(problems.locator('button.problem', { hasText: '“1e-” is not a number' }))).toHaveCount(1);
  await lr.fill('3e-5');
  await expect.poll(async () => (await documentOf(app)).nodes.find((n) => n.id === 'cpt')!.params?.learning_rate).toBe(3e-5);
  await expect(app.locator('button.problem', { hasText: 'not saved' })).toHaveCount(0);
});

test('in Korean: a pipeline setting and a step field that cannot be saved are listed, block Run, and go when fixed', async ({ app, request }) => {
  await app.setViewportSize({ width: 1440, height: 900 });
  await rpc(request, 'updateSettings', [{ language: 'ko' }]);
  await expect(app.locator('html')).toHaveAttribute('lang', 'ko');
  await app.evaluate((d) => window.pipewright_debug!.loadDocument(d), doc);
  await app.waitForTimeout(200);
  await app.evaluate(() => window.pipewright_debug!.setViewport({ x: 60, y: 60, zoom: 1 }));
  const inspector = app.getByRole('complementary', { name: '속성' });
  const problems = app.getByRole('list', { name: '문제' });

  // A pipeline setting (nothing selected): the stall alert's minutes.
  const stall = inspector.getByLabel('진행 없음 기준', { exact: true });
  await stall.scrollIntoViewIfNeeded();
  await stall.fill('곧');
  const settingEntry = problems.locator('button.problem', { hasText: '파이프라인 설정의 진행 없음 기준: 저장되지 않았습니다.' });
  await expect(settingEntry).toHaveCount(1);
  await expect(settingEntry).toContainText('“곧”은(는) 숫자가 아닙니다');
  await expect(settingEntry).toContainText('파이프라인은 여전히 30 값을 씁니다');
  expect((await documentOf(app)).settings?.alerts).toBeUndefined();

  // A step field: the SFT step's GPUs.
  await selectNode(app, 'sft');
  const gpus = inspector.getByLabel('GPU 수', { exact: true });
  await gpus.fill('1.5');
  await gpus.blur();
  const gpuEntry = problems.locator('button.problem', { hasText: '노드 "sft"의 GPU 수: 저장되지 않았습니다. 정수를 입력하세요.' });
  await expect(gpuEntry).toHaveCount(1);
  await expect(gpuEntry).toContainText('단계는 여전히 2 값을 씁니다');
  await expect(inspector.locator('.draft-note')).toHaveText('저장되지 않음: 아직 2. Esc를 누르면 그 값으로 되돌립니다.');
  await expect(settingEntry).toHaveCount(1);
  await gpus.evaluate((el) => el.scrollIntoView({ block: 'center' }));
  await app.screenshot({ path: 'test-results/screenshots/inspector-drafts-ko.png' });

  await app.locator('[data-action="run.start"]').click();
  const blocked = app.getByRole('dialog', { name: '아직 실행할 수 없습니다' });
  await expect(blocked).toContainText('노드 "sft"의 GPU 수: 저장되지 않았습니다');
  await expect(blocked).toContainText('파이프라인 설정의 진행 없음 기준: 저장되지 않았습니다');
  await app.screenshot({ path: 'test-results/screenshots/inspector-drafts-run-blocked-ko.png' });
  // The summary's entry for the pipeline setting takes the user there.
  await blocked.locator('button', { hasText: '파이프라인 설정의 진행 없음 기준' }).click();
  await expect(blocked).toHaveCount(0);
  await expect(stall).toBeFocused();
  await stall.fill('45');
  await expect.poll(async () => (await documentOf(app)).settings?.alerts).toEqual({ stall: { minutes: 45 } });
  await expect(settingEntry).toHaveCount(0);
  await gpuEntry.click();
  await expect(gpus).toBeFocused();
  await gpus.fill('1');
  await expect.poll(async () => (await documentOf(app)).nodes.find((n) => n.id === 'sft')!.resources?.gpus).toBe(1);
  await expect(app.locator('button.problem', { hasText: '저장되지 않았습니다' })).toHaveCount(0);
});

test('a setting with a pattern and a list entry are named inline and in Problems, block Run, and the entry focuses the very input', async ({ app }) => {
  await app.evaluate((d) => window.pipewright_debug!.loadDocument(d), doc);
  await app.waitForTimeout(200);
  const inspector = app.getByRole('complementary', { name: 'Inspector' });
  const problems = app.getByRole('list', { name: 'Problems' });
  // Text that is a string can be kept in the document; it is named, never taken silently.
  const namespace = inspector.getByLabel('Namespace', { exact: true });
  await namespace.fill('Bad NS');
  await expect(namespace).toHaveAttribute('aria-invalid', 'true');
  await expect(inspector.locator('.field-message.error').first()).toContainText('settings.namespace is "Bad NS"');
  await expect(problems.locator('button.problem', { hasText: 'settings.namespace is "Bad NS"' })).toHaveCount(1);
  // A list entry: the secret's environment variable name.
  await inspector.getByRole('button', { name: '+ Add secret' }).click();
  const row = inspector.getByRole('group', { name: 'Secret 1' });
  await row.getByLabel('Secret', { exact: true }).fill('hf-token');
  await row.getByLabel('Key', { exact: true }).fill('token');
  const env = row.getByLabel('Environment variable', { exact: true });
  await env.fill('HF TOKEN');
  await expect(env).toHaveAttribute('aria-invalid', 'true');
  const envEntry = problems.locator('button.problem', { hasText: 'env "HF TOKEN" is not a valid environment variable name' });
  await expect(envEntry).toHaveCount(1);
  await namespace.focus();
  await envEntry.click();
  await expect(env).toBeFocused();
  await app.locator('[data-action="run.start"]').click();
  const blocked = app.getByRole('dialog', { name: 'Cannot run yet' });
  await expect(blocked).toContainText('The pipeline has 2 errors');
  await blocked.getByRole('button', { name: 'Show problems' }).click();
  await env.fill('HF_TOKEN');
  await namespace.fill('kubeflow');
  await expect(app.locator('button.problem.error')).toHaveCount(0);
  expect((await documentOf(app)).settings).toMatchObject({ namespace: 'kubeflow', secretEnv: [{ secret: 'hf-token', key: 'token', env: 'HF_TOKEN' }] });
});

test("a Python step's port name with the wrong shape is marked, listed, and its entry focuses that input", async ({ app }) => {
  await app.locator('.palette-item[data-node-type="python"]').dblclick();
  const inspector = app.getByRole('complementary', { name: 'Inspector' });
  const port = inspector.getByLabel('Port name', { exact: true }).first();
  await port.fill('Bad Port');
  await expect(port).toHaveAttribute('aria-invalid', 'true');
  const entry = app.getByRole('list', { name: 'Problems' }).locator('button.problem', { hasText: 'port name "Bad Port" must start with a lowercase letter' });
  await expect(entry).toHaveCount(1);
  await inspector.getByLabel('Label', { exact: true }).focus();
  await entry.click();
  await expect(port).toBeFocused();
  await port.fill('text_in');
  await expect(entry).toHaveCount(0);
  await expect(port).toHaveAttribute('aria-invalid', 'false');
});

test("a run-time parameter's default that cannot be saved is listed, follows its row when a row above is deleted, and goes when fixed", async ({ app }) => {
  await app.evaluate(
    (d) => window.pipewright_debug!.loadDocument(d),
    { ...doc, parameters: [{ name: 'seed_a', type: 'integer', default: 1 }, { name: 'steps', type: 'integer', default: 100 }] } as PipelineDocument,
  );
  await app.waitForTimeout(200);
  const section = app.getByTestId('parameters-section');
  const problems = app.getByRole('list', { name: 'Problems' });
  const defaultOf = (i: number) => section.getByTestId(`parameter-${i}`).getByLabel('Default', { exact: true });
  await defaultOf(1).fill('lots');
  const entry = problems.locator('button.problem', { hasText: 'Pipeline settings, Default: not saved.' });
  await expect(entry).toHaveCount(1);
  await expect(entry.locator('.problem-where')).toHaveText('parameters.1.default');
  await section.getByTestId('parameter-0').getByRole('button', { name: 'Delete' }).click();
  await expect(defaultOf(0)).toHaveValue('lots');
  await expect(entry.locator('.problem-where')).toHaveText('parameters.0.default');
  expect((await documentOf(app)).parameters).toEqual([{ name: 'steps', type: 'integer', default: 100 }]);
  await defaultOf(0).fill('200');
  await expect(entry).toHaveCount(0);
  await expect.poll(async () => (await documentOf(app)).parameters).toEqual([{ name: 'steps', type: 'integer', default: 200 }]);

  // A name another row holds is refused and listed; renaming that other row makes it acceptable, and it is saved then.
  await section.getByTestId('parameter-add').click();
  const nameOf = (i: number) => section.getByTestId(`parameter-${i}`).getByLabel('Name', { exact: true });
  await nameOf(1).fill('steps');
  const clash = problems.locator('button.problem', { hasText: 'Pipeline settings, Name: not saved. Another parameter is already named steps.' });
  await expect(clash).toHaveCount(1);
  await nameOf(0).fill('max_steps');
  await expect(clash).toHaveCount(0);
  await expect.poll(async () => (await documentOf(app)).parameters?.map((p) => p.name)).toEqual(['max_steps', 'steps']);
  await expect(nameOf(1)).toHaveValue('steps');
});

test('selecting another node shows its form from the top', async ({ app }) => {
  await app.evaluate((d) => window.pipewright_debug!.loadDocument(d), doc);
  await app.waitForTimeout(200);
  await app.evaluate(() => window.pipewright_debug!.setViewport({ x: 60, y: 60, zoom: 1 }));
  await selectNode(app, 'sft');
  const body = app.locator('.inspector-body');
  await body.evaluate((el) => (el.scrollTop = el.scrollHeight));
  expect(await body.evaluate((el) => el.scrollTop)).toBeGreaterThan(100);
  await selectNode(app, 'cpt');
  await expect.poll(() => body.evaluate((el) => el.scrollTop)).toBe(0);
});
