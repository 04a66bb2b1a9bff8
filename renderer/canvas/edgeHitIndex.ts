/**
 * Which far-out connection is under the pointer. EdgeOverview draws the connections as one picture, which has
 * no per-edge element to click; this answers from the curves it drew. Built lazily (on a click or hover, never
 * during a drag) from the curves' path data, with each curve's box in a grid so a query reads a few curves.
 */

/** One cubic bezier as `getBezierPath` writes it: `M x0,y0 C x1,y1 x2,y2 x3,y3`. */
type Bezier = [number, number, number, number, number, number, number, number];

interface Entry {
  id: string;
  curve: Bezier;
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

/** Grid cell side in flow units: a few cards wide, so a curve spans few cells and a query reads one to four. */
const CELL = 512;

export function parseBezier(d: string): Bezier | null {
  const numbers = d.match(/-?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?/gi);
  if (!d.startsWith('M') || !numbers || numbers.length !== 8) return null;
  const values = numbers.map(Number);
  return values.every(Number.isFinite) ? (values as Bezier) : null;
}

function pointAt(c: Bezier, t: number): [number, number] {
  const u = 1 - t;
  const a = u * u * u;
  const b = 3 * u * u * t;
  const m = 3 * u * t * t;
  const e = t * t * t;
  return [a * c[0] + b * c[2] + m * c[4] + e * c[6], a * c[1] + b * c[3] + m * c[5] + e * c[7]];
}

function segmentDistance(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const length2 = dx * dx + dy * dy;
  const t = length2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / length2));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

/**
 * Distance from a point to the curve, within `tolerance`: the curve as a polyline of pieces no longer than
 * the tolerance (a piece's chord strays from the curve by far less than its length), so the answer is off by a
 * small part of the tolerance at most.
 */
export function distanceToBezier(c: Bezier, x: number, y: number, tolerance: number): number {
  // The control polygon's length bounds the curve's.
  const length = Math.hypot(c[2] - c[0], c[3] - c[1]) + Math.hypot(c[4] - c[2], c[5] - c[3]) + Math.hypot(c[6] - c[4], c[7] - c[5]);
  const pieces = Math.max(8, Math.min(512, Math.ceil(length / Math.max(tolerance, 1e-6))));
  let best = Infinity;
  let [ax, ay] = [c[0], c[1]];
  for (let i = 1; i <= pieces; i++) {
    const [bx, by] = pointAt(c, i / pieces);
    best = Math.min(best, segmentDistance(x, y, ax, ay, bx, by));
    ax = bx;
    ay = by;
  }
  return best;
}

const cellOf = (v: number) => Math.floor(v / CELL);

/** The curves of one picture (edge id -> path data), indexed by where they lie. */
export class EdgeHitIndex {
  private cells = new Map<string, Entry[]>();

  constructor(curves: Iterable<readonly [string, string]>) {
    for (const [id, d] of curves) {
      const curve = parseBezier(d);
      if (!curve) continue;
      // A bezier lies inside the box of its control points.
      const entry: Entry = {
        id,
        curve,
        minX: Math.min(curve[0], curve[2], curve[4], curve[6]),
        minY: Math.min(curve[1], curve[3], curve[5], curve[7]),
        maxX: Math.max(curve[0], curve[2], curve[4], curve[6]),
        maxY: Math.max(curve[1], curve[3], curve[5], curve[7]),
      };
      for (let cx = cellOf(entry.minX); cx <= cellOf(entry.maxX); cx++) {
        for (let cy = cellOf(entry.minY); cy <= cellOf(entry.maxY); cy++) {
          const key = `${cx},${cy}`;
          const list = this.cells.get(key);
          if (list) list.push(entry);
          else this.cells.set(key, [entry]);
        }
      }
    }
  }

  /** The id of the curve nearest to (x, y) in flow units, if one passes within `radius`. */
  nearest(x: number, y: number, radius: number): string | null {
    let best: string | null = null;
    let bestDistance = radius;
    const seen = new Set<Entry>();
    for (let cx = cellOf(x - radius); cx <= cellOf(x + radius); cx++) {
      for (let cy = cellOf(y - radius); cy <= cellOf(y + radius); cy++) {
        for (const entry of this.cells.get(`${cx},${cy}`) ?? []) {
          if (seen.has(entry)) continue;
          seen.add(entry);
          if (x < entry.minX - radius || x > entry.maxX + radius || y < entry.minY - radius || y > entry.maxY + radius) continue;
          const distance = distanceToBezier(entry.curve, x, y, radius / 4);
          if (distance <= bestDistance) {
            bestDistance = distance;
            best = entry.id;
          }
        }
      }
    }
    return best;
  }
}
