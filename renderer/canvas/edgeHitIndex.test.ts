import { getBezierPath, Position } from '@xyflow/react';
import { describe, expect, it } from 'vitest';
import { distanceToBezier, EdgeHitIndex, parseBezier } from './edgeHitIndex.ts';

/** A connection as React Flow and EdgeOverview draw it: output on the right of (x0, y0), input on the left of (x1, y1). */
const curve = (x0: number, y0: number, x1: number, y1: number) =>
  getBezierPath({ sourceX: x0, sourceY: y0, sourcePosition: Position.Right, targetX: x1, targetY: y1, targetPosition: Position.Left })[0];

/** The point of the curve at t, from its own path data. */
function at(d: string, t: number): [number, number] {
  const c = parseBezier(d)!;
  const u = 1 - t;
  const w = [u * u * u, 3 * u * u * t, 3 * u * t * t, t * t * t];
  return [w[0] * c[0] + w[1] * c[2] + w[2] * c[4] + w[3] * c[6], w[0] * c[1] + w[1] * c[3] + w[2] * c[5] + w[3] * c[7]];
}

/** Seeded, so a failure repeats. */
function random(seed: number) {
  return () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

describe('edge hit testing', () => {
  it('reads getBezierPath’s path data, forwards and backwards connections alike', () => {
    expect(parseBezier(curve(0, 0, 400, 100))).toEqual([0, 0, 200, 0, 200, 100, 400, 100]);
    const back = parseBezier(curve(500, 50.5, -20, 300))!;
    expect(back.slice(0, 2)).toEqual([500, 50.5]);
    expect(back.slice(6)).toEqual([-20, 300]);
    expect(back[2]).toBeGreaterThan(500); // leaves to the right even when the target is to the left
    expect(parseBezier('M0,0 L10,10')).toBeNull();
  });

  it('measures the distance to the curve, not to its chord or control points', () => {
    const c = parseBezier(curve(0, 0, 400, 200))!;
    for (const t of [0, 0.1, 0.37, 0.5, 0.9, 1]) {
      const [x, y] = at(curve(0, 0, 400, 200), t);
      expect(distanceToBezier(c, x, y, 2)).toBeLessThan(0.5);
    }
    // The chord's middle is the curve's middle here, but a quarter along the chord is well off the S-shaped curve.
    expect(distanceToBezier(c, 100, 50, 2)).toBeGreaterThan(20);
    // 30 units straight below the start, where the curve leaves horizontally.
    expect(distanceToBezier(c, 0, 30, 1)).toBeCloseTo(30, 0);
  });

  it('answers the nearest connection within the radius, or none', () => {
    const index = new EdgeHitIndex([
      ['upper', curve(0, 0, 1000, 0)],
      ['lower', curve(0, 40, 1000, 40)],
    ]);
    expect(index.nearest(500, 8, 15)).toBe('upper');
    expect(index.nearest(500, 31, 15)).toBe('lower');
    expect(index.nearest(500, 20, 15)).toBeNull();
    expect(index.nearest(500, -16, 15)).toBeNull();
    expect(index.nearest(1200, 0, 15)).toBeNull();
  });

  it('finds a long connection from any grid cell it crosses', () => {
    const d = curve(-3000, -2000, 4000, 2500);
    const index = new EdgeHitIndex([['long', d]]);
    for (let t = 0; t <= 1; t += 0.05) {
      const [x, y] = at(d, t);
      expect(index.nearest(x + 3, y - 3, 10), `t=${t}`).toBe('long');
    }
  });

  it('agrees with testing every curve, on a dense random picture', () => {
    const next = random(7);
    const curves: [string, string][] = [];
    for (let i = 0; i < 150; i++) curves.push([`e${i}`, curve(next() * 8000, next() * 5000, next() * 8000, next() * 5000)]);
    const index = new EdgeHitIndex(curves);
    const parsed = curves.map(([id, d]) => [id, parseBezier(d)!] as const);
    let hits = 0;
    for (let k = 0; k < 200; k++) {
      const x = next() * 8000;
      const y = next() * 5000;
      const radius = 80;
      const distances = parsed.map(([id, c]) => [id, distanceToBezier(c, x, y, radius / 4)] as const).filter(([, dist]) => dist <= radius);
      distances.sort((a, b) => a[1] - b[1]);
      const found = index.nearest(x, y, radius);
      if (distances.length === 0) expect(found).toBeNull();
      else {
        hits++;
        expect(found).toBe(distances[0][0]);
      }
    }
    expect(hits).toBeGreaterThan(40);
  });
});
