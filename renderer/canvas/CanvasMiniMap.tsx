/**
 * The minimap: React Flow's look and behaviour (nodes by category, the visible area unmasked, drag to pan, wheel
 * to zoom), its nodes drawn as one picture (miniMapPicture.ts) from the canvas's own node list, so a drag frame
 * redraws the dragged node only and runs no per-node store selectors.
 */
import { Panel, useReactFlow, useStore, useStoreApi } from '@xyflow/react';
import { useEffect, useId, useRef } from 'react';
import type { PointerEvent as ReactPointerEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { catalog } from '../../node-catalog/index.ts';
import type { PipelineFlowNode } from './flowElements.ts';
import { MiniMapPictureCache, miniMapViewBox } from './miniMapPicture.ts';

const WIDTH = 160;
const HEIGHT = 110;
const style = { width: WIDTH, height: HEIGHT };
const categoryClass = (n: PipelineFlowNode) => `cat-${catalog.get(n.data.node.type)?.category ?? 'unknown'}`;
/** The visible area, in flow units, as one string so the subscription compares cheaply. */
const viewSelector = (s: { transform: [number, number, number]; width: number; height: number }) => `${s.transform[0]} ${s.transform[1]} ${s.transform[2]} ${s.width} ${s.height}`;

export function CanvasMiniMap({ nodes, moving }: { nodes: readonly PipelineFlowNode[]; moving: ReadonlySet<string> }) {
  const { t } = useTranslation();
  const flow = useReactFlow();
  const store = useStoreApi();
  const svg = useRef<SVGSVGElement>(null);
  const cache = useRef(new MiniMapPictureCache<PipelineFlowNode>(categoryClass)).current;
  const [tx, ty, zoom, width, height] = useStore(viewSelector).split(' ').map(Number);
  const picture = cache.picture(nodes, moving);
  const view = { x: -tx / zoom, y: -ty / zoom, width: width / zoom, height: height / zoom };
  const box = miniMapViewBox(picture.bounds, view, WIDTH, HEIGHT);
  const scaleRef = useRef(box.scale);
  scaleRef.current = box.scale;
  const drag = useRef<{ x: number; y: number; pointerId: number } | null>(null);
  const titleId = useId();

  // Wheel zooms the canvas about its middle, as React Flow's zoomable minimap does (not passive: the page keeps still).
  useEffect(() => {
    const element = svg.current;
    if (!element) return;
    const onWheel = (event: WheelEvent) => {
      event.preventDefault();
      const factor = event.deltaMode === 1 ? 0.05 : event.deltaMode ? 1 : 0.002;
      void flow.zoomTo(store.getState().transform[2] * Math.pow(2, -event.deltaY * factor));
    };
    element.addEventListener('wheel', onWheel, { passive: false });
    return () => element.removeEventListener('wheel', onWheel);
  }, [flow, store]);

  // Dragging moves the visible area with the pointer (React Flow's pannable minimap).
  const onPointerDown = (event: ReactPointerEvent<SVGSVGElement>) => {
    if (event.button !== 0) return;
    event.currentTarget.setPointerCapture(event.pointerId);
    drag.current = { x: event.clientX, y: event.clientY, pointerId: event.pointerId };
  };
  const onPointerMove = (event: ReactPointerEvent<SVGSVGElement>) => {
    const last = drag.current;
    if (!last || last.pointerId !== event.pointerId) return;
    const [x, y, z] = store.getState().transform;
    const step = scaleRef.current * z;
    void flow.setViewport({ x: x - (event.clientX - last.x) * step, y: y - (event.clientY - last.y) * step, zoom: z });
    drag.current = { ...last, x: event.clientX, y: event.clientY };
  };
  const onPointerEnd = () => {
    drag.current = null;
  };

  const frame = box.scale * 5;
  return (
    <Panel position="bottom-right" className="react-flow__minimap" style={style} data-testid="rf__minimap">
      <svg
        ref={svg}
        width={WIDTH}
        height={HEIGHT}
        viewBox={`${box.x} ${box.y} ${box.width} ${box.height}`}
        className="react-flow__minimap-svg"
        role="img"
        aria-labelledby={titleId}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerEnd}
        onPointerCancel={onPointerEnd}
      >
        <title id={titleId}>{t('flow.minimap')}</title>
        {[...picture.still].map(([category, d]) => (
          <path key={`still-${category}`} className={`react-flow__minimap-node minimap-node ${category}`} d={d} />
        ))}
        {[...picture.moving].map(([category, d]) => (
          <path key={`moving-${category}`} className={`react-flow__minimap-node minimap-node ${category}`} d={d} data-dragged="" />
        ))}
        <path
          className="react-flow__minimap-mask"
          d={`M${box.x - frame},${box.y - frame}h${box.width + frame * 2}v${box.height + frame * 2}h${-box.width - frame * 2}z M${view.x},${view.y}h${view.width}v${view.height}h${-view.width}z`}
          fillRule="evenodd"
          pointerEvents="none"
        />
      </svg>
    </Panel>
  );
}
