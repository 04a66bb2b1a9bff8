/**
 * Clicks on the far-out picture of connections (EdgeOverview) do what they do on React Flow's own edges at zoom 1:
 * a click selects the connection under the pointer (Ctrl/Cmd/Shift add to the selection), a right click opens its
 * menu, a double click adds no step. The picture has no element per connection, so the pointer is tested against
 * the curves drawn (edgeHitIndex.ts). Listeners sit on the window's capture phase, ahead of React Flow's pane
 * (whose click would clear the selection) and of panning; a press that moves is a pan, as before.
 */
import { useStoreApi } from '@xyflow/react';
import { useEffect, useRef, useState } from 'react';
import type { EdgeOverviewCache } from './edgeOverview.ts';

export interface OverviewEdgeActions {
  /** Select the connection, added to the selection when `additive`, as React Flow's edge click does. */
  select(id: string, additive: boolean): void;
  contextMenu(event: MouseEvent, id: string): void;
}

/** How near (screen pixels) the pointer must be to a connection to take it. */
export const HIT_PX = 8;
/** React Flow's own edges take clicks within half their 20-unit interaction width. */
const INTERACTION_HALF = 10;
/** A press that moves farther than this (screen pixels) pans instead of clicking. */
const CLICK_SLOP_PX = 4;

/** Installs the listeners while mounted; returns the connection under the (unpressed) pointer, if any. */
export function useEdgeOverviewPointer(cache: EdgeOverviewCache, actions: OverviewEdgeActions): string | null {
  const store = useStoreApi();
  const latest = useRef(actions);
  latest.current = actions;
  const [hovered, setHovered] = useState<string | null>(null);

  useEffect(() => {
    let press: { x: number; y: number; id: string } | null = null;
    let clicked: string | null = null;
    let hover: string | null = null;

    const edgeUnder = (event: MouseEvent): string | null => {
      const { domNode, transform } = store.getState();
      const target = event.target;
      if (!domNode || !(target instanceof Element) || !target.classList.contains('react-flow__pane') || !domNode.contains(target)) return null;
      const rect = domNode.getBoundingClientRect();
      const [tx, ty, zoom] = transform;
      return cache.edgeAt((event.clientX - rect.left - tx) / zoom, (event.clientY - rect.top - ty) / zoom, Math.max(INTERACTION_HALF, HIT_PX / zoom));
    };
    const setHover = (id: string | null) => {
      if (id === hover) return;
      hover = id;
      const { domNode } = store.getState();
      if (id) domNode?.setAttribute('data-edge-hover', '');
      else domNode?.removeAttribute('data-edge-hover');
      setHovered(id);
    };

    const onPointerDown = (event: PointerEvent) => {
      press = null;
      clicked = null;
      if (event.button !== 0 || !event.isPrimary) return;
      const id = edgeUnder(event);
      if (id) press = { x: event.clientX, y: event.clientY, id };
    };
    const onPointerUp = (event: PointerEvent) => {
      if (!press || event.button !== 0) return;
      const { id, x, y } = press;
      press = null;
      if (Math.hypot(event.clientX - x, event.clientY - y) > CLICK_SLOP_PX) return;
      // The pane would take this as a click on empty canvas (with Shift: the end of an empty selection box).
      event.stopPropagation();
      if (store.getState().userSelectionRect) store.setState({ userSelectionRect: null, userSelectionActive: false });
      clicked = id;
    };
    const onClick = (event: MouseEvent) => {
      const id = clicked;
      clicked = null;
      if (!id || !(event.target instanceof Element) || !event.target.classList.contains('react-flow__pane')) return;
      event.stopPropagation();
      store.setState({ nodesSelectionActive: false });
      latest.current.select(id, store.getState().multiSelectionActive);
      // React Flow draws a selected connection itself; give it the focus a click on it would (Escape, Tab).
      const domNode = store.getState().domNode;
      requestAnimationFrame(() => domNode?.querySelector<SVGGElement>(`.react-flow__edge[data-id="${CSS.escape(id)}"]`)?.focus({ preventScroll: true }));
    };
    const onDoubleClick = (event: MouseEvent) => {
      if (edgeUnder(event)) event.stopPropagation();
    };
    const onContextMenu = (event: MouseEvent) => {
      const id = edgeUnder(event);
      if (!id) return;
      event.stopPropagation();
      latest.current.contextMenu(event, id);
    };
    const onPointerMove = (event: PointerEvent) => {
      // Never during a drag, a pan or a selection box: those frames stay as cheap as before.
      setHover(event.buttons === 0 && event.pointerType !== 'touch' ? edgeUnder(event) : null);
    };

    const listeners: [string, (event: never) => void][] = [
      ['pointerdown', onPointerDown],
      ['pointerup', onPointerUp],
      ['click', onClick],
      ['dblclick', onDoubleClick],
      ['contextmenu', onContextMenu],
      ['pointermove', onPointerMove],
    ];
    for (const [type, listener] of listeners) window.addEventListener(type, listener as EventListener, true);
    return () => {
      for (const [type, listener] of listeners) window.removeEventListener(type, listener as EventListener, true);
      store.getState().domNode?.removeAttribute('data-edge-hover');
    };
  }, [cache, store]);

  return hovered;
}
