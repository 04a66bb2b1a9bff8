/**
 * The GPU estimate as a user meets it, in Korean at 1440×900: the fit badge on each GPU step's card (GiB on hover),
 * the inspector's estimate (memory per GPU against the product, where it goes, tokens, time, GPU-hours, cost) and
 * the knobs that make a step fit, applied with one click and undone with Ctrl+Z; the run dialog's times and costs
 * before Run; prices per GPU-hour in Settings changing those costs; a running step's time left from its progress lines.
 */
import template from '../../node-catalog/templates/korean-llm.pipewright.json' with { type: 'json' };
import type { PipelineDocument } from '../../shared/pipeline/types.ts';
import { expect, rpc, test } from './fixtures.ts';
import { documentOf, nodeCard, selectNode } from './helpers.ts';
import { phaseOf } from './run-helpers.ts';

/** The Korean LLM template on bundled samples, its CPT in bf16 on a 40 GB A100: without checkpointing it cannot fit. */
function demo(cptFits = false): PipelineDocument {
  const doc = structuredClone(template) as unknown as PipelineDocument;
  doc.name = 'estimate-demo';
  const samples: Record<string, string> = { corpus: 'ko_corpus.jsonl', instructions: 'ko_instructions.jsonl', 'test-set': 'ko_test.jsonl' };
  for (const n of doc.nodes) {
    if (samples[n.id]) n.params = { ...n.params, uri: `sample://${samples[n.id]}` };
    if (n.id === 'cpt') {
      n.params = { ...n.params, base_model: 'Qwen2.5-7B', load_in_4bit: false, gradient_checkpointing: cptFits, max_steps: 2000 };
      n.resources = { ...n.resources, gpus: 1, gpuProduct: 'NVIDIA-A100-SXM4-40GB' };
    }
    if (n.id === 'ko-bench') n.params = { ...n.params, max_samples: 200 };
  }
  return doc;
}

const cptParam = async (app: Parameters<typeof documentOf>[0], name: string) => (await documentOf(app)).nodes.find((n) => n.id === 'cpt')!.params?.[name];

test.afterEach(async ({ request }) => {
  await rpc(request, 'updateSettings', [{ language: 'system', gpuPrices: {}, defaultGpuProduct: 'NVIDIA-A100-SXM4-80GB' }]);
});

test('fit badges, the inspector estimate and a knob applied and undone, the run dialog costs, in Korean', async ({ app, request }) => {
  await rpc(request, 'updateSettings', [{ language: 'ko' }]);
  await app.evaluate((doc) => window.pipewright_debug!.loadDocument(doc), demo());
  // Zoomed out the cards show their GPUs and the fit mark only; zoomed in, the badge with its figures.
  await expect(nodeCard(app, 'cpt').locator('.node-far-figure.fit-no-fit')).toHaveText('GPU 1개 ✕');
  await app.waitForTimeout(200);
  await app.evaluate(() => window.pipewright_debug!.setViewport({ x: 0, y: 0, zoom: 1 }));

  // Cards: the CPT does not fit its 40 GB A100 (an error), the 4-bit SFT fits its H100s.
  const cptBadge = nodeCard(app, 'cpt').locator('.fit-badge');
  await expect(cptBadge).toHaveAttribute('data-verdict', 'no-fit');
  await expect(cptBadge).toHaveText('GPU 1개 · ✕ 안 맞음');
  await expect(cptBadge).toHaveAttribute('title', 'GPU당 76.0 GiB 필요, NVIDIA-A100-SXM4-40GB의 40.0 GiB보다 많음');
  await expect(nodeCard(app, 'sft').locator('.fit-badge .fit-text')).toHaveText('✓ 맞음');
  await expect(nodeCard(app, 'sft').locator('.fit-badge')).toHaveAttribute('title', /^GPU당 25\.3 GiB \/ 79\.6 GiB, NVIDIA-H100-80GB-HBM3 \(68 % 여유\)$/);
  await expect(nodeCard(app, 'preprocess').locator('.fit-badge')).toHaveCount(0);
  await expect.poll(() => app.evaluate(() => window.pipewright_debug!.problems())).toContainEqual({ severity: 'error', code: 'gpu-memory-exceeded', nodeId: 'cpt' });

  // The inspector: memory against the product, where it goes, the work, and what would make it fit.
  await selectNode(app, 'cpt');
  const section = app.getByTestId('estimate-section');
  await section.scrollIntoViewIfNeeded();
  await expect(section.getByRole('heading', { name: 'GPU 추정' })).toBeVisible();
  await expect(section.getByTestId('estimate-fit')).toContainText('76.0 GiB / 40.0 GiB, NVIDIA-A100-SXM4-40GB');
  await expect(section.getByTestId('estimate-fit')).toContainText('안 맞음');
  const terms = section.getByTestId('estimate-terms');
  await expect(terms.locator('[data-term]')).toHaveCount(7);
  await expect(terms.locator('[data-term="activations"]')).toContainText('활성값');
  await expect(terms.locator('[data-term="context"] dd')).toHaveText('0.7 GiB');
  const time = section.getByTestId('estimate-time');
  await expect(time.locator('[data-field="tokens"]')).toContainText('max_steps와 배치에서');
  await expect(time.locator('[data-field="hours"] dd')).toHaveText(/시간|분/);
  await expect(time.locator('[data-field="cost"] dd')).toHaveText(/US\$\d/);
  const fixes = section.getByTestId('estimate-fixes');
  await expect(fixes.getByRole('heading', { name: '메모리에 맞추는 방법' })).toBeVisible();
  await expect(fixes.locator('li[data-kind="gradient_checkpointing"]')).toContainText('그래디언트 체크포인팅 켜기');
  await expect(fixes.locator('li[data-kind="gradient_checkpointing"]')).toContainText('34.5 GiB');
  await expect(fixes.locator('li[data-kind="product"]')).toContainText('NVIDIA-H100-NVL에서 실행');
  await fixes.scrollIntoViewIfNeeded();
  await app.screenshot({ path: 'test-results/screenshots/estimate-inspector-ko.png' });

  // Apply gradient checkpointing: the step now fits, the error is gone; one Ctrl+Z brings it all back.
  await fixes.locator('li[data-kind="gradient_checkpointing"]').getByRole('button', { name: '적용' }).click();
  await expect.poll(() => cptParam(app, 'gradient_checkpointing')).toBe(true);
  await expect(cptBadge).toHaveAttribute('data-verdict', 'fits');
  await expect(section.getByTestId('estimate-fit')).toContainText('34.5 GiB / 40.0 GiB');
  await expect(app.getByTestId('estimate-fixes')).toHaveCount(0);
  await expect.poll(() => app.evaluate(() => window.pipewright_debug!.problems().filter((p) => p.code === 'gpu-memory-exceeded'))).toEqual([]);
  await app.locator('.react-flow__pane').click({ position: { x: 300, y: 420 } });
  await app.keyboard.press('Control+z');
  await expect.poll(() => cptParam(app, 'gradient_checkpointing')).toBe(false);
  await expect(cptBadge).toHaveAttribute('data-verdict', 'no-fit');

  // Shorter sequences, applied and undone the same way.
  await selectNode(app, 'cpt');
  await app.getByTestId('estimate-fixes').locator('li[data-kind="sequence"]').getByRole('button', { name: '적용' }).click();
  await expect.poll(() => cptParam(app, 'max_seq_length')).toBe(1024);
  await expect(cptBadge).toHaveAttribute('data-verdict', /fits|tight/);
  await app.locator('.react-flow__pane').click({ position: { x: 300, y: 420 } });
  await app.keyboard.press('Control+z');
  await expect.poll(() => cptParam(app, 'max_seq_length')).toBe(4096);
  await expect(cptBadge).toHaveAttribute('data-verdict', 'no-fit');
  await expect.poll(() => app.evaluate(() => window.pipewright_debug!.problems().map((p) => p.code))).toContain('gpu-memory-exceeded');
  // Close enough to read the cards.
  const at = (await documentOf(app)).nodes.find((n) => n.id === 'cpt')!.position;
  await app.evaluate((p) => window.pipewright_debug!.setViewport({ x: 300 - 1.35 * p.x, y: 200 - 1.35 * p.y, zoom: 1.35 }), at);
  await cptBadge.hover();
  await app.screenshot({ path: 'test-results/screenshots/estimate-cards-ko.png' });
  await nodeCard(app, 'cpt').screenshot({ path: 'test-results/screenshots/estimate-card-ko-closeup.png' });

  // A step that cannot fit is an error: Run waits until it fits (checkpointing applied again).
  await selectNode(app, 'cpt');
  await app.getByTestId('estimate-fixes').locator('li[data-kind="gradient_checkpointing"]').getByRole('button', { name: '적용' }).click();
  await expect(cptBadge).toHaveAttribute('data-verdict', 'fits');

  // The run dialog, before Run: each GPU step and the pipeline's critical path, with the list prices.
  await app.locator('[data-action="run.start"]').click();
  const table = app.getByRole('dialog').getByTestId('run-estimate');
  await expect(table.getByRole('heading', { name: 'GPU 추정' })).toBeVisible();
  await expect(table.locator('tbody tr')).toHaveCount(4);
  await expect(table.locator('tr[data-node-id="cpt"]')).toHaveAttribute('data-verdict', 'fits');
  await expect(table.locator('tr[data-node-id="sft"] td.product')).toHaveText('NVIDIA-H100-80GB-HBM3');
  const total = table.getByTestId('run-estimate-total');
  await expect(total).toContainText('파이프라인 (임계 경로)');
  await expect(total.locator('[data-field="cost"]')).toHaveText(/^US\$\d+\.\d\d$/);
  await expect(table).toContainText('비용은 설정의 GPU 시간당 가격으로 계산합니다.');
  await app.screenshot({ path: 'test-results/screenshots/estimate-run-dialog-ko.png' });

  // The figures are the CLI's (`pipewright estimate --json`, same settings): compare the run dialog's sft cost with the store's estimate.
  const sftCost = await table.locator('tr[data-node-id="sft"] [data-field="cost"]').textContent();
  const gpuHours = Number(await table.locator('tr[data-node-id="sft"] [data-field="gpuHours"]').textContent());
  expect(Number(sftCost!.replace(/[^\d.]/g, ''))).toBeCloseTo(gpuHours * 3.5, 1);
  await app.keyboard.press('Escape');
});

test('prices per GPU-hour and the default product in Settings change the costs', async ({ app, request }) => {
  await app.evaluate((doc) => window.pipewright_debug!.loadDocument(doc), demo(true));
  await app.getByRole('button', { name: 'Settings', exact: true }).click();
  const settings = app.getByRole('dialog');
  await expect(settings.getByRole('heading', { name: 'GPU estimate' })).toBeVisible();
  const h100 = settings.getByLabel('Price per GPU-hour of NVIDIA-H100-80GB-HBM3');
  await expect(h100).toHaveAttribute('placeholder', '3.50');
  await h100.fill('10');
  await h100.press('Tab');
  await expect.poll(async () => ((await rpc(request, 'getSettings')) as { gpuPrices: Record<string, number> }).gpuPrices).toEqual({ 'NVIDIA-H100-80GB-HBM3': 10 });
  // A negative price is refused, named, and not saved.
  await h100.fill('-1');
  await h100.press('Tab');
  await expect(settings.getByRole('alert')).toHaveText('NVIDIA-H100-80GB-HBM3: enter a price of 0 or more.');
  await h100.fill('10');
  await h100.press('Tab');
  await expect(settings.getByRole('alert')).toHaveCount(0);
  await settings.getByLabel('Default GPU product').selectOption('NVIDIA-L40S');
  await expect.poll(async () => ((await rpc(request, 'getSettings')) as { defaultGpuProduct: string }).defaultGpuProduct).toBe('NVIDIA-L40S');
  await app.keyboard.press('Escape');

  await app.locator('[data-action="run.start"]').click();
  const table = app.getByRole('dialog').getByTestId('run-estimate');
  const row = table.locator('tr[data-node-id="sft"]');
  const gpuHours = Number(await row.locator('[data-field="gpuHours"]').textContent());
  await expect(row.locator('[data-field="cost"]')).toHaveText(`$${(Math.round(gpuHours * 10 * 100) / 100).toFixed(2)}`);
  await app.keyboard.press('Escape');

  // A step that names no product is judged against the default.
  const doc = demo(true);
  delete doc.nodes.find((n) => n.id === 'sft')!.resources!.gpuProduct;
  await app.evaluate((d) => window.pipewright_debug!.loadDocument(d), doc);
  // After the load's own fit view (zoomed out, far cards), zoom in to see the badge.
  await expect(nodeCard(app, 'sft').locator('.node-far')).toBeVisible();
  await app.waitForTimeout(200);
  await app.evaluate(() => window.pipewright_debug!.setViewport({ x: 0, y: 0, zoom: 1 }));
  await expect(nodeCard(app, 'sft').locator('.fit-badge')).toHaveAttribute('title', /NVIDIA-L40S/);

  // The same settings in Korean.
  await rpc(request, 'updateSettings', [{ language: 'ko' }]);
  await app.getByRole('button', { name: '설정', exact: true }).click();
  const ko = app.getByRole('dialog');
  await expect(ko.getByRole('heading', { name: 'GPU 추정' })).toBeVisible();
  await expect(ko.getByLabel('기본 GPU 제품')).toHaveValue('NVIDIA-L40S');
  await expect(ko.getByLabel('NVIDIA-H100-80GB-HBM3의 GPU 시간당 가격')).toHaveValue('10');
  await ko.getByTestId('gpu-prices').scrollIntoViewIfNeeded();
  await app.screenshot({ path: 'test-results/screenshots/estimate-settings-ko.png' });
  await app.keyboard.press('Escape');
});

test("a running step shows its time left from its progress lines, and the run header the pipeline's, in Korean", async ({ app, request }) => {
  await rpc(request, 'updateSettings', [{ language: 'ko' }]);
  // A scripted step: a finished loading bar, then 30 one-second training steps: the first ten as step/max_steps
  // progress lines (no rate, no remaining time: the pace is worked out), the rest as tqdm writes them.
  const code = [
    'import json, sys, time',
    'print("Loading checkpoint shards: 100%|##########| 4/4 [00:01<00:00,  3.10it/s]", file=sys.stderr, flush=True)',
    'for i in range(1, 31):',
    '    time.sleep(1)',
    '    left = 30 - i',
    '    if i <= 10:',
    '        print("PIPEWRIGHT_PROGRESS " + json.dumps({"current": i, "total": 30, "label": "train"}), flush=True)',
    '    else:',
    '        print(f"train: {i * 100 // 30:3d}%|#####     | {i}/30 [00:{i:02d}<00:{left:02d},  1.00it/s]", file=sys.stderr, flush=True)',
    '',
  ].join('\n');
  const doc: PipelineDocument = {
    format: 'pipewright.pipeline/v2',
    name: 'eta-demo',
    nodes: [{ id: 'train', type: 'python', label: 'Train', position: { x: 0, y: 80 }, code, interface: { inputs: [], outputs: [], parameters: [] }, cache: false }],
    edges: [],
  };
  await app.evaluate((d) => window.pipewright_debug!.loadDocument(d), doc);
  await app.locator('[data-action="run.start"]').click();
  const dialog = app.getByRole('dialog');
  await dialog.getByRole('radio', { name: /이 컴퓨터/ }).check();
  await dialog.getByTestId('run-start').click();
  await expect(dialog).toBeHidden();

  await expect(phaseOf(app, 'train')).toHaveAttribute('data-phase', 'running', { timeout: 60_000 });
  const eta = nodeCard(app, 'train').getByTestId('node-eta');
  const seconds = async () =>
    Number(
      (await eta.textContent())!
        .match(/^(?:(\d+)분 )?(\d+)초 남음$/)!
        .slice(1)
        .reduce((s, v, i) => s + (i === 0 ? 60 : 1) * Number(v ?? 0), 0),
    );
  // The step/max_steps part: a time left from the pace, not the loading bar's 0.
  await expect(eta).toHaveText(/^(\d+분 )?\d+초 남음$/, { timeout: 30_000 });
  expect(await seconds()).toBeGreaterThan(0);
  // The tqdm part: its own remaining time, counting down.
  const pct = nodeCard(app, 'train').getByRole('progressbar');
  await expect.poll(async () => Number(await pct.getAttribute('aria-valuenow')), { timeout: 30_000 }).toBeGreaterThanOrEqual(40);
  const first = await seconds();
  expect(first).toBeGreaterThan(0);
  expect(first).toBeLessThan(30);
  await expect.poll(seconds, { timeout: 10_000 }).toBeLessThan(first);
  const header = app.getByTestId('run-time-left');
  await expect(header).toHaveText(/^약 \d+초 남음$/);
  await app.screenshot({ path: 'test-results/screenshots/estimate-eta-ko.png' });
  await expect(phaseOf(app, 'train')).toHaveAttribute('data-phase', 'succeeded', { timeout: 60_000 });
  await expect(eta).toHaveCount(0);
  await expect(header).toHaveCount(0);
});
