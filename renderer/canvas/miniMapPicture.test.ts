import { describe, expect, it } from 'vitest';
import type { MiniMapNode } from './miniMapPicture.ts';
import { MiniMapPictureCache, miniMapViewBox } from './miniMapPicture.ts';

type N = MiniMapNode & { category: string };
const node = (id: string, x: number, y: number, category = 'cat-data', width = 230, height = 100): N => ({ id, position: { x, y }, measured: { width, height }, category });
const none = new Set<string>();

describe('minimap picture', () => {
  it('draws each measured node as a rectangle in its category’s path and bounds them all', () => {
    const cache = new MiniMapPictureCache<N>((n) => n.category);
    const unmeasured: N = { id: 'u', position: { x: 5000, y: 5000 }, category: 'cat-data' };
    const p = cache.picture([node('a', 0, 0), node('b', 300, -50, 'cat-training', 230, 140), node('c', 600, 200), unmeasured], none);
    expect(p.still.get('cat-data')).toBe('M0,0h230v100h-230zM600,200h230v100h-230z');
    expect(p.still.get('cat-training')).toBe('M300,-50h230v140h-230z');
    expect(p.moving.size).toBe(0);
    expect(p.bounds).toEqual({ x: 0, y: -50, width: 830, height: 350 });
    expect(cache.picture([], none).bounds).toBeNull();
  });

  it('a dragged node is drawn apart; the others stay the very same string, frame after frame', () => {
    const cache = new MiniMapPictureCache<N>((n) => n.category);
    const a = node('a', 0, 0);
    const c = node('c', 600, 200);
    const first = cache.picture([a, node('b', 300, 0), c], new Set(['b']));
    expect(first.still.get('cat-data')).toBe('M0,0h230v100h-230zM600,200h230v100h-230z');
    expect(first.moving.get('cat-data')).toBe('M300,0h230v100h-230z');
    const second = cache.picture([a, node('b', 900, 400), c], new Set(['b']));
    expect(second.still).toBe(first.still);
    expect(second.moving.get('cat-data')).toBe('M900,400h230v100h-230z');
    // The dragged node takes the bounds with it.
    expect(second.bounds).toEqual({ x: 0, y: 0, width: 1130, height: 500 });
    // Dropped: one picture with it in its new place.
    const after = cache.picture([a, node('b', 900, 400), c], none);
    expect(after.moving.size).toBe(0);
    expect(after.still.get('cat-data')).toContain('M900,400h230v100h-230z');
    // A node changed outside a drag (a new object) redraws the picture.
    const changed = cache.picture([a, node('b', 900, 400), node('c', 0, 600)], none);
    expect(changed.still.get('cat-data')).toContain('M0,600h230');
  });

  it('fits nodes and the visible area into the element as React Flow’s MiniMap does', () => {
    // Nodes 0..1000 x 0..500, the view 200..600 x 100..300: the nodes set the box; 1000/160 = 6.25 > 500/110.
    const box = miniMapViewBox({ x: 0, y: 0, width: 1000, height: 500 }, { x: 200, y: 100, width: 400, height: 200 }, 160, 110);
    expect(box.scale).toBe(6.25);
    expect(box.width).toBeCloseTo(1000 + 2 * 5 * 6.25);
    expect(box.height).toBeCloseTo(6.25 * 110 + 2 * 5 * 6.25);
    expect(box.x).toBeCloseTo(-31.25);
    expect(box.y).toBeCloseTo(-(6.25 * 110 - 500) / 2 - 31.25);
    // A view beyond the nodes widens the box; no nodes: the view alone.
    expect(miniMapViewBox({ x: 0, y: 0, width: 1000, height: 500 }, { x: -2000, y: 0, width: 400, height: 200 }, 160, 110).scale).toBe(3000 / 160);
    expect(miniMapViewBox(null, { x: 10, y: 20, width: 1600, height: 100 }, 160, 110).scale).toBe(10);
  });
});
