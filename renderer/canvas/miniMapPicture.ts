/**
 * The minimap's nodes as one picture: one SVG path of rectangles per category, like the far-out connections
 * (edgeOverview.ts). React Flow's own minimap keeps one <rect> and one store subscription per node, and runs
 * a thousand selectors on every store update of a drag. Here the nodes not being dragged are one picture,
 * kept while they are the same objects; a drag frame redraws only the dragged nodes' small picture.
 */

export interface MiniMapNode {
  id: string;
  position: { x: number; y: number };
  measured?: { width?: number; height?: number };
}

export interface Bounds {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface MiniMapPicture {
  /** Category -> path data of the nodes that stay put. */
  still: Map<string, string>;
  /** Category -> path data of the nodes being dragged. */
  moving: Map<string, string>;
  /** Around every node drawn; null without one. */
  bounds: Bounds | null;
}

interface Box {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

function draw<N extends MiniMapNode>(nodes: readonly N[], category: (node: N) => string, box: Box): Map<string, string> {
  const parts = new Map<string, string[]>();
  for (const n of nodes) {
    const width = n.measured?.width;
    const height = n.measured?.height;
    // React Flow's minimap leaves out nodes it has no size for: so does this one.
    if (!width || !height) continue;
    const { x, y } = n.position;
    box.minX = Math.min(box.minX, x);
    box.minY = Math.min(box.minY, y);
    box.maxX = Math.max(box.maxX, x + width);
    box.maxY = Math.max(box.maxY, y + height);
    const key = category(n);
    const list = parts.get(key) ?? [];
    list.push(`M${x},${y}h${width}v${height}h${-width}z`);
    parts.set(key, list);
  }
  return new Map([...parts].map(([key, list]) => [key, list.join('')] as const));
}

const emptyBox = (): Box => ({ minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity });

export class MiniMapPictureCache<N extends MiniMapNode> {
  private still: { nodes: N[]; moving: string; paths: Map<string, string>; box: Box } | null = null;

  constructor(private readonly category: (node: N) => string) {}

  /** `moving`: the ids being dragged (their nodes are new objects on every frame). */
  picture(nodes: readonly N[], moving: ReadonlySet<string>): MiniMapPicture {
    const stillNodes: N[] = [];
    const movingNodes: N[] = [];
    for (const n of nodes) (moving.has(n.id) ? movingNodes : stillNodes).push(n);
    const movingKey = [...moving].sort().join('\n');
    const last = this.still;
    if (!last || last.moving !== movingKey || last.nodes.length !== stillNodes.length || last.nodes.some((n, i) => n !== stillNodes[i])) {
      const box = emptyBox();
      this.still = { nodes: stillNodes, moving: movingKey, paths: draw(stillNodes, this.category, box), box };
    }
    const still = this.still!;
    const box = { ...still.box };
    const movingPaths = draw(movingNodes, this.category, box);
    const bounds = box.minX <= box.maxX ? { x: box.minX, y: box.minY, width: box.maxX - box.minX, height: box.maxY - box.minY } : null;
    return { still: still.paths, moving: movingPaths, bounds };
  }
}

/**
 * The minimap's view box, as React Flow's MiniMap computes it: the nodes and the visible area, scaled to fit the
 * element with its aspect ratio kept, centred, with a margin of `offsetScale` minimap pixels.
 */
export function miniMapViewBox(nodes: Bounds | null, view: Bounds, elementWidth: number, elementHeight: number, offsetScale = 5): Bounds & { scale: number } {
  const minX = Math.min(view.x, nodes?.x ?? Infinity);
  const minY = Math.min(view.y, nodes?.y ?? Infinity);
  const maxX = Math.max(view.x + view.width, nodes ? nodes.x + nodes.width : -Infinity);
  const maxY = Math.max(view.y + view.height, nodes ? nodes.y + nodes.height : -Infinity);
  const width = maxX - minX;
  const height = maxY - minY;
  const scale = Math.max(width / elementWidth, height / elementHeight);
  const viewWidth = scale * elementWidth;
  const viewHeight = scale * elementHeight;
  const offset = offsetScale * scale;
  return {
    x: minX - (viewWidth - width) / 2 - offset,
    y: minY - (viewHeight - height) / 2 - offset,
    width: viewWidth + offset * 2,
    height: viewHeight + offset * 2,
    scale,
  };
}
