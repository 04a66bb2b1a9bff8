/** Watching a run from the UI: when each node card first shows a phase, the run panel, its charts. */
import type { Page } from '@playwright/test';
import { expect } from '@playwright/test';
import { documentOf, nodeCard } from './helpers.ts';

declare global {
  interface Window {
    /** node id -> phase -> ms (performance.now) the card first showed it. */
    __phaseSeen?: Record<string, Record<string, number>>;
  }
}

/** Starts noting, every 50 ms, the first time each node card shows each phase. */
export async function recordPhases(page: Page): Promise<void> {
  await page.evaluate(() => {
    const seen: Record<string, Record<string, number>> = {};
    window.__phaseSeen = seen;
    setInterval(() => {
      for (const el of document.querySelectorAll<HTMLElement>('.react-flow__node')) {
        const id = el.dataset.id!;
        const phase = el.querySelector<HTMLElement>('.node-run')?.dataset.phase;
        if (!phase) continue;
        seen[id] ??= {};
        seen[id][phase] ??= performance.now();
      }
    }, 50);
  });
}

export async function phasesSeen(page: Page): Promise<Record<string, Record<string, number>>> {
  return page.evaluate(() => window.__phaseSeen ?? {});
}

export async function newFromTemplate(page: Page, title: RegExp, nodes: number): Promise<void> {
  await page.keyboard.press('Control+n');
  await page.getByRole('button', { name: title }).click();
  await expect.poll(async () => (await documentOf(page)).nodes.length).toBe(nodes);
}

export function phaseOf(page: Page, nodeId: string) {
  return nodeCard(page, nodeId).locator('.node-run');
}

/** Shows this node's log and charts in the run panel (the panel's step list, as a person would). */
export async function showNodeInPanel(page: Page, nodeId: string): Promise<void> {
  await page.locator(`.run-nodes li[data-node-id="${nodeId}"]`).click();
  await expect(page.locator(`.run-nodes li[data-node-id="${nodeId}"]`)).toHaveAttribute('aria-selected', 'true');
}

export async function chartPoints(page: Page, chart: string): Promise<number> {
  const el = page.locator(`.metrics-pane [data-chart="${chart}"]`);
  if ((await el.count()) === 0) return 0;
  return Number(await el.getAttribute('data-points'));
}

export async function logTotal(page: Page): Promise<number> {
  return Number(await page.locator('.log-view').getAttribute('data-total'));
}

/** Makes the bottom panel taller by dragging its top edge. */
export async function growPanel(page: Page, byPx: number): Promise<void> {
  const edge = await page.locator('.panel-resizer').boundingBox();
  if (!edge) throw new Error('the panel resizer is not on screen');
  await page.mouse.move(edge.x + edge.width / 2, edge.y + edge.height / 2);
  await page.mouse.down();
  await page.mouse.move(edge.x + edge.width / 2, edge.y - byPx, { steps: 6 });
  await page.mouse.up();
}

/** Switches the UI to Korean as a person would: Settings, Language, Escape. */
export async function switchToKorean(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  await page.getByLabel('Language', { exact: true }).selectOption('ko');
  await page.keyboard.press('Escape');
}

/** In the Korean UI: opens a run written to the history by the test (the list refreshed first) in the run panel. */
export async function openRecordedRunKo(page: Page, runId: string): Promise<void> {
  await page.getByRole('tab', { name: '실행 기록', exact: true }).click();
  await page.getByRole('button', { name: '새로 고침' }).click();
  await page.locator(`.runs-table tr[data-run-id="${runId}"]`).getByRole('button', { name: '열기' }).click();
  await expect(page.locator('.run-panel')).toHaveAttribute('data-run-id', runId);
}

/** In the Korean UI: the run panel's run tab (clicking the tab already shown would fold the panel away). */
export async function showRunTabKo(page: Page): Promise<void> {
  const runTab = page.getByRole('tab', { name: '실행', exact: true });
  if ((await runTab.getAttribute('aria-selected')) !== 'true') await runTab.click();
}
