/** The far-out picture of a large pipeline's connections (see edgeOverview.ts): under the nodes, above the background. */
import { useStore } from '@xyflow/react';
import { useRef } from 'react';
import type { PipelineFlowEdge } from './flowElements.ts';
import { EdgeOverviewCache, shownPaths } from './edgeOverview.ts';
import type { OverviewEdgeActions } from './useEdgeOverviewPointer.ts';
import { useEdgeOverviewPointer } from './useEdgeOverviewPointer.ts';

export function EdgeOverview({ edges, moving, actions }: { edges: PipelineFlowEdge[]; moving: ReadonlySet<string>; actions: OverviewEdgeActions }) {
  const cache = useRef(new EdgeOverviewCache()).current;
  // Rendered on every store update (ports are measured without a new nodes array); the curves are recomputed only
  // when React Flow's nodes array is new (a node moved or changed size), and then only for the nodes that changed.
  const state = useStore((s) => s);
  const hovered = useEdgeOverviewPointer(cache, actions);
  const [x, y, zoom] = state.transform;
  const { still, moving: movingPaths } = cache.paths(edges, state.nodeLookup, state.nodes, moving);
  const selectedPath = shownPaths(edges, state.nodeLookup);
  const hoveredPath = hovered ? cache.curve(hovered) : undefined;
  const hoveredKind = hovered ? (edges.find((e) => e.id === hovered)?.data?.kind ?? 'unknown') : undefined;
  return (
    <svg className="edge-overview" aria-hidden="true">
      <g transform={`translate(${x} ${y}) scale(${zoom})`}>
        {[...still].map(([kind, d]) => (
          <path key={kind} className={`edge-overview-path edge-kind-${kind}`} d={d} />
        ))}
        {[...movingPaths].map(([kind, d]) => (
          <path key={`moving-${kind}`} className={`edge-overview-path edge-kind-${kind}`} d={d} />
        ))}
        {selectedPath && <path className="edge-overview-path edge-overview-selected" d={selectedPath} />}
        {hoveredPath && <path className={`edge-overview-path edge-kind-${hoveredKind} edge-overview-hover`} d={hoveredPath} data-edge-id={hovered} />}
      </g>
    </svg>
  );
}
