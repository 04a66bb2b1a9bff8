/**
 * A past run with a 1,000,000-line log (written into the run history the way the back end writes it,
 * size cap included): the log view scrolls through it frame by frame holding a bounded window of lines,
 * shows where the cap dropped lines, and finds a line near the end through the whole-log search.
 */
import path from 'node:path';
import { NodeLogWriter } from '../../electron/services/runs/logWriter.ts';
import { RunHistory } from '../../electron/services/runs/history.ts';
import { nodeLogDir } from '../../electron/services/runs/logFiles.ts';
import { RUN_FORMAT } from '../../electron/services/runs/runFiles.ts';
import type { LogLine } from '../../shared/runs/types.ts';
import { expect, test } from './fixtures.ts';

const LINES = 1_000_000;
const NEEDLE = 900_000;

async function seedRun(dataDir: string): Promise<string> {
  const id = `20260101-000000-log${Math.random().toString(36).slice(2, 6)}`;
  const history = new RunHistory(path.join(dataDir, 'runs'));
  const document = {
    format: 'pipewright.pipeline/v2' as const,
    name: 'long-log',
    nodes: [{ id: 'train', type: 'python', position: { x: 0, y: 0 }, code: 'print(1)\n', interface: { inputs: [], outputs: [], parameters: [] } }],
    edges: [],
  };
  const dir = await history.create({
    format: RUN_FORMAT,
    id,
    pipelineName: 'long-log',
    target: 'local',
    phase: 'succeeded',
    createdAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T01:00:00.000Z',
    nodes: { train: { phase: 'succeeded', startedAt: '2026-01-01T00:00:00.000Z', finishedAt: '2026-01-01T01:00:00.000Z' } },
    document,
    compiled: {},
    request: { target: 'local' },
  });
  const writer = new NodeLogWriter(nodeLogDir(dir, 'train'));
  for (let start = 1; start <= LINES; start += 50_000) {
    const batch: LogLine[] = [];
    for (let seq = start; seq < start + 50_000 && seq <= LINES; seq++) {
      batch.push({ seq, ts: '2026-01-01T00:00:00.000Z', stream: 'stdout', text: seq === NEEDLE ? `step ${seq} needle found here` : `step ${seq} loss ${(3 - seq / LINES).toFixed(4)} tokens/s 2048` });
    }
    await writer.append(batch);
    await writer.flush();
  }
  return id;
}

test.setTimeout(180_000);

test('a million-line log scrolls smoothly with a bounded window, and search reaches its end', async ({ app }) => {
  const id = await seedRun(process.env.PIPEWRIGHT_E2E_DATADIR!);
  await app.getByRole('tab', { name: 'Runs' }).click();
  await app.getByRole('button', { name: 'Refresh' }).click();
  await app.locator(`.runs-table tr[data-run-id="${id}"]`).getByRole('button', { name: 'Open' }).click();

  const log = app.locator('.log-view');
  await expect(log).toHaveAttribute('data-total', String(LINES), { timeout: 20_000 });
  // It opens following: the last line is on screen.
  await expect(app.locator(`.log-row[data-seq="${LINES}"]`)).toContainText(`step ${LINES} loss`);

  // Scroll up through it, one frame per step, the way a wheel does.
  const frames = await app.evaluate(async () => {
    const el = document.querySelector<HTMLElement>('.log-scroller')!;
    const times: number[] = [];
    let last = performance.now();
    for (let i = 0; i < 150; i++) {
      el.scrollTop -= 4000;
      await new Promise((r) => requestAnimationFrame(r));
      const now = performance.now();
      times.push(now - last);
      last = now;
    }
    return times.sort((a, b) => a - b);
  });
  const p95 = frames[Math.floor(frames.length * 0.95)];
  console.log(`log scroll: p50 ${frames[75].toFixed(1)} ms, p95 ${p95.toFixed(1)} ms per frame`);
  expect(p95).toBeLessThan(100);
  await expect(log).toHaveAttribute('data-following', 'false');

  // Lines under the view arrive, and the held window stays bounded (24 pages of 1,000 lines).
  await expect(app.locator('.log-row').nth(30)).toContainText(/step \d+ loss|dropped/, { timeout: 10_000 });
  expect(Number(await log.getAttribute('data-held'))).toBeLessThanOrEqual(24_000);

  // Back to the top: the head was kept, the middle was dropped by the history's size cap.
  await app.evaluate(() => (document.querySelector<HTMLElement>('.log-scroller')!.scrollTop = 0));
  await expect(app.locator('.log-row[data-seq="1"]')).toContainText('step 1 loss');
  await app.evaluate(() => (document.querySelector<HTMLElement>('.log-scroller')!.scrollTop = 18 * 100_000));
  await expect(app.locator('.log-row.dropped').first()).toBeVisible();

  await app.locator('.log-search').fill('needle');
  await app.locator('.log-search').press('Enter');
  await expect(app.locator(`.log-row.match[data-seq="${NEEDLE}"]`)).toContainText('needle found here', { timeout: 30_000 });
  await app.screenshot({ path: 'test-results/screenshots/run-log-million.png' });
  expect(Number(await log.getAttribute('data-held'))).toBeLessThanOrEqual(24_000);
});
