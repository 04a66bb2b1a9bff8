/** The pipeline canvas: React Flow, controlled by the app store through change objects. */
import { Background, BackgroundVariant, ReactFlow, useReactFlow, useStore as useFlowStore } from '@xyflow/react';
import type { Connection, EdgeChange, FinalConnectionState, IsValidConnection, NodeChange, OnConnectEnd, ReactFlowInstance } from '@xyflow/react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { DragEvent, MouseEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { catalog } from '../../node-catalog/index.ts';
import type { Position } from '../../shared/pipeline/types.ts';
import { addNodeOfType, connectPorts } from '../commands/editing.ts';
import { checkConnection } from '../document/connections.ts';
import { appStore, useAppStore } from '../store/index.ts';
import { CanvasControls } from './CanvasControls.tsx';
import { CanvasMiniMap } from './CanvasMiniMap.tsx';
import { ConnectHighlight } from './ConnectHighlight.tsx';
import { EdgeOverview } from './EdgeOverview.tsx';
import { QuickAdd } from './QuickAdd.tsx';
import { CanvasContextMenu } from './CanvasContextMenu.tsx';
import type { MenuState, MenuTarget } from './CanvasContextMenu.tsx';
import type { QuickAddAt } from './QuickAdd.tsx';
import type { OverviewEdgeActions } from './useEdgeOverviewPointer.ts';
import { isTextTarget } from '../commands/useKeyboardShortcuts.ts';
import { fitToDocument, fitView, setFlowInstance } from './canvasControls.ts';
import type { CardBase } from './cardSize.ts';
import { estimateCardSize, measureCardBase } from './cardSize.ts';
import type { PipelineFlowEdge, PipelineFlowNode, Size } from './flowElements.ts';
import { FlowElementCache } from './flowElements.ts';
import { DETAIL_ZOOM, FarZoomContext, PipelineNodeCard, setEmptyCardHeight, TEXT_ZOOM, TinyZoomContext } from './PipelineNodeCard.tsx';
import { refusalMessage } from './refusal.ts';

export const NODE_DRAG_TYPE = 'application/x-pipewright-node-type';

// Every prop object lives at module scope: a new object per render would make React Flow update
// all of its edges on every drag frame.
const nodeTypes = { pipeline: PipelineNodeCard };
const snapGrid: [number, number] = [10, 10];
const defaultEdgeOptions = { type: 'default' };
const proOptions = { hideAttribution: true };
const multiSelectionKeys = ['Meta', 'Control', 'Shift'];
/** Above this many nodes only what is on screen is rendered (keeps drags at 60 fps). */
const VISIBLE_ONLY_THRESHOLD = 150;

function applySelection(current: readonly string[], changes: readonly { id: string; selected: boolean }[]): string[] {
  const set = new Set(current);
  for (const c of changes) {
    if (c.selected) set.add(c.id);
    else set.delete(c.id);
  }
  return [...set];
}

const isValidConnection: IsValidConnection<PipelineFlowEdge> = (c) =>
  checkConnection(appStore.getState().doc, catalog, { source: c.source, sourceHandle: c.sourceHandle ?? null, target: c.target, targetHandle: c.targetHandle ?? null }) === null;

const onConnectEnd: OnConnectEnd = (_event, state: FinalConnectionState) => {
  if (state.isValid !== false || !state.fromHandle || !state.toHandle) return;
  const [from, to] = state.fromHandle.type === 'source' ? [state.fromHandle, state.toHandle] : [state.toHandle, state.fromHandle];
  const refusal = checkConnection(appStore.getState().doc, catalog, { source: from.nodeId, sourceHandle: from.id ?? null, target: to.nodeId, targetHandle: to.id ?? null });
  if (!refusal) return;
  const { key, values } = refusalMessage(refusal);
  appStore.getState().showStatus('error', key, values);
};

const onConnect = (c: Connection) => {
  connectPorts({ source: c.source, sourceHandle: c.sourceHandle ?? null, target: c.target, targetHandle: c.targetHandle ?? null });
};

export function Canvas() {
  const { t } = useTranslation();
  const flow = useReactFlow<PipelineFlowNode, PipelineFlowEdge>();
  const wrapper = useRef<HTMLDivElement>(null);
  const cache = useRef(new FlowElementCache()).current;
  const measured = useRef(new Map<string, Size>()).current;
  const [measuredVersion, setMeasuredVersion] = useState(0);
  const cardBase = useRef<CardBase | null>(null);
  const [dragPositions, setDragPositions] = useState<Record<string, Position> | null>(null);
  const dragRef = useRef<Record<string, Position> | null>(null);
  const [quickAdd, setQuickAdd] = useState<QuickAddAt | null>(null);
  const [menu, setMenu] = useState<MenuState | null>(null);
  const pointer = useRef<{ x: number; y: number } | null>(null);
  const docNodes = useAppStore((s) => s.doc.nodes);
  const docEdges = useAppStore((s) => s.doc.edges);
  const selectedNodeIds = useAppStore((s) => s.selectedNodeIds);
  const selectedEdgeIds = useAppStore((s) => s.selectedEdgeIds);
  const snapToGrid = useAppStore((s) => s.snapToGrid);
  const showMinimap = useAppStore((s) => s.showMinimap);
  const loadId = useAppStore((s) => s.loadId);
  const far = useFlowStore((s) => s.transform[2] < DETAIL_ZOOM);
  const tiny = useFlowStore((s) => s.transform[2] < TEXT_ZOOM);
  const ariaLabelConfig = useMemo(
    () => ({
      'node.a11yDescription.default': t('flow.nodeHelp'),
      'node.a11yDescription.keyboardDisabled': t('flow.nodeHelp'),
      'node.a11yDescription.ariaLiveMessage': ({ direction, x, y }: { direction: string; x: number; y: number }) => t('flow.moved', { direction, x, y }),
      'edge.a11yDescription.default': t('flow.edgeHelp'),
      'controls.ariaLabel': t('flow.controls'),
      'controls.zoomIn.ariaLabel': t('action.zoomIn'),
      'controls.zoomOut.ariaLabel': t('action.zoomOut'),
      'controls.fitView.ariaLabel': t('flow.fitView'),
      'controls.interactive.ariaLabel': t('flow.interactive'),
      'minimap.ariaLabel': t('flow.minimap'),
      'handle.ariaLabel': t('flow.handle'),
    }),
    [t],
  );

  // A loaded document is fitted from its positions before React renders it, then again once measured.
  useEffect(() => appStore.subscribe((state, previous) => state.loadId !== previous.loadId && fitToDocument(state.doc)), []);

  // Fit the view to each loaded document (not to the first node dropped on an empty one).
  useEffect(() => {
    if (appStore.getState().doc.nodes.length === 0) return;
    const timer = setTimeout(() => fitView(0), 60);
    return () => clearTimeout(timer);
  }, [loadId]);

  // measuredVersion stands for changes inside the mutable `measured` map.
  // A node not measured yet starts from its estimated size (kept per id, so a later change of shape is still seen).
  const nodes = useMemo(() => {
    if (wrapper.current && !cardBase.current) {
      cardBase.current = measureCardBase(wrapper.current);
      if (cardBase.current) setEmptyCardHeight(cardBase.current.height);
    }
    const base = cardBase.current;
    if (base) {
      for (const n of docNodes) {
        if (measured.has(n.id)) continue;
        const size = estimateCardSize(n, catalog, base);
        if (size) measured.set(n.id, size);
      }
    }
    const shown = dragPositions ? docNodes.map((n) => (dragPositions[n.id] ? { ...n, position: dragPositions[n.id] } : n)) : docNodes;
    return cache.flowNodes(shown, new Set(selectedNodeIds), measured);
  }, [cache, docNodes, selectedNodeIds, measured, measuredVersion, dragPositions]);
  const movingIds = useMemo(() => new Set(dragPositions ? Object.keys(dragPositions) : []), [dragPositions]);
  // A large pipeline far out: connections drawn as one picture (EdgeOverview), React Flow keeps the selected ones.
  const overview = tiny && docNodes.length > VISIBLE_ONLY_THRESHOLD;
  const edges = useMemo(() => cache.flowEdges(docEdges, docNodes, catalog, new Set(selectedEdgeIds), overview), [cache, docEdges, docNodes, selectedEdgeIds, overview]);
  // React Flow keeps a wrapper, with its store subscriptions, even for a hidden edge: give it only the ones it draws.
  const flowEdges = useMemo(() => (overview ? edges.filter((e) => !e.hidden) : edges), [edges, overview]);

  const onNodesChange = useCallback(
    (changes: NodeChange<PipelineFlowNode>[]) => {
      const state = appStore.getState();
      const positions: Record<string, Position> = {};
      let moved = false;
      let dragging = false;
      let dragEnded = false;
      const selections: { id: string; selected: boolean }[] = [];
      let resized = false;
      for (const c of changes) {
        if (c.type === 'position') {
          if (c.position) {
            positions[c.id] = c.position;
            moved = true;
          }
          if (c.dragging === true) dragging = true;
          if (c.dragging === false) dragEnded = true;
        } else if (c.type === 'select') {
          selections.push({ id: c.id, selected: c.selected });
        } else if (c.type === 'dimensions' && c.dimensions) {
          const old = measured.get(c.id);
          if (!old || old.width !== c.dimensions.width || old.height !== c.dimensions.height) {
            measured.set(c.id, { width: c.dimensions.width, height: c.dimensions.height });
            resized = true;
          }
        }
      }
      // While a drag goes on, positions stay in the canvas (the document, and all that follows it, is not
      // touched on every frame); the drag's end puts them in the document as one undo step.
      if (moved && dragging && !dragEnded) {
        dragRef.current = { ...dragRef.current, ...positions };
        setDragPositions(dragRef.current);
      } else if (dragEnded || moved) {
        const all = { ...(dragEnded ? dragRef.current : null), ...positions };
        if (dragEnded) {
          dragRef.current = null;
          setDragPositions(null);
        }
        if (Object.keys(all).length > 0) state.dispatch({ type: 'move', positions: all }, { mark: dragEnded });
        else state.markGesture();
      }
      if (selections.length > 0) state.select(applySelection(state.selectedNodeIds, selections), appStore.getState().selectedEdgeIds);
      if (resized) setMeasuredVersion((v) => v + 1);
    },
    [measured],
  );

  const onEdgesChange = useCallback((changes: EdgeChange<PipelineFlowEdge>[]) => {
    const selections = changes.filter((c) => c.type === 'select');
    if (selections.length === 0) return;
    const state = appStore.getState();
    state.select(state.selectedNodeIds, applySelection(state.selectedEdgeIds, selections));
  }, []);

  const onInit = useCallback((instance: ReactFlowInstance<PipelineFlowNode, PipelineFlowEdge>) => setFlowInstance(instance, wrapper.current), []);

  const openQuickAdd = useCallback(
    (clientX: number, clientY: number) => {
      const rect = wrapper.current?.getBoundingClientRect();
      if (!rect) return;
      const x = Math.min(Math.max(clientX - rect.left, 8), Math.max(8, rect.width - 290));
      const y = Math.min(Math.max(clientY - rect.top, 8), Math.max(8, rect.height - 320));
      setQuickAdd({ screen: { x, y }, flow: flow.screenToFlowPosition({ x: clientX, y: clientY }) });
    },
    [flow],
  );

  const openMenu = useCallback((event: MouseEvent | globalThis.MouseEvent, target: MenuTarget) => {
    event.preventDefault();
    const rect = wrapper.current?.getBoundingClientRect();
    if (!rect) return;
    // A step's menu acts on that step: select it first (duplicate and delete work on the selection).
    if (target.kind === 'node' && !appStore.getState().selectedNodeIds.includes(target.id)) appStore.getState().select([target.id]);
    setQuickAdd(null);
    setMenu({ target, at: { x: Math.min(event.clientX - rect.left, rect.width - 220), y: Math.min(event.clientY - rect.top, rect.height - 180) } });
  }, []);
  // Stable handlers: React Flow hands them to every node and edge wrapper, so a new function per render would
  // re-render all thousand wrappers on each drag frame.
  const onPaneContextMenu = useCallback((e: MouseEvent | globalThis.MouseEvent) => openMenu(e, { kind: 'canvas', client: { x: e.clientX, y: e.clientY } }), [openMenu]);
  const onNodeContextMenu = useCallback((e: MouseEvent, n: PipelineFlowNode) => openMenu(e, { kind: 'node', id: n.id }), [openMenu]);
  const onEdgeContextMenu = useCallback((e: MouseEvent, edge: PipelineFlowEdge) => openMenu(e, { kind: 'edge', id: edge.id }), [openMenu]);
  // Far out, connections are one picture: its clicks select and open menus as React Flow's edges do (EdgeOverview).
  const overviewActions = useMemo<OverviewEdgeActions>(
    () => ({
      select: (id, additive) => {
        const state = appStore.getState();
        state.select(additive ? state.selectedNodeIds : [], additive ? [...new Set([...state.selectedEdgeIds, id])] : [id]);
      },
      contextMenu: (event, id) => openMenu(event, { kind: 'edge', id }),
    }),
    [openMenu],
  );
  const closeMenu = useCallback(() => setMenu(null), []);
  const quickAddAt = useCallback((client: Position) => openQuickAdd(client.x, client.y), [openQuickAdd]);

  const onDoubleClick = useCallback(
    (event: MouseEvent) => {
      if (!(event.target instanceof Element) || !event.target.classList.contains('react-flow__pane')) return;
      openQuickAdd(event.clientX, event.clientY);
    },
    [openQuickAdd],
  );

  // Space over the canvas (nothing being typed, no dialog): quick add where the pointer is, else in the middle.
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== ' ' || event.repeat || event.ctrlKey || event.metaKey || event.altKey || isTextTarget(event.target) || appStore.getState().dialog) return;
      const target = event.target instanceof Element ? event.target : null;
      if (target && target !== document.body && !wrapper.current?.contains(target)) return;
      const rect = wrapper.current?.getBoundingClientRect();
      if (!rect) return;
      event.preventDefault();
      const p = pointer.current ?? { x: rect.left + rect.width / 2, y: rect.top + rect.height / 3 };
      openQuickAdd(p.x, p.y);
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [openQuickAdd]);

  const onDragOver = useCallback((event: DragEvent) => {
    if (!event.dataTransfer.types.includes(NODE_DRAG_TYPE)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
  }, []);

  const onDrop = useCallback(
    (event: DragEvent) => {
      const type = event.dataTransfer.getData(NODE_DRAG_TYPE);
      if (!type) return;
      event.preventDefault();
      const p = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
      addNodeOfType(type, { x: Math.round((p.x - 110) / 10) * 10, y: Math.round((p.y - 30) / 10) * 10 });
    },
    [flow],
  );

  return (
    <div
      className="canvas"
      ref={wrapper}
      onDragOver={onDragOver}
      onDrop={onDrop}
      onDoubleClick={onDoubleClick}
      onPointerMove={(e) => (pointer.current = { x: e.clientX, y: e.clientY })}
      onPointerLeave={() => (pointer.current = null)}
      aria-label={t('canvas.label')}
    >
      <FarZoomContext.Provider value={far}>
        <TinyZoomContext.Provider value={tiny}>
          <ReactFlow<PipelineFlowNode, PipelineFlowEdge>
            nodes={nodes}
            edges={flowEdges}
            nodeTypes={nodeTypes}
            onNodesChange={onNodesChange}
            onEdgesChange={onEdgesChange}
            onConnect={onConnect}
            onConnectEnd={onConnectEnd}
            isValidConnection={isValidConnection}
            onInit={onInit}
            deleteKeyCode={null}
            selectionKeyCode="Shift"
            multiSelectionKeyCode={multiSelectionKeys}
            snapToGrid={snapToGrid}
            snapGrid={snapGrid}
            onlyRenderVisibleElements={docNodes.length > VISIBLE_ONLY_THRESHOLD}
            zoomOnDoubleClick={false}
            onPaneContextMenu={onPaneContextMenu}
            onNodeContextMenu={onNodeContextMenu}
            onEdgeContextMenu={onEdgeContextMenu}
            panActivationKeyCode={null}
            minZoom={0.05}
            maxZoom={2}
            defaultEdgeOptions={defaultEdgeOptions}
            proOptions={proOptions}
            ariaLabelConfig={ariaLabelConfig}
          >
            <Background variant={BackgroundVariant.Dots} gap={20} size={1} />
            {overview && <EdgeOverview edges={edges} moving={movingIds} actions={overviewActions} />}
            <CanvasControls />
            <ConnectHighlight />
            {showMinimap && nodes.length > 0 && <CanvasMiniMap nodes={nodes} moving={movingIds} />}
          </ReactFlow>
        </TinyZoomContext.Provider>
      </FarZoomContext.Provider>
      {docNodes.length === 0 && <div className="canvas-empty">{t('canvas.empty')}</div>}
      {menu && <CanvasContextMenu menu={menu} onClose={closeMenu} openQuickAdd={quickAddAt} />}
      {quickAdd && <QuickAdd at={quickAdd} onClose={() => setQuickAdd(null)} />}
    </div>
  );
}
