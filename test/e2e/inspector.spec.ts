import { expect, test } from './fixtures.ts';
import { connect, documentOf } from './helpers.ts';

test('GPUs and learning rate are set from the inspector (scientific notation accepted)', async ({ app }) => {
  await app.locator('.palette-item[data-node-type="cpt"]').dblclick();
  const inspector = app.getByRole('complementary', { name: 'Inspector' });
  for (const label of ['GPUs', 'CPU', 'Memory', 'Learning rate', 'Epochs', 'Retries']) {
    await expect(inspector.getByLabel(label, { exact: true })).toBeVisible();
  }
  await inspector.getByLabel('GPUs', { exact: true }).fill('8');
  await inspector.getByLabel('Learning rate', { exact: true }).fill('2e-5');
  await inspector.getByLabel('Learning rate', { exact: true }).press('Tab');
  await expect.poll(async () => (await documentOf(app)).nodes[0]).toMatchObject({ resources: { gpus: 8 }, params: { learning_rate: 2e-5 } });
  await expect(app.locator('.react-flow__node[data-id="cpt"]')).toContainText('8 GPUs');
  await expect(app.locator('.react-flow__node[data-id="cpt"]')).toContainText('2e-5');

  // Text that is not a number never reaches the document.
  await inspector.getByLabel('Learning rate', { exact: true }).fill('fast');
  await expect(inspector.getByText('“fast” is not a number')).toBeVisible();
  expect((await documentOf(app)).nodes[0].params?.learning_rate).toBe(2e-5);

  // Memory is checked as a Kubernetes quantity.
  await inspector.getByLabel('Memory', { exact: true }).fill('lots');
  await expect(inspector.getByText('“lots” is not a Kubernetes quantity')).toBeVisible();
});

test('a validation error appears on the node and in Problems, and goes when fixed', async ({ app }) => {
  await app.locator('.palette-item[data-node-type="dataset"]').dblclick();
  const problems = app.getByRole('list', { name: 'Problems' });
  await expect(problems.getByText('Parameter uri of node "dataset" is required')).toBeVisible();
  await expect(app.locator('.react-flow__node[data-id="dataset"] .node-badge.error')).toHaveText('1');

  // Clicking the problem selects the node and focuses the field.
  await app.getByRole('complementary', { name: 'Inspector' }).getByLabel('Label').click();
  await problems.getByText('Parameter uri of node "dataset" is required').click();
  const uri = app.getByRole('complementary', { name: 'Inspector' }).getByLabel('URI', { exact: true });
  await expect(uri).toBeFocused();
  await uri.fill('sample://ko_corpus.jsonl');
  await expect(problems.getByText('Parameter uri of node "dataset" is required')).toHaveCount(0);
  await expect(app.locator('.react-flow__node[data-id="dataset"] .node-badge')).toHaveCount(0);

  // A GPU count below zero is an error from the validator, shown on the field.
  await app.locator('.palette-item[data-node-type="eval"]').dblclick();
  const gpus = app.getByRole('complementary', { name: 'Inspector' }).getByLabel('GPUs', { exact: true });
  await gpus.fill('-1');
  await expect(gpus).toHaveAttribute('aria-invalid', 'true');
  await expect(app.getByRole('list', { name: 'Problems' })).toContainText('gpus of node "eval" is -1');
  await gpus.fill('1');
  await expect(gpus).toHaveAttribute('aria-invalid', 'false');
  await expect(app.getByRole('list', { name: 'Problems' })).not.toContainText('gpus of node "eval"');
});

test('Run and Export are blocked with a summary while errors exist', async ({ app }) => {
  await app.locator('.palette-item[data-node-type="dataset"]').dblclick();
  await app.getByRole('button', { name: 'Run', exact: true }).click();
  const dialog = app.getByRole('dialog', { name: 'Cannot run yet' });
  await expect(dialog).toContainText('The pipeline has 1 error');
  await dialog.getByRole('button', { name: 'Show problems' }).click();
  await app.getByRole('button', { name: 'Export…' }).first().click();
  await expect(app.getByRole('dialog', { name: 'Cannot export yet' })).toBeVisible();
});

test('the KFP output follows the document', async ({ app }) => {
  await app.locator('.palette-item[data-node-type="dataset"]').dblclick();
  await app.getByRole('complementary', { name: 'Inspector' }).getByLabel('URI', { exact: true }).fill('sample://ko_corpus.jsonl');
  await app.locator('.palette-item[data-node-type="preprocess"]').dblclick();
  await connect(app, ['dataset', 'dataset'], ['preprocess', 'dataset']);
  await expect.poll(() => app.evaluate(() => window.pipewright_debug!.problems())).toEqual([]);
  await app.getByRole('tab', { name: 'Output' }).click();
  await app.getByRole('tab', { name: 'KFP' }).click();
  await expect.poll(() => app.evaluate(() => window.pipewright_debug!.outputText())).toContain('schemaVersion: "2.1.0"');
  const minChars = app.getByRole('complementary', { name: 'Inspector' }).getByLabel('Minimum characters', { exact: true });
  await minChars.fill('4321');
  await expect.poll(() => app.evaluate(() => window.pipewright_debug!.outputText())).toContain('4321');
  // What the user sees: the editor (or its plain fallback) shows the compiled YAML.
  await expect(app.getByTestId('output-body')).toContainText('pipelineInfo');
  await app.getByRole('tab', { name: 'Argo' }).click();
  await expect.poll(() => app.evaluate(() => window.pipewright_debug!.outputText())).toContain('kind: Workflow');
});
