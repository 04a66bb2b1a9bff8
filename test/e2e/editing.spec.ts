import { expect, test } from './fixtures.ts';
import { connect, documentOf, nodeCard, selectNode } from './helpers.ts';

const ids = async (page: Parameters<typeof documentOf>[0]) => (await documentOf(page)).nodes.map((n) => n.id);

test('undo and redo: a whole drag is one step, UI state is not recorded', async ({ app }) => {
  await app.locator('.palette-item[data-node-type="dataset"]').dblclick();
  await app.locator('.palette-item[data-node-type="preprocess"]').dblclick();
  await expect.poll(() => ids(app)).toEqual(['dataset', 'preprocess']);
  const start = (await documentOf(app)).nodes[1].position;

  // Drag the preprocess card in many small moves.
  const box = (await nodeCard(app, 'preprocess').locator('.node-title').boundingBox())!;
  await app.mouse.move(box.x + 20, box.y + 5);
  await app.mouse.down();
  for (let i = 1; i <= 10; i++) await app.mouse.move(box.x + 20 + i * 12, box.y + 5 + i * 6);
  await app.mouse.up();
  const moved = (await documentOf(app)).nodes[1].position;
  expect(moved).not.toEqual(start);

  // Selecting is not an undo step.
  await selectNode(app, 'dataset');
  await app.locator('.react-flow__pane').click({ position: { x: 20, y: 20 } });

  await app.keyboard.press('Control+z');
  await expect.poll(async () => (await documentOf(app)).nodes[1]?.position).toEqual(start);
  await app.keyboard.press('Control+z');
  await expect.poll(() => ids(app)).toEqual(['dataset']);
  await app.keyboard.press('Control+Shift+z');
  await expect.poll(() => ids(app)).toEqual(['dataset', 'preprocess']);
  await app.keyboard.press('Control+y');
  await expect.poll(async () => (await documentOf(app)).nodes[1].position).toEqual(moved);
  // The toolbar buttons do the same.
  await app.getByRole('button', { name: 'Undo' }).click();
  await expect.poll(async () => (await documentOf(app)).nodes[1].position).toEqual(start);
  await app.getByRole('button', { name: 'Redo' }).click();
  await expect.poll(async () => (await documentOf(app)).nodes[1].position).toEqual(moved);
});

test('duplicate, copy/paste through the clipboard, delete, and select all', async ({ app }) => {
  await app.locator('.palette-item[data-node-type="cpt"]').dblclick();
  await selectNode(app, 'cpt');
  await app.keyboard.press('Control+d');
  await expect.poll(() => ids(app)).toEqual(['cpt', 'cpt-2']);
  await selectNode(app, 'cpt');
  await app.keyboard.press('Control+c');
  await expect(app.getByTestId('status-message')).toContainText('Copied 1 step');
  const text = await app.evaluate(() => navigator.clipboard.readText()).catch(() => null);
  if (text !== null) expect(JSON.parse(text).format).toBe('pipewright.clipboard/v1');
  await app.keyboard.press('Control+v');
  await expect.poll(() => ids(app)).toEqual(['cpt', 'cpt-2', 'cpt-3']);
  await app.keyboard.press('Delete');
  await expect.poll(() => ids(app)).toEqual(['cpt', 'cpt-2']);
  await app.keyboard.press('Control+a');
  await app.keyboard.press('Backspace');
  await expect.poll(() => ids(app)).toEqual([]);
  await app.keyboard.press('Control+z');
  await expect.poll(() => ids(app)).toEqual(['cpt', 'cpt-2']);
});

test('keyboard help lists every shortcut; automatic layout spreads the nodes', async ({ app }) => {
  await app.keyboard.press('F1');
  const help = app.getByRole('dialog', { name: 'Keyboard shortcuts' });
  for (const label of ['Undo', 'Redo', 'Copy', 'Paste', 'Duplicate', 'Delete', 'Save', 'Open…', 'New', 'Run']) {
    await expect(help.getByRole('cell', { name: label, exact: true })).toBeVisible();
  }
  await app.keyboard.press('Escape');
  await expect(help).toHaveCount(0);
  for (const type of ['dataset', 'preprocess', 'cpt']) await app.locator(`.palette-item[data-node-type="${type}"]`).dblclick();
  await app.keyboard.press('Control+Shift+l');
  // Unconnected steps go in a row, not one column.
  const placed = await documentOf(app).then((d) => d.nodes.map((n) => n.position));
  expect(new Set(placed.map((p) => p.x)).size).toBe(3);
  expect(new Set(placed.map((p) => p.y)).size).toBe(1);
});

test('a Python step: its code is edited in Monaco (Python), its ports in the inspector', async ({ app }) => {
  await app.locator('.palette-item[data-node-type="python"]').dblclick();
  const inspector = app.getByRole('complementary', { name: 'Inspector' });
  await inspector.getByRole('button', { name: /Edit code/ }).click();
  const host = app.locator('.code-pane .monaco-host[data-language="python"]');
  await expect(host.locator('.monaco-editor')).toBeVisible({ timeout: 20_000 });
  await host.locator('.view-lines').click();
  await app.keyboard.press('Control+End');
  await app.keyboard.type('\n# tuned by hand');
  await expect.poll(async () => (await documentOf(app)).nodes[0].code ?? '').toContain('# tuned by hand');
  // Python keywords are highlighted by Monaco's Python grammar.
  await expect(host.locator('.view-lines span[class*="mtk"]').first()).toBeVisible();

  await inspector.getByRole('button', { name: '+ Add port' }).first().click();
  await expect.poll(async () => (await documentOf(app)).nodes[0].interface?.inputs.map((p) => p.name)).toEqual(['data', 'in']);
  await expect(app.locator('.react-flow__handle.target[data-nodeid="python"][data-handleid="in"]')).toHaveCount(1);
});

test('a connection is selected by clicking it and removed with Delete', async ({ app }) => {
  await app.locator('.palette-item[data-node-type="dataset"]').dblclick();
  await app.locator('.palette-item[data-node-type="preprocess"]').dblclick();
  await connect(app, ['dataset', 'dataset'], ['preprocess', 'dataset']);
  await expect.poll(async () => (await documentOf(app)).edges.length).toBe(1);
  const path = app.locator('.react-flow__edge .react-flow__edge-interaction').first();
  const box = (await path.boundingBox())!;
  await app.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  await expect(app.locator('.react-flow__edge.selected')).toHaveCount(1);
  await app.keyboard.press('Delete');
  await expect.poll(async () => (await documentOf(app)).edges.length).toBe(0);
  await app.keyboard.press('Control+z');
  await expect.poll(async () => (await documentOf(app)).edges.length).toBe(1);
});
