/** The bottom panel's top edge: drag (or arrow keys) to change its height; double-click resets it. */
import { useRef } from 'react';
import type { KeyboardEvent, PointerEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppStore } from '../store/index.ts';

const MIN_PX = 120;

function clampHeight(px: number): number {
  return Math.round(Math.max(MIN_PX, Math.min(px, window.innerHeight - 160)));
}

export function PanelResizer({ panel }: { panel: () => HTMLElement | null }) {
  const { t } = useTranslation();
  const height = useAppStore((s) => s.panelHeight);
  const setHeight = useAppStore((s) => s.setPanelHeight);
  const drag = useRef<{ y: number; height: number } | null>(null);

  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    const el = panel();
    if (!el) return;
    e.preventDefault();
    e.currentTarget.setPointerCapture(e.pointerId);
    drag.current = { y: e.clientY, height: el.getBoundingClientRect().height };
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    if (drag.current) setHeight(clampHeight(drag.current.height + drag.current.y - e.clientY));
  };
  const onPointerUp = () => {
    drag.current = null;
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key !== 'ArrowUp' && e.key !== 'ArrowDown') return;
    e.preventDefault();
    const current = height ?? panel()?.getBoundingClientRect().height ?? 300;
    setHeight(clampHeight(current + (e.key === 'ArrowUp' ? 24 : -24)));
  };
  return (
    <div
      className="panel-resizer"
      role="separator"
      aria-orientation="horizontal"
      aria-label={t('runs.panel.resize')}
      title={t('runs.panel.resize')}
      aria-valuenow={height ?? undefined}
      tabIndex={0}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerCancel={onPointerUp}
      onDoubleClick={() => setHeight(null)}
      onKeyDown={onKeyDown}
    />
  );
}
