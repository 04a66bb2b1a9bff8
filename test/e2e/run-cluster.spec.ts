/**
 * A cluster run from the UI against the Kubernetes API emulator: a browser-mode server whose KUBECONFIG
 * points at it, the emulator context chosen and tested in the Run dialog, Run on Argo Workflows. Nodes
 * turn running then green, the CPT log streams, its loss chart grows, a restart of the API server shows
 * "disconnected — retrying" and is caught up, a scheduling hint shows on eval.
 */
import type { APIRequestContext } from '@playwright/test';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startKubeEmulator } from '../kube-emulator/index.ts';
import type { KubeEmulator } from '../kube-emulator/index.ts';
import { expect, openApp, test } from './fixtures.ts';
import { startBrowserMode } from './globalSetup.ts';
import { nodeCard } from './helpers.ts';
import { chartPoints, growPanel, logTotal, newFromTemplate, phaseOf, phasesSeen, recordPhases, showNodeInPanel } from './run-helpers.ts';
import { fillField } from './helpers/fillField.ts';

// Wide enough that the whole template is readable beside the run panel (the README screenshot).
test.use({ viewport: { width: 1920, height: 1080 }, colorScheme: 'light' });
test.setTimeout(240_000);
const BROWSER_ONLY = 'drives browser mode with its own back end (KUBECONFIG on the emulator), not the desktop app';

let emulator: KubeEmulator | undefined;
let server: { url: string; stop(): void } | undefined;
let base = '';

test.beforeAll(async ({ browserName }, testInfo) => {
  if (testInfo.project.name === 'electron' || browserName !== 'chromium') return;
  // Real time (scale 1): a training step logs for ~13 s, long enough to watch it grow.
  emulator = await startKubeEmulator({ timeScale: 1, bookmarkIntervalMs: 500 });
  emulator.controller.setStepBehavior({ step: 'cpt' }, { lineIntervalMs: 150 });
  emulator.controller.setStepBehavior({ step: 'eval' }, { unschedulableMs: 5000 });
  // As a cluster admin would: the workflows' service accounts (Argo's default/default, KFP's kubeflow/pipeline-runner) may deploy to inference.
  emulator.controller.grant('system:serviceaccount:default:default', { namespace: 'inference' });
  emulator.controller.grant('system:serviceaccount:kubeflow:pipeline-runner', { namespace: 'inference' });
  base = mkdtempSync(path.join(tmpdir(), 'pipewright-e2e-cluster-'));
  mkdirSync(path.join(base, 'data'));
  mkdirSync(path.join(base, 'home'));
  server = await startBrowserMode(path.join(base, 'data'), path.join(base, 'home'), { env: { KUBECONFIG: emulator.kubeconfigPath } });
});

test.afterAll(async () => {
  server?.stop();
  await emulator?.close();
  await new Promise((resolve) => setTimeout(resolve, 300));
  if (base) rmSync(base, { recursive: true, force: true });
});

test('Argo Workflows on the emulator: running then green, a streaming log, a growing loss chart, a hint', async ({ page }, testInfo) => {
  test.skip(testInfo.project.name === 'electron', BROWSER_ONLY);
  await openApp(page, server!.url);
  await newFromTemplate(page, /Korean LLM \(smoke\)/, 9);
  await recordPhases(page);

  await page.locator('[data-action="run.start"]').click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('radio', { name: /Argo Workflows/ }).check();
  await expect(dialog.getByLabel('Kubeconfig context')).toHaveValue('pipewright-emulator');
  await fillField(dialog.getByLabel('Namespace', { exact: true }), 'default');
  await dialog.getByRole('button', { name: 'Test connection' }).click();
  const check = dialog.getByTestId('connection-check');
  await expect(check).toContainText('The cluster answers');
  await expect(check).toContainText(/Kubernetes API\s*✓ v1\.\d+/);
  await expect(check).toContainText(/Argo Workflows installed\s*✓ yes/);
  await expect(check).toContainText(/Allowed to create workflows\s*✓ yes/);
  await expect(dialog.getByTestId('preflight')).toContainText('The cluster can run this pipeline now (namespace default)');
  await page.screenshot({ path: 'test-results/screenshots/run-cluster-dialog.png' });
  await dialog.getByLabel('Namespace').press('Enter');
  await expect(dialog).toBeHidden();

  const header = page.locator('.run-panel .run-header');
  await expect(header).toContainText('Argo Workflows · pipewright-emulator / default');
  await growPanel(page, 140);

  // CPT runs: its log streams in and its loss chart grows while it trains.
  await expect(phaseOf(page, 'cpt')).toHaveAttribute('data-phase', 'running', { timeout: 60_000 });
  await showNodeInPanel(page, 'cpt');
  await expect.poll(() => logTotal(page), { timeout: 30_000 }).toBeGreaterThan(5);
  const linesBefore = await logTotal(page);
  await expect.poll(() => logTotal(page), { timeout: 30_000 }).toBeGreaterThan(linesBefore + 10);
  await expect.poll(() => chartPoints(page, 'loss'), { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
  const pointsBefore = await chartPoints(page, 'loss');
  await expect.poll(() => chartPoints(page, 'loss'), { timeout: 30_000 }).toBeGreaterThan(pointsBefore + 2);
  await expect(nodeCard(page, 'cpt').locator('.node-engine')).toHaveText('emulator');
  await expect(page.locator('.log-row').last()).toBeVisible();
  await page.screenshot({ path: 'test-results/screenshots/run-cluster-in-progress.png' });

  // The API server goes away for a few seconds: the run says so, keeps its state, and catches up.
  const restart = emulator!.faults.restart({ downMs: 4000 });
  await expect(page.getByTestId('run-disconnected')).toBeVisible({ timeout: 15_000 });
  await expect(page.locator('.run-disconnected')).toContainText('Disconnected from the cluster');
  await page.screenshot({ path: 'test-results/screenshots/run-cluster-disconnected.png' });
  await restart;
  await expect(page.getByTestId('run-disconnected')).toBeHidden({ timeout: 30_000 });

  // eval waits for a node first: the card says why, then it runs.
  await expect(nodeCard(page, 'eval').locator('.node-hint')).toContainText('Unschedulable', { timeout: 90_000 });
  await expect(phaseOf(page, 'deploy')).toHaveAttribute('data-phase', 'succeeded', { timeout: 120_000 });
  await expect(header).toHaveAttribute('data-phase', 'succeeded', { timeout: 30_000 });
  const seen = await phasesSeen(page);
  for (const id of ['cpt', 'sft', 'eval']) expect(seen[id].running, `${id} ran before it succeeded`).toBeLessThan(seen[id].succeeded);
  // Both can land in one rendered frame, so equal times are in order too.
  expect(seen.cpt.succeeded).toBeLessThanOrEqual(seen.sft.running);
  await expect(nodeCard(page, 'eval').locator('.node-hint')).toHaveCount(0);

  await showNodeInPanel(page, 'cpt');
  await expect.poll(() => chartPoints(page, 'loss')).toBe(20);
  // Not a line lost or repeated across the restart: the log has exactly what the pod wrote.
  const podLines = emulator!.controller.list('pods', 'default').filter((p) => p.metadata?.name?.includes('cpt'));
  expect(podLines.length).toBeGreaterThan(0);
  const written = emulator!.controller.logLines('default', podLines[0].metadata!.name!).length;
  await expect.poll(() => logTotal(page)).toBe(written);
  await page.locator('[data-action="view.fitView"]').click();
  await page.waitForTimeout(400);
  await page.screenshot({ path: 'test-results/screenshots/run-cluster-finished.png' });
});

test('Kubeflow Pipelines on the emulator (through the service proxy): the pipeline runs to green with its loss chart', async ({ page }, testInfo) => {
  test.skip(testInfo.project.name === 'electron', BROWSER_ONLY);
  emulator!.controller.clearStepBehaviors();
  emulator!.controller.timeScale = 0.3;
  await openApp(page, server!.url);
  await newFromTemplate(page, /Korean LLM \(smoke\)/, 9);

  await page.locator('[data-action="run.start"]').click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('radio', { name: /Kubeflow Pipelines/ }).check();
  await expect(dialog.getByLabel('Kubeconfig context')).toHaveValue('pipewright-emulator');
  await fillField(dialog.getByLabel('Namespace', { exact: true }), 'kubeflow');
  // A direct URL must be a URL: the dialog says so and Run waits.
  await dialog.getByLabel('Connection', { exact: true }).selectOption('session');
  await dialog.getByLabel('Kubeflow URL').fill('kubeflow.example.com');
  await expect(dialog.getByRole('alert')).toContainText('The KFP URL must start with http:// or https://');
  await expect(dialog.getByTestId('run-start')).toBeDisabled();
  // The cookie is given by reference: a variable name, checked as one.
  await dialog.getByLabel('Variable with the session cookie').fill('my cookie');
  await expect(dialog.getByRole('alert')).toContainText('“my cookie” is not an environment variable name');
  await dialog.getByLabel('Connection', { exact: true }).selectOption('service-account');
  await expect(dialog.getByLabel('Service account')).toHaveAttribute('placeholder', 'default-editor');
  await dialog.getByLabel('Connection', { exact: true }).selectOption('proxy');
  await expect(dialog.getByTestId('kfp-connection-help')).toContainText('A multi-user Kubeflow refuses this way in');
  await dialog.getByRole('button', { name: 'Test connection' }).click();
  await expect(dialog.getByTestId('connection-check')).toContainText(/Kubeflow Pipelines API reachable\s*✓ yes/);
  // The experiment: the server's list is offered; a new name is created when the run starts.
  await expect(dialog.getByTestId('kfp-experiment-note')).toContainText(/\d+ experiments on the server/);
  await dialog.getByLabel('Experiment', { exact: true }).fill('ko-tuning');
  await expect(dialog.getByTestId('kfp-experiment-note')).toHaveText('New experiment “ko-tuning”: created when the run starts');
  await dialog.getByTestId('run-start').click();
  await expect(dialog).toBeHidden();

  await expect(page.locator('.run-panel .run-header')).toContainText('Kubeflow Pipelines · pipewright-emulator / kubeflow');
  await expect(phaseOf(page, 'deploy')).toHaveAttribute('data-phase', 'succeeded', { timeout: 120_000 });
  for (const id of ['corpus', 'preprocess', 'cpt', 'sft', 'eval']) await expect(phaseOf(page, id)).toHaveAttribute('data-phase', 'succeeded');
  await showNodeInPanel(page, 'cpt');
  await expect.poll(() => chartPoints(page, 'loss')).toBe(20);
  await expect.poll(() => logTotal(page)).toBeGreaterThan(20);
  await showNodeInPanel(page, 'eval');
  await expect(page.locator('.final-metrics [data-metric="accuracy"]')).toContainText('0.62');
  await page.screenshot({ path: 'test-results/screenshots/run-kfp-finished.png' });
});

/** Calls this file's own back end (set-up only). */
async function serverRpc(request: APIRequestContext, method: string, args: unknown[]): Promise<void> {
  const url = new URL(server!.url);
  const response = await request.post(new URL('/api/rpc', url.origin).toString(), {
    headers: { 'Content-Type': 'application/json', Connection: 'close', 'X-Pipewright-Token': url.searchParams.get('token')! },
    data: { method, args },
  });
  expect(((await response.json()) as { ok: boolean }).ok).toBe(true);
}

test('Cancel stops an Argo run on the emulator; Retry runs it again', async ({ page, request }, testInfo) => {
  test.skip(testInfo.project.name === 'electron', BROWSER_ONLY);
  await serverRpc(request, 'rememberRunContext', ['korean-llm-smoke', { target: 'kfp', context: 'pipewright-emulator', namespace: 'kubeflow' }]);
  emulator!.controller.clearStepBehaviors();
  emulator!.controller.timeScale = 1;
  emulator!.controller.setStepBehavior({ step: 'cpt' }, { lineIntervalMs: 300 });
  await openApp(page, server!.url);
  await newFromTemplate(page, /Korean LLM \(smoke\)/, 9);
  await page.locator('[data-action="run.start"]').click();
  const dialog = page.getByRole('dialog');
  // The dialog remembers this pipeline's last cluster choice.
  await expect(dialog.getByRole('radio', { name: /Kubeflow Pipelines/ })).toBeChecked();
  await expect(dialog.getByText('Last used for this pipeline.')).toBeVisible();
  await dialog.getByRole('radio', { name: /Argo Workflows/ }).check();
  await fillField(dialog.getByLabel('Namespace', { exact: true }), 'default');
  await dialog.getByTestId('run-start').click();

  const header = page.locator('.run-panel .run-header');
  await expect(phaseOf(page, 'cpt')).toHaveAttribute('data-phase', 'running', { timeout: 60_000 });
  await header.getByRole('button', { name: 'Cancel run' }).click();
  await expect(header).toHaveAttribute('data-phase', /cancelled|failed/, { timeout: 30_000 });
  await expect(phaseOf(page, 'sft')).not.toHaveAttribute('data-phase', /running|succeeded/);
  // The panel shows the step that was at work when the run stopped, with its log.
  await expect(page.locator('.run-nodes li[aria-selected="true"]')).toHaveAttribute('data-node-id', 'cpt');
  await expect.poll(() => logTotal(page)).toBeGreaterThan(0);
  await page.screenshot({ path: 'test-results/screenshots/run-cluster-cancelled.png' });

  emulator!.controller.clearStepBehaviors();
  emulator!.controller.timeScale = 0.3;
  await header.getByRole('button', { name: 'Retry' }).click();
  await expect(header).toHaveAttribute('data-phase', /pending|running/, { timeout: 30_000 });
  await expect(header).toHaveAttribute('data-phase', 'succeeded', { timeout: 120_000 });
  await expect(phaseOf(page, 'deploy')).toHaveAttribute('data-phase', 'succeeded');
});
