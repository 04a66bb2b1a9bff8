/**
 * Fixed-height row virtualization for logs: O(rows on screen) memory whatever the line count. Past
 * `maxPx` of content the scroll range is compressed (one scroll pixel covers several), since browsers
 * cap element heights; within the view rows still move pixel by pixel.
 */
export interface RowGeometry {
  total: number;
  rowPx: number;
  viewportPx: number;
  /** Tallest scroll content used (px). */
  maxPx?: number;
}

export const DEFAULT_MAX_PX = 8_000_000;

export interface RowRange {
  /** 0-based indexes, inclusive; last < first when there is nothing. */
  first: number;
  last: number;
  /** The content height to give the scroll container. */
  heightPx: number;
  /** Where row `first` is drawn, in content px. */
  firstTopPx: number;
}

function scaleOf(g: RowGeometry): { heightPx: number; ratio: number } {
  const real = g.total * g.rowPx;
  const max = g.maxPx ?? DEFAULT_MAX_PX;
  if (real <= max) return { heightPx: real, ratio: 1 };
  const span = Math.max(1, max - g.viewportPx);
  return { heightPx: max, ratio: (real - g.viewportPx) / span };
}

/** Rows to draw at `scrollTop`, with `overscan` extra on each side. */
export function visibleRows(g: RowGeometry, scrollTop: number, overscan = 10): RowRange {
  const { heightPx, ratio } = scaleOf(g);
  if (g.total === 0) return { first: 0, last: -1, heightPx: 0, firstTopPx: 0 };
  const top = Math.max(0, Math.min(scrollTop, Math.max(0, heightPx - g.viewportPx)));
  const virtualTop = top * ratio;
  // The epsilon absorbs float error of the compressed mapping (a row exactly at the top stays first).
  const firstVisible = Math.floor(virtualTop / g.rowPx + 1e-6);
  const first = Math.max(0, firstVisible - overscan);
  const last = Math.min(g.total - 1, Math.ceil((virtualTop + g.viewportPx) / g.rowPx) + overscan);
  // In content coordinates: the view's top stays at `top`; rows sit where their virtual offset puts them.
  const firstTopPx = top + (first * g.rowPx - virtualTop);
  return { first, last, heightPx, firstTopPx };
}

/** The scrollTop that shows row `index` at the start, the centre or the end of the view. */
export function scrollTopFor(g: RowGeometry, index: number, align: 'start' | 'center' | 'end'): number {
  const { heightPx, ratio } = scaleOf(g);
  const rowTop = index * g.rowPx;
  const virtualTop = align === 'start' ? rowTop : align === 'end' ? rowTop + g.rowPx - g.viewportPx : rowTop + g.rowPx / 2 - g.viewportPx / 2;
  return Math.max(0, Math.min(Math.max(0, heightPx - g.viewportPx), virtualTop / ratio));
}
