/**
 * What the canvas bench and the drag profiler (canvasProfile.ts) share: the frame probe and the drag's path,
 * so both measure the same thing.
 */
import type { Page } from '@playwright/test';

/** Per pointer move: from the event to just after the frame that shows it (input, React, layout, paint), into window.__frames. */
export async function installFrameProbe(page: Page): Promise<void> {
  // Page-side code as text: the bench runs through tsx, whose name helpers do not exist in the page.
  await page.evaluate(`(() => {
    window.__frames = [];
    window.addEventListener('pointermove', () => {
      const start = performance.now();
      requestAnimationFrame(() => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => window.__frames.push(performance.now() - start);
        channel.port2.postMessage(null);
      });
    }, { capture: true });
  })()`);
}

/** Where a drag of node `id` grabs it: near its top-left corner, inside the card. */
export async function grabPoint(page: Page, id: string): Promise<{ x: number; y: number }> {
  const box = await page.locator(`.react-flow__node[data-id="${id}"]`).boundingBox();
  if (!box) throw new Error(`node ${id} is not on screen`);
  return { x: box.x + Math.min(40, box.width / 2), y: box.y + Math.min(12, box.height / 2) };
}

/**
 * The pointer's `i`-th of `moves` positions from (x, y): out and back (0..120 px right, ±10 px), so each round
 * ends where it began, never near the pane's edge, where React Flow would start panning (a drag that pans
 * measures re-rendering what scrolls in, not the drag). Halfway (i = moves / 2) it is 120 px out.
 */
export function outAndBack(x: number, y: number, i: number, moves: number): { x: number; y: number } {
  return { x: x + 60 * (1 - Math.cos((i / moves) * 2 * Math.PI)), y: y + Math.sin((i / moves) * 6 * Math.PI) * 10 };
}
