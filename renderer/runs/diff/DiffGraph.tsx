/** The graph part of a run diff on its own small canvas: nodes and edges added (green), removed (red), changed (amber). */
import { Background, ReactFlow, ReactFlowProvider } from '@xyflow/react';
import type { Edge, Node } from '@xyflow/react';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { DiffGraphEdge, DiffGraphNode } from './diffView.ts';

interface Props {
  nodes: readonly DiffGraphNode[];
  edges: readonly DiffGraphEdge[];
}

export function DiffGraph({ nodes, edges }: Props) {
  const { t } = useTranslation();
  const flowNodes = useMemo<Node[]>(
    () =>
      nodes.map((n) => ({
        id: n.id,
        position: { x: n.x, y: n.y },
        className: `diff-node change-${n.change}`,
        draggable: false,
        connectable: false,
        data: {
          label: (
            <span data-diff-node={n.id} data-change={n.change} title={n.fields.length > 0 ? t('runs.diff.changedFields', { fields: n.fields.join(', ') }) : undefined}>
              <strong>{n.label}</strong>
              <small>{n.change === 'same' ? n.type : `${n.type} · ${t(`runs.diff.change.${n.change}`)}`}</small>
              {n.fields.length > 0 && <small className="diff-node-fields">{n.fields.slice(0, 2).join(', ') + (n.fields.length > 2 ? ' …' : '')}</small>}
            </span>
          ),
        },
      })),
    [nodes, t],
  );
  const flowEdges = useMemo<Edge[]>(() => edges.map((e) => ({ id: e.id, source: e.source, target: e.target, className: `diff-edge change-${e.change}` })), [edges]);
  return (
    <div className="diff-graph" data-testid="diff-graph">
      <ReactFlowProvider>
        <ReactFlow nodes={flowNodes} edges={flowEdges} fitView nodesDraggable={false} nodesConnectable={false} elementsSelectable={false} proOptions={{ hideAttribution: true }} minZoom={0.1}>
          <Background gap={20} size={1} />
        </ReactFlow>
      </ReactFlowProvider>
      <div className="diff-legend">
        {(['added', 'removed', 'changed'] as const).map((c) => (
          <span key={c} className={`diff-legend-item change-${c}`}>
            {t(`runs.diff.legend.${c}`)}
          </span>
        ))}
      </div>
    </div>
  );
}
