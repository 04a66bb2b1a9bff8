/**
 * A drag re-renders the dragged node and its edges, not the other thousand (issue 13 §8). Counted from React's
 * own commits (the DevTools hook React calls after each commit, installed before the app loads): a node, edge
 * or card counts as rendered in a commit when its element got new props, which only a render gives it. One
 * handler or prop object made anew on each canvas render (an inline arrow passed to React Flow) re-renders
 * every node wrapper on every frame; this test names them.
 */
import type { Page } from '@playwright/test';
import { largePipeline } from '../bench/canvasGraph.ts';
import { expect, test } from './fixtures.ts';
import { documentOf } from './helpers.ts';

declare global {
  interface Window {
    __renders?: { start(): void; stop(): { nodes: string[]; edges: string[]; cards: string[]; commits: number } };
  }
}

/** Installs the hook; `__renders.start()` marks what is there, `stop()` lists what rendered since, by id. */
function installRenderCounter(): void {
  type Fiber = { tag: number; memoizedProps: Record<string, unknown> | null; child: Fiber | null; sibling: Fiber | null };
  const seen = new WeakSet<object>();
  let root: { current: Fiber } | null = null;
  let counting = false;
  let commits = 0;
  const rendered = { nodes: new Set<string>(), edges: new Set<string>(), cards: new Set<string>() };
  const walk = (record: boolean) => {
    const stack: Fiber[] = root ? [root.current] : [];
    while (stack.length > 0) {
      const fiber = stack.pop()!;
      const props = fiber.memoizedProps;
      // Host elements (tag 5) get a new props object only when their component rendered.
      if (fiber.tag === 5 && props && typeof props.className === 'string' && !seen.has(props)) {
        seen.add(props);
        const cls = props.className;
        if (record) {
          if (/^react-flow__node( |$)/.test(cls)) rendered.nodes.add(String(props['data-id']));
          else if (/^react-flow__edge( |$)/.test(cls)) rendered.edges.add(String(props['data-id']));
          else if (/^node-card( |$)/.test(cls)) rendered.cards.add(String(props['data-node-id']));
        }
      }
      if (fiber.sibling) stack.push(fiber.sibling);
      if (fiber.child) stack.push(fiber.child);
    }
  };
  (window as unknown as { __REACT_DEVTOOLS_GLOBAL_HOOK__: unknown }).__REACT_DEVTOOLS_GLOBAL_HOOK__ = {
    isDisabled: false,
    supportsFiber: true,
    renderers: new Map(),
    inject: () => 1,
    checkDCE: () => undefined,
    onScheduleFiberRoot: () => undefined,
    onCommitFiberUnmount: () => undefined,
    onPostCommitFiberRoot: () => undefined,
    onCommitFiberRoot: (_id: number, fiberRoot: { current: Fiber }) => {
      root = fiberRoot;
      if (!counting) return;
      commits++;
      walk(true);
    },
  };
  window.__renders = {
    start: () => {
      walk(false);
      rendered.nodes.clear();
      rendered.edges.clear();
      rendered.cards.clear();
      commits = 0;
      counting = true;
    },
    stop: () => {
      counting = false;
      return { nodes: [...rendered.nodes].sort(), edges: [...rendered.edges].sort(), cards: [...rendered.cards].sort(), commits };
    },
  };
}

async function dragBy(page: Page, id: string, dx: number, moves: number): Promise<void> {
  const box = (await page.locator(`.react-flow__node[data-id="${id}"]`).boundingBox())!;
  const x = box.x + box.width / 2;
  const y = box.y + Math.min(12, box.height / 2);
  await page.mouse.move(x, y);
  await page.mouse.down();
  for (let i = 1; i <= moves; i++) await page.mouse.move(x + (dx * i) / moves, y + Math.sin(i) * 3);
  await page.mouse.up();
}

test('dragging a node with 1,000 in view re-renders that node, its card and its edges only; connections drawn as one picture follow it', async ({ app }) => {
  await app.addInitScript(installRenderCounter);
  await app.reload();
  await expect(app.locator('.react-flow__pane')).toBeVisible();
  const doc = largePipeline();
  await app.evaluate((d) => window.pipewright_debug!.loadDocument(d), doc);
  await expect(app.locator('.react-flow__node')).toHaveCount(1000);
  await expect(app.locator('.node-far.tiny')).toHaveCount(1000);
  await app.waitForTimeout(500);

  // Far out, the 1,200 connections are one picture (a path per port kind) rather than 1,200 React Flow edges.
  const curves = () =>
    app.evaluate(() => Object.fromEntries([...document.querySelectorAll('.edge-overview-path')].map((p) => [p.getAttribute('class')!.split(' ').pop()!, p.getAttribute('d')!])));
  const count = (c: Record<string, string>) => Object.values(c).join('').match(/M/g)?.length;
  await expect.poll(async () => count(await curves())).toBe(doc.edges.length);
  await expect(app.locator('.react-flow__edge')).toHaveCount(0);
  const curvesBefore = await curves();

  const id = 'prep-211';
  const own = doc.edges.filter((e) => e.source === id || e.target === id).map((e) => e.id);
  const before = doc.nodes.find((n) => n.id === id)!.position;
  await app.evaluate(() => window.__renders!.start());
  await dragBy(app, id, 40, 20);
  const renders = await app.evaluate(() => window.__renders!.stop());

  // The drag happened: the node moved in the document (one undo step at its end)...
  const after = (await documentOf(app)).nodes.find((n) => n.id === id)!.position;
  expect(after.x).toBeGreaterThan(before.x + 200);
  expect(renders.commits).toBeGreaterThanOrEqual(10);
  // ...and rendered only what it moved.
  expect(renders.nodes).toEqual([id]);
  expect(renders.cards).toEqual([id]);
  for (const e of renders.edges) expect(own, `edge ${e} rendered`).toContain(e);
  // The picture followed the node: its dataset connections changed, the model ones (not its) did not.
  const curvesAfter = await curves();
  expect(count(curvesAfter)).toBe(doc.edges.length);
  expect(Object.keys(curvesAfter).sort()).toEqual(['edge-kind-dataset', 'edge-kind-model']);
  expect(curvesAfter['edge-kind-dataset']).not.toEqual(curvesBefore['edge-kind-dataset']);
  expect(curvesAfter['edge-kind-model']).toEqual(curvesBefore['edge-kind-model']);

  // At a working zoom React Flow draws the connections again, and the picture is gone.
  await app.evaluate(() => window.pipewright_debug!.setViewport({ x: 0, y: 0, zoom: 1 }));
  await expect(app.locator('.edge-overview')).toHaveCount(0);
  await expect(app.locator('.react-flow__edge').first()).toBeVisible();
});
