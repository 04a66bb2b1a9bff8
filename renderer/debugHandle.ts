/** `window.pipewright_debug`: read-only views and document loading for end-to-end tests and benchmarks. */
import type { PipelineDocument } from '../shared/pipeline/types.ts';
import type { NodePhase } from '../shared/runs/types.ts';
import { setViewport } from './canvas/canvasControls.ts';
import { currentOutputText } from './panels/OutputPane.tsx';
import { appStore } from './store/index.ts';

export interface DebugHandle {
  document(): PipelineDocument;
  selection(): string[];
  problems(): { severity: string; code: string; nodeId?: string }[];
  outputText(): string;
  loadDocument(doc: PipelineDocument): void;
  setRunView(nodeId: string, phase: NodePhase, progress: number, loss: number[]): void;
  setViewport(viewport: { x: number; y: number; zoom: number }): void;
}

declare global {
  interface Window {
    pipewright_debug?: DebugHandle;
  }
}

export function installDebugHandle(): void {
  window.pipewright_debug = {
    document: () => appStore.getState().doc,
    selection: () => appStore.getState().selectedNodeIds,
    problems: () => appStore.getState().problems.map((p) => ({ severity: p.severity, code: p.code, ...(p.location.nodeId ? { nodeId: p.location.nodeId } : {}) })),
    outputText: currentOutputText,
    loadDocument: (doc) => appStore.getState().loadDocument(doc, null),
    setRunView: (nodeId, phase, progress, loss) => appStore.getState().setNodeRunView(nodeId, { phase, progress, loss }),
    setViewport,
  };
}
