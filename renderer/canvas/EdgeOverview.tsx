/** The far-out picture of a large pipeline's connections (see edgeOverview.ts): under the nodes, above the background. */
import { useStore } from '@xyflow/react';
import { useRef } from 'react';
import type { PipelineFlowEdge } from './flowElements.ts';
import { EdgeOverviewCache } from './edgeOverview.ts';

export function EdgeOverview({ edges }: { edges: PipelineFlowEdge[] }) {
  const cache = useRef(new EdgeOverviewCache()).current;
  // Rendered on every store update (ports are measured without a new nodes array); the curves are recomputed only
  // when React Flow's nodes array is new (a node moved or changed size), and then only for the nodes that changed.
  const state = useStore((s) => s);
  const [x, y, zoom] = state.transform;
  const paths = cache.paths(edges, state.nodeLookup, state.nodes);
  return (
    <svg className="edge-overview" aria-hidden="true">
      <g transform={`translate(${x} ${y}) scale(${zoom})`}>
        {[...paths].map(([kind, d]) => (
          <path key={kind} className={`edge-overview-path edge-kind-${kind}`} d={d} />
        ))}
      </g>
    </svg>
  );
}
