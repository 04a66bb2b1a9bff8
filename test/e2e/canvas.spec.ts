import { TEMPLATES } from '../../node-catalog/templates/index.ts';
import { expect, test } from './fixtures.ts';
import { collapseBottomPanel, connect, documentOf, dragFromPalette, drawTemplateShape, nodeCard, TEMPLATE_EDGES } from './helpers.ts';

const TYPES: [string, string][] = [
  ['dataset', 'Dataset'],
  ['preprocess', 'Preprocess'],
  ['cpt', 'Continued pretraining (CPT)'],
  ['sft', 'Supervised fine-tuning (SFT)'],
  ['eval', 'Evaluate'],
  ['deploy', 'Deploy'],
  ['python', 'Python step'],
];

test('each of the seven node types can be dragged from the palette onto the canvas', async ({ app }) => {
  await collapseBottomPanel(app);
  for (const [i, [type, title]] of TYPES.entries()) {
    await expect(app.locator(`.palette-item[data-node-type="${type}"]`)).toContainText(title);
    await dragFromPalette(app, type, 140 + (i % 3) * 260, 80 + Math.floor(i / 3) * 240);
    await expect(nodeCard(app, type).locator('.node-title')).toHaveText(title);
  }
  const doc = await documentOf(app);
  expect(doc.nodes.map((n) => n.type)).toEqual(TYPES.map(([t]) => t));
});

test('double-click and Enter on a palette entry add a node too', async ({ app }) => {
  await app.locator('.palette-item[data-node-type="eval"]').dblclick();
  await app.locator('.palette-item[data-node-type="deploy"]').focus();
  await app.keyboard.press('Enter');
  await expect.poll(async () => (await documentOf(app)).nodes.map((n) => n.type)).toEqual(['eval', 'deploy']);
});

test('the template shape can be wired; refused connections say why', async ({ app }) => {
  await drawTemplateShape(app);
  const doc = await documentOf(app);
  expect(doc.edges.map((e) => `${e.source}.${e.sourceHandle}>${e.target}.${e.targetHandle}`)).toEqual(
    TEMPLATE_EDGES.map(([a, b]) => `${a[0]}.${a[1]}>${b[0]}.${b[1]}`),
  );
  // The same shape as the shipped template: its edges, with node ids read as types.
  const typeOf = (d: typeof doc, id: string) => d.nodes.find((n) => n.id === id)!.type;
  const shape = (d: typeof doc) => d.edges.map((e) => `${typeOf(d, e.source)}.${e.sourceHandle}>${typeOf(d, e.target)}.${e.targetHandle}`).sort();
  expect(shape(doc)).toEqual(shape(TEMPLATES[0].document));

  // A model output into a dataset input: unequal kinds.
  await connect(app, ['cpt', 'model'], ['eval', 'dataset']);
  await expect(app.getByTestId('status-message')).toContainText('Cannot connect: a model output only fits a model input');
  // A second source into an input that already has one.
  await connect(app, ['dataset', 'dataset'], ['cpt', 'dataset']);
  await expect(app.getByTestId('status-message')).toContainText('already receives from “preprocess”');
  await connect(app, ['dataset-2', 'dataset'], ['eval', 'dataset']);
  await expect(app.getByTestId('status-message')).toContainText('input “dataset” of “eval” already receives from “dataset-3”');
  expect((await documentOf(app)).edges).toHaveLength(TEMPLATE_EDGES.length);
  await app.screenshot({ path: 'test-results/screenshots/wired.png' });
});

test('a connection that would make a cycle is refused with its reason', async ({ app }) => {
  await collapseBottomPanel(app);
  await dragFromPalette(app, 'python', 140, 80);
  await dragFromPalette(app, 'python', 500, 80);
  await connect(app, ['python', 'result'], ['python-2', 'data']);
  await expect.poll(async () => (await documentOf(app)).edges.length).toBe(1);
  await connect(app, ['python-2', 'result'], ['python', 'data']);
  await expect(app.getByTestId('status-message')).toContainText('would make a cycle');
  expect((await documentOf(app)).edges).toHaveLength(1);
});

test('New from the template loads it, valid and ready to run', async ({ app }) => {
  await app.keyboard.press('Control+n');
  await app.getByRole('button', { name: /Korean LLM: preprocess → CPT → SFT → eval → deploy/ }).click();
  await expect.poll(async () => (await documentOf(app)).nodes.length).toBe(TEMPLATES[0].document.nodes.length);
  await expect.poll(() => app.evaluate(() => window.pipewright_debug!.problems().filter((p) => p.severity === 'error'))).toEqual([]);
  await expect(app.locator('.react-flow__edge')).toHaveCount(TEMPLATES[0].document.edges.length);
  await app.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(app.getByRole('dialog', { name: /Run “korean-llm/ })).toBeVisible();
  await expect(app.getByRole('radio', { name: /This machine/ })).toBeChecked();
  await expect(app.getByRole('radio', { name: /Kubeflow Pipelines/ })).toBeVisible();
  await expect(app.getByRole('radio', { name: /Argo Workflows/ })).toBeVisible();
});
