/** While a connection is dragged, ports that would take it are ringed and the others dimmed; a refusal's message clears at the next action. */
import type { Page } from '@playwright/test';
import type { PipelineDocument } from '../../shared/pipeline/types.ts';
import { expect, rpc, test } from './fixtures.ts';
import { connect, handle, settledBox } from './helpers.ts';

const doc: PipelineDocument = {
  format: 'pipewright.pipeline/v2',
  name: 'connect-hints',
  nodes: [
    { id: 'data', type: 'dataset', position: { x: 0, y: 0 }, params: { uri: 's3://b/corpus/' } },
    { id: 'cpt', type: 'cpt', position: { x: 300, y: 0 } },
    { id: 'sft', type: 'sft', position: { x: 600, y: 0 } },
    { id: 'eval', type: 'eval', position: { x: 600, y: 260 } },
    { id: 'sft-2', type: 'sft', position: { x: 300, y: 260 } },
  ],
  edges: [
    { id: 'e1', source: 'data', sourceHandle: 'dataset', target: 'cpt', targetHandle: 'dataset' },
    { id: 'e2', source: 'cpt', sourceHandle: 'model', target: 'sft', targetHandle: 'model' },
  ],
};

const opacity = (page: Page, nodeId: string, port: string, side: 'source' | 'target') => handle(page, nodeId, port, side).evaluate((el) => Number(getComputedStyle(el).opacity));

async function startDrag(page: Page, from: [string, string]) {
  const a = (await settledBox(page, handle(page, from[0], from[1], 'source')))!;
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(a.x + 60, a.y + 120, { steps: 6 });
}

test('dragging from an output rings the inputs that take it and dims the rest', async ({ app, request }) => {
  await app.evaluate((d) => window.pipewright_debug!.loadDocument(d), doc);
  await app.evaluate(() => window.pipewright_debug!.setViewport({ x: 40, y: 60, zoom: 1 }));
  await expect(app.locator('.node-card.far')).toHaveCount(0);
  await startDrag(app, ['cpt', 'model']);
  await expect(app.getByTestId('connect-hints')).toHaveCount(1);
  // Free model inputs downstream-safe: eval's and the second SFT's.
  expect(await opacity(app, 'eval', 'model', 'target')).toBe(1);
  expect(await opacity(app, 'sft-2', 'model', 'target')).toBe(1);
  // Taken (sft.model), another kind (eval.dataset), the step itself (cpt.dataset): dimmed.
  for (const [node, port] of [
    ['sft', 'model'],
    ['eval', 'dataset'],
    ['cpt', 'dataset'],
    ['sft-2', 'dataset'],
  ] as const) {
    expect(await opacity(app, node, port, 'target'), `${node}.${port}`).toBeLessThan(0.5);
  }
  const ring = await handle(app, 'eval', 'model', 'target').evaluate((el) => getComputedStyle(el).boxShadow);
  expect(ring).not.toBe('none');
  await app.mouse.up();
  await expect(app.getByTestId('connect-hints')).toHaveCount(0);
  expect(await opacity(app, 'eval', 'dataset', 'target')).toBe(1);

  // From an input backwards: outputs of steps downstream of it would make a cycle.
  const b = (await handle(app, 'cpt', 'dataset', 'target').boundingBox())!;
  await app.mouse.move(b.x + b.width / 2, b.y + b.height / 2);
  await app.mouse.down();
  await app.mouse.move(b.x - 60, b.y + 150, { steps: 6 });
  await expect(app.getByTestId('connect-hints')).toHaveCount(1);
  // cpt's input already has a source: nothing may feed it.
  expect(await opacity(app, 'data', 'dataset', 'source')).toBeLessThan(0.5);
  await app.mouse.up();

  await rpc(request, 'updateSettings', [{ language: 'ko' }]);
  try {
    await expect(app.locator('html')).toHaveAttribute('lang', 'ko');
    await startDrag(app, ['cpt', 'model']);
    await expect(app.getByTestId('connect-hints')).toHaveCount(1);
    await app.screenshot({ path: 'test-results/screenshots/canvas-connect-hints-ko.png' });
    await app.mouse.up();
  } finally {
    await rpc(request, 'updateSettings', [{ language: 'system' }]);
  }
});

test('a refused connection says why, and the message goes at the next click or key', async ({ app }) => {
  await app.evaluate((d) => window.pipewright_debug!.loadDocument(d), doc);
  await app.evaluate(() => window.pipewright_debug!.setViewport({ x: 40, y: 60, zoom: 1 }));
  const status = app.getByTestId('status-message');
  await connect(app, ['cpt', 'model'], ['eval', 'dataset']);
  await expect(status).toContainText('Cannot connect: a model output only fits a model input');
  await app.locator('.react-flow__pane').click({ position: { x: 150, y: 450 } });
  await expect(status).toHaveText('');
  await connect(app, ['data', 'dataset'], ['cpt', 'dataset']);
  await expect(status).toContainText('already receives from');
  await app.keyboard.press('Shift');
  await expect(status).toHaveText('');
});
