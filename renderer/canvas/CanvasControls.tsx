/** Zoom in, zoom out and fit view over the canvas, each tooltip naming its key; fit view keeps nodes clear of these buttons and the minimap. */
import { ControlButton, Controls } from '@xyflow/react';
import { useTranslation } from 'react-i18next';
import { withShortcut } from '../shell/PanelToggle.tsx';
import { fitView, zoomIn, zoomOut } from './canvasControls.ts';

const BUTTONS = [
  { action: 'view.zoomIn', label: 'action.zoomIn', run: zoomIn, path: 'M12 5v14 M5 12h14' },
  { action: 'view.zoomOut', label: 'action.zoomOut', run: zoomOut, path: 'M5 12h14' },
  { action: 'view.fitView', label: 'flow.fitView', run: () => fitView(), path: 'M4 9V4h5 M20 9V4h-5 M4 15v5h5 M20 15v5h-5' },
] as const;

// base.css fills control icons; these are drawn with strokes.
const NO_FILL = { fill: 'none' };

export function CanvasControls() {
  const { t } = useTranslation();
  return (
    <Controls showInteractive={false} showZoom={false} showFitView={false} position="bottom-left">
      {BUTTONS.map((b) => (
        <ControlButton key={b.action} onClick={b.run} title={withShortcut(t(b.label), b.action)} aria-label={t(b.label)} data-control={b.action}>
          <svg viewBox="0 0 24 24" style={NO_FILL} stroke="currentColor" strokeWidth={2.2} strokeLinecap="round" aria-hidden="true">
            <path d={b.path} />
          </svg>
        </ControlButton>
      ))}
    </Controls>
  );
}
