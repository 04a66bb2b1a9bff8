/** Bad values in a number field are named where they are typed and never put back silently; the inspector starts at its top for another node. */
import type { PipelineDocument } from '../../shared/pipeline/types.ts';
import { expect, test } from './fixtures.ts';
import { documentOf, selectNode } from './helpers.ts';

const doc: PipelineDocument = {
  format: 'pipewright.pipeline/v2',
  name: 'field-rule',
  nodes: [
    { id: 'sft', type: 'sft', position: { x: 0, y: 0 }, resources: { gpus: 2 } },
    { id: 'cpt', type: 'cpt', position: { x: 320, y: 0 } },
  ],
  edges: [],
};

test('abc and 1.5 in the GPU field are named inline and not saved; -2 is named inline and in Problems; a good value is saved', async ({ app }) => {
  await app.evaluate((d) => window.pipewright_debug!.loadDocument(d), doc);
  await app.waitForTimeout(200);
  await app.evaluate(() => window.pipewright_debug!.setViewport({ x: 60, y: 60, zoom: 1 }));
  await selectNode(app, 'sft');
  const inspector = app.getByRole('complementary', { name: 'Inspector' });
  const gpus = inspector.getByLabel('GPUs', { exact: true });
  const saved = async () => (await documentOf(app)).nodes.find((n) => n.id === 'sft')!.resources?.gpus;
  for (const [text, message] of [
    ['abc', '“abc” is not a number'],
    ['1.5', 'Enter a whole number.'],
  ]) {
    await gpus.fill(text);
    await gpus.blur();
    await expect(inspector.locator('.field-message.error').first()).toContainText(message);
    // Neither saved nor put back behind the user's back: the text stays, the document keeps 2.
    await expect(gpus).toHaveValue(text);
    expect(await saved()).toBe(2);
  }
  await gpus.fill('-2');
  await expect(gpus).toHaveAttribute('aria-invalid', 'true');
  await expect(app.getByRole('list', { name: 'Problems' })).toContainText('gpus of node "sft" is -2');
  await gpus.fill('3');
  await expect.poll(saved).toBe(3);
  await expect(gpus).toHaveAttribute('aria-invalid', 'false');
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
