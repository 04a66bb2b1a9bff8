/**
 * While a connection is dragged, ports that would accept it are ringed and the others dimmed (one style
 * sheet for the whole canvas, written once per drag, so a thousand cards re-render nothing). A refused
 * connection's message goes away at the next click or key.
 */
import { useConnection } from '@xyflow/react';
import { useEffect, useMemo } from 'react';
import { catalog } from '../../node-catalog/index.ts';
import { appStore, useAppStore } from '../store/index.ts';
import { portHints } from './connectHints.ts';
import type { DragStart } from './connectHints.ts';

const startOf = (c: { inProgress: boolean; fromHandle?: { nodeId: string; id?: string | null; type: 'source' | 'target' } | null }) =>
  c.inProgress && c.fromHandle?.id ? `${c.fromHandle.type}\u0000${c.fromHandle.nodeId}\u0000${c.fromHandle.id}` : '';

function styleFor(start: DragStart): string {
  const side = start.type === 'source' ? 'target' : 'source';
  const ok = portHints(appStore.getState().doc, catalog, start).filter((h) => h.ok);
  const sel = (nodeId: string, port: string) => `.canvas .react-flow__handle.${side}[data-nodeid="${CSS.escape(nodeId)}"][data-handleid="${CSS.escape(port)}"]`;
  return [
    `.canvas .react-flow__handle.${side} { opacity: 0.25; }`,
    `.canvas .node-port-row .port-label { opacity: 0.55; }`,
    ok.length > 0 ? `${ok.map((h) => sel(h.nodeId, h.port)).join(',\n')} { opacity: 1; box-shadow: 0 0 0 3px var(--surface), 0 0 0 6px var(--accent); }` : '',
  ].join('\n');
}

export function ConnectHighlight() {
  const key = useConnection(startOf);
  const css = useMemo(() => {
    if (!key) return '';
    const [type, nodeId, port] = key.split('\u0000') as ['source' | 'target', string, string];
    return styleFor({ type, nodeId, port });
  }, [key]);
  useClearRefusalOnNextAction();
  return css ? <style data-testid="connect-hints">{css}</style> : null;
}

/** A "cannot connect" message stays until the user does something else (click, key), not for its full timeout. */
function useClearRefusalOnNextAction(): void {
  const refusal = useAppStore((s) => (s.status?.key.startsWith('connect.') ? s.status.id : null));
  useEffect(() => {
    if (refusal === null) return;
    const clear = () => {
      if (appStore.getState().status?.id === refusal) appStore.getState().clearStatus();
    };
    window.addEventListener('pointerdown', clear, true);
    window.addEventListener('keydown', clear, true);
    return () => {
      window.removeEventListener('pointerdown', clear, true);
      window.removeEventListener('keydown', clear, true);
    };
  }, [refusal]);
}
