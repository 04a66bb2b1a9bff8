/** Right-click menus: on the canvas (add a step here, paste, automatic layout, fit view), a step (duplicate, delete, cache, open log), a connection (delete). */
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { findAction, runAction } from '../commands/actions.ts';
import { displayChord } from '../commands/keys.ts';
import { appStore } from '../store/index.ts';
import type { Position } from '../../shared/pipeline/types.ts';

export type MenuTarget = { kind: 'canvas'; client: Position } | { kind: 'node'; id: string } | { kind: 'edge'; id: string };

export interface MenuState {
  target: MenuTarget;
  /** Where the menu shows, in the canvas element's pixels. */
  at: Position;
}

interface Item {
  key: string;
  label: string;
  action?: string;
  run(): void;
}

function items(target: MenuTarget, t: (key: string) => string, openQuickAdd: (client: Position) => void): Item[] {
  const state = appStore.getState();
  if (target.kind === 'canvas') {
    return [
      { key: 'add', label: t('ux.menu.add'), run: () => openQuickAdd(target.client) },
      { key: 'paste', label: t('ux.menu.paste'), action: 'edit.paste', run: () => runAction('edit.paste') },
      { key: 'layout', label: t('ux.menu.autoLayout'), action: 'view.autoLayout', run: () => runAction('view.autoLayout') },
      { key: 'fit', label: t('ux.menu.fitView'), action: 'view.fitView', run: () => runAction('view.fitView') },
    ];
  }
  if (target.kind === 'edge') {
    return [
      {
        key: 'delete-edge',
        label: t('ux.menu.deleteEdge'),
        run: () => state.dispatch({ type: 'remove', nodeIds: [], edgeIds: [target.id] }, { mark: true }),
      },
    ];
  }
  const node = state.doc.nodes.find((n) => n.id === target.id);
  const cacheOn = node?.cache !== false;
  return [
    { key: 'duplicate', label: t('ux.menu.duplicate'), action: 'edit.duplicate', run: () => runAction('edit.duplicate') },
    { key: 'delete', label: t('ux.menu.delete'), action: 'edit.delete', run: () => runAction('edit.delete') },
    {
      key: 'cache',
      label: t(cacheOn ? 'ux.menu.cacheOff' : 'ux.menu.cacheOn'),
      run: () => state.dispatch({ type: 'patch-node', id: target.id, patch: { cache: cacheOn ? false : undefined } }, { mark: true }),
    },
    {
      key: 'log',
      label: t('ux.menu.openLog'),
      run: () => {
        appStore.getState().setPanelNode(target.id);
        appStore.getState().showBottom('run');
      },
    },
  ];
}

export function CanvasContextMenu({ menu, onClose, openQuickAdd }: { menu: MenuState; onClose(): void; openQuickAdd(client: Position): void }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.querySelector<HTMLButtonElement>('button')?.focus();
    const close = (event: Event) => {
      if (!(event.target instanceof Node) || !ref.current?.contains(event.target)) onClose();
    };
    window.addEventListener('pointerdown', close, true);
    return () => window.removeEventListener('pointerdown', close, true);
  }, [onClose]);
  const label = t(menu.target.kind === 'canvas' ? 'ux.menu.canvas' : menu.target.kind === 'node' ? 'ux.menu.node' : 'ux.menu.edge');
  return (
    <div
      ref={ref}
      className="canvas-menu"
      role="menu"
      aria-label={label}
      style={{ left: menu.at.x, top: menu.at.y }}
      onKeyDown={(e) => {
        e.stopPropagation();
        if (e.key === 'Escape') onClose();
      }}
    >
      {items(menu.target, t, openQuickAdd).map((item) => {
        const kbd = item.action ? findAction(item.action)?.kbd[0] : undefined;
        return (
          <button
            key={item.key}
            type="button"
            role="menuitem"
            data-item={item.key}
            onClick={() => {
              onClose();
              item.run();
            }}
          >
            <span>{item.label}</span>
            {kbd && <kbd>{displayChord(kbd)}</kbd>}
          </button>
        );
      })}
    </div>
  );
}
