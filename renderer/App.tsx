/** The main window: toolbar, palette, canvas with the bottom panel, inspector, status line, dialogs. */
import { ReactFlowProvider } from '@xyflow/react';
import { Canvas } from './canvas/Canvas.tsx';
import { useKeyboardShortcuts } from './commands/useKeyboardShortcuts.ts';
import { Dialogs } from './dialogs/Dialogs.tsx';
import { Inspector } from './inspector/Inspector.tsx';
import { Palette } from './palette/Palette.tsx';
import { AlertBanner } from './monitoring/AlertBanner.tsx';
import { RunBanner } from './runs/RunBanner.tsx';
import { CanvasDiffBanner } from './runs/diff/CanvasDiffBanner.tsx';
import { useRunSync } from './runs/useRunSync.ts';
import { BottomPanel } from './panels/BottomPanel.tsx';
import { ConnectionBanner } from './shell/ConnectionBanner.tsx';
import { CrashBoundary } from './shell/CrashBoundary.tsx';
import { NoticeBar } from './shell/NoticeBar.tsx';
import { FocusModeChip, PanelRail } from './shell/PanelToggle.tsx';
import { StatusBar } from './shell/StatusBar.tsx';
import { Toolbar } from './shell/Toolbar.tsx';
import { useBackend } from './shell/useBackend.ts';
import { useAppStore } from './store/index.ts';
import { useThemeOnDocument } from './theme.ts';

function Workbench() {
  useKeyboardShortcuts();
  useBackend();
  useRunSync();
  const paletteOpen = useAppStore((s) => s.paletteOpen);
  const inspectorOpen = useAppStore((s) => s.inspectorOpen);
  const focus = useAppStore((s) => s.focusSaved !== null);
  // Behind a modal dialog nothing can be clicked, focused or read out.
  const modal = useAppStore((s) => s.dialog !== null);
  const columns = `${paletteOpen ? 'var(--palette-width)' : focus ? '0' : 'var(--rail-width)'} minmax(0, 1fr) ${inspectorOpen ? 'var(--inspector-width)' : focus ? '0' : 'var(--rail-width)'}`;
  return (
    <ReactFlowProvider>
      <div className="app">
        <div className="behind-dialogs" inert={modal}>
          <Toolbar />
          <div className={`workspace${focus ? ' focus-mode' : ''}`} style={{ gridTemplateColumns: columns }}>
            {paletteOpen ? <Palette /> : focus ? <span /> : <PanelRail which="palette" />}
            <main className="center">
              <Canvas />
              <FocusModeChip />
              <RunBanner />
              <CanvasDiffBanner />
              <AlertBanner />
              <BottomPanel />
            </main>
            {inspectorOpen ? <Inspector /> : focus ? <span /> : <PanelRail which="inspector" />}
          </div>
          <StatusBar />
        </div>
        <Dialogs />
        <div className="shell-overlays">
          <ConnectionBanner />
          <NoticeBar />
        </div>
      </div>
    </ReactFlowProvider>
  );
}

export function App() {
  useThemeOnDocument();
  return (
    <CrashBoundary>
      <Workbench />
    </CrashBoundary>
  );
}
