/** Document edits behind the commands: each is one undo step (one gesture). */
import { catalog, PYTHON_STEP_TEMPLATE } from '../../node-catalog/index.ts';
import type { Position } from '../../shared/pipeline/types.ts';
import { copyNodes, parseClipboard, preparePaste } from '../document/clipboard.ts';
import type { ConnectionRequest } from '../document/connections.ts';
import { checkConnection } from '../document/connections.ts';
import { nextEdgeId } from '../document/ids.ts';
import type { NodeSize } from '../document/layout.ts';
import { DEFAULT_NODE_SIZE, layoutPositions } from '../document/layout.ts';
import { createNode } from '../document/newNode.ts';
import { refusalMessage } from '../canvas/refusal.ts';
import { appStore } from '../store/index.ts';

export function addNodeOfType(type: string, position: Position): string | null {
  const { doc, dispatch, select } = appStore.getState();
  const node = createNode(doc, catalog, type, position, PYTHON_STEP_TEMPLATE);
  if (!node) return null;
  dispatch({ type: 'add', nodes: [node] });
  select([node.id]);
  return node.id;
}

/** Adds an edge if the rules allow it; otherwise shows why not. */
export function connectPorts(request: ConnectionRequest): boolean {
  const { doc, dispatch, showStatus } = appStore.getState();
  const refusal = checkConnection(doc, catalog, request);
  if (refusal) {
    const { key, values } = refusalMessage(refusal);
    showStatus('error', key, values);
    return false;
  }
  const id = nextEdgeId(new Set(doc.edges.map((e) => e.id)));
  dispatch({ type: 'connect', edge: { id, source: request.source, sourceHandle: request.sourceHandle!, target: request.target, targetHandle: request.targetHandle! } });
  return true;
}

export function deleteSelection(): boolean {
  const { selectedNodeIds, selectedEdgeIds, dispatch } = appStore.getState();
  if (selectedNodeIds.length === 0 && selectedEdgeIds.length === 0) return false;
  dispatch({ type: 'remove', nodeIds: selectedNodeIds, edgeIds: selectedEdgeIds });
  appStore.getState().select([], []);
  return true;
}

export function selectAll(): void {
  const { doc, select } = appStore.getState();
  select(doc.nodes.map((n) => n.id), doc.edges.map((e) => e.id));
}

/** The selection as clipboard text, or null when nothing is selected. */
export function copySelectionText(): string | null {
  const { doc, selectedNodeIds } = appStore.getState();
  return copyNodes(doc, selectedNodeIds);
}

/** Pastes clipboard text; returns the number of nodes added (0 when the text is not a selection). */
export function pasteText(text: string, offset: Position = { x: 40, y: 40 }): number {
  const payload = parseClipboard(text);
  if (!payload) return 0;
  const { doc, dispatch, select } = appStore.getState();
  const { nodes, edges } = preparePaste(doc, payload, offset);
  dispatch({ type: 'add', nodes, edges });
  select(nodes.map((n) => n.id), edges.map((e) => e.id));
  return nodes.length;
}

export function duplicateSelection(): number {
  const text = copySelectionText();
  return text ? pasteText(text) : 0;
}

export function autoLayout(sizeOf: (id: string) => NodeSize | undefined = () => undefined): void {
  const { doc, dispatch } = appStore.getState();
  if (doc.nodes.length === 0) return;
  dispatch({ type: 'move', positions: layoutPositions(doc, (id) => sizeOf(id) ?? DEFAULT_NODE_SIZE) });
}
