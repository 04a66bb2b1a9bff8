/**
 * The canvas benchmark's peer: the same graph in a plain React Flow page, as its docs set one up: default
 * nodes (a label, one input and one output), default edges, the library's stylesheet, background, controls
 * and minimap, controlled nodes through applyNodeChanges, every other prop at its default.
 */
import { applyNodeChanges, Background, Controls, MiniMap, ReactFlow } from '@xyflow/react';
import type { Edge, Node, NodeChange, ReactFlowInstance } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useCallback, useState } from 'react';
import { createRoot } from 'react-dom/client';

export interface PeerGraph {
  nodes: { id: string; position: { x: number; y: number } }[];
  edges: { id: string; source: string; target: string }[];
}

declare global {
  interface Window {
    peer?: { load(graph: PeerGraph): void; setViewport(v: { x: number; y: number; zoom: number }): void };
  }
}

let instance: ReactFlowInstance | null = null;

function Peer() {
  const [nodes, setNodes] = useState<Node[]>([]);
  const [edges, setEdges] = useState<Edge[]>([]);
  const onNodesChange = useCallback((changes: NodeChange[]) => setNodes((n) => applyNodeChanges(changes, n)), []);
  window.peer = {
    load(graph) {
      setNodes(graph.nodes.map((n) => ({ id: n.id, position: n.position, data: { label: n.id } })));
      setEdges(graph.edges.map((e) => ({ id: e.id, source: e.source, target: e.target })));
      setTimeout(() => void instance?.fitView(), 0);
    },
    setViewport: (v) => void instance?.setViewport(v),
  };
  return (
    <ReactFlow nodes={nodes} edges={edges} onNodesChange={onNodesChange} onInit={(i) => (instance = i)} minZoom={0.05}>
      <Background />
      <Controls />
      <MiniMap />
    </ReactFlow>
  );
}

createRoot(document.getElementById('root')!).render(<Peer />);
