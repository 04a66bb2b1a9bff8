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
import { StatusBar } from './shell/StatusBar.tsx';
import { Toolbar } from './shell/Toolbar.tsx';
import { useBackend } from './shell/useBackend.ts';
import { useThemeOnDocument } from './theme.ts';

function Workbench() {
  useKeyboardShortcuts();
  useBackend();
  useRunSync();
  return (
    <ReactFlowProvider>
      <div className="app">
        <Toolbar />
        <div className="workspace">
          <Palette />
          <main className="center">
            <Canvas />
            <RunBanner />
            <CanvasDiffBanner />
            <AlertBanner />
            <BottomPanel />
          </main>
          <Inspector />
        </div>
        <StatusBar />
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
