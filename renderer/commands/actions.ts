/** Every user action as a registered object: id, label, shortcuts, run. Menus, toolbar, keys and help share them. */
import { fitView, fitViewSoon, nodeSize, zoomIn, zoomOut } from '../canvas/canvasControls.ts';
import { exportCompiled, newDocument, openDocument, saveDocument, saveDocumentAs } from '../files/fileActions.ts';
import { exportMonitoring } from '../monitoring/exportMonitoring.ts';
import { cancelShownRun, toggleRunsTab } from '../runs/runActions.ts';
import { problemsNow } from '../services/validation.ts';
import { appStore } from '../store/index.ts';
import { errorCount } from '../store/validationSlice.ts';
import { autoLayout, copySelectionText, deleteSelection, duplicateSelection, pasteText, selectAll } from './editing.ts';

export type ActionGroup = 'file' | 'edit' | 'view' | 'run' | 'help';

export interface Action {
  id: string;
  group: ActionGroup;
  /** i18n key of the label. */
  label: string;
  /** Shortcuts, e.g. `Mod+Shift+Z`; the first is the one shown. */
  kbd: string[];
  run(): void | Promise<unknown>;
  /**
   * `native`: the browser's own event does the work (copy/paste go through clipboard events);
   * the key handler lets the key through.
   */
  native?: boolean;
  /** Whether the action records an undo step. */
  undoable?: boolean;
}

/** What copy wrote last, for paste from a menu or button where the system clipboard cannot be read. */
let lastCopied: string | null = null;

export function rememberCopied(text: string): void {
  lastCopied = text;
}

export function startRun(): void {
  const state = appStore.getState();
  if (errorCount(problemsNow()) > 0) state.openDialog({ kind: 'blocked', action: 'run' });
  else state.openDialog({ kind: 'run' });
}

export const actions: readonly Action[] = [
  { id: 'file.new', group: 'file', label: 'action.new', kbd: ['Mod+N'], run: newDocument },
  { id: 'file.open', group: 'file', label: 'action.open', kbd: ['Mod+O'], run: () => openDocument() },
  { id: 'file.save', group: 'file', label: 'action.save', kbd: ['Mod+S'], run: saveDocument },
  { id: 'file.saveAs', group: 'file', label: 'action.saveAs', kbd: ['Mod+Shift+S'], run: saveDocumentAs },
  { id: 'file.export', group: 'file', label: 'action.export', kbd: ['Mod+E'], run: exportCompiled },
  { id: 'file.exportMonitoring', group: 'file', label: 'monitoring.export.action', kbd: [], run: exportMonitoring },
  { id: 'run.schedules', group: 'run', label: 'schedules.action', kbd: [], run: () => appStore.getState().openDialog({ kind: 'schedules' }) },
  { id: 'edit.undo', group: 'edit', label: 'action.undo', kbd: ['Mod+Z'], run: () => appStore.getState().undo(), undoable: true },
  { id: 'edit.redo', group: 'edit', label: 'action.redo', kbd: ['Mod+Shift+Z', 'Mod+Y'], run: () => appStore.getState().redo(), undoable: true },
  {
    id: 'edit.copy',
    group: 'edit',
    label: 'action.copy',
    kbd: ['Mod+C'],
    native: true,
    run: async () => {
      const text = copySelectionText();
      if (!text) return;
      rememberCopied(text);
      await navigator.clipboard?.writeText(text).catch(() => undefined);
    },
  },
  {
    id: 'edit.paste',
    group: 'edit',
    label: 'action.paste',
    kbd: ['Mod+V'],
    native: true,
    undoable: true,
    run: async () => {
      const text = (await navigator.clipboard?.readText().catch(() => null)) ?? lastCopied;
      if (text) pasteText(text);
    },
  },
  { id: 'edit.duplicate', group: 'edit', label: 'action.duplicate', kbd: ['Mod+D'], run: duplicateSelection, undoable: true },
  { id: 'edit.delete', group: 'edit', label: 'action.delete', kbd: ['Delete', 'Backspace'], run: deleteSelection, undoable: true },
  { id: 'edit.selectAll', group: 'edit', label: 'action.selectAll', kbd: ['Mod+A'], run: selectAll },
  { id: 'view.fitView', group: 'view', label: 'action.fitView', kbd: ['Shift+1'], run: () => fitView() },
  { id: 'view.zoomIn', group: 'view', label: 'action.zoomIn', kbd: ['='], run: zoomIn },
  { id: 'view.zoomOut', group: 'view', label: 'action.zoomOut', kbd: ['-'], run: zoomOut },
  { id: 'view.autoLayout', group: 'view', label: 'action.autoLayout', kbd: ['Mod+Shift+L'], run: layoutAndFit, undoable: true },
  { id: 'view.togglePalette', group: 'view', label: 'ux.action.togglePalette', kbd: ['Mod+B'], run: () => appStore.getState().togglePalette() },
  { id: 'view.toggleInspector', group: 'view', label: 'ux.action.toggleInspector', kbd: ['Mod+I'], run: () => appStore.getState().toggleInspector() },
  { id: 'view.focusMode', group: 'view', label: 'ux.action.focusMode', kbd: ['F'], run: toggleFocusMode },
  { id: 'view.toggleOutput', group: 'view', label: 'action.toggleOutput', kbd: ['Mod+J'], run: () => toggleTab('output') },
  { id: 'view.toggleProblems', group: 'view', label: 'action.toggleProblems', kbd: ['Mod+Shift+M'], run: () => toggleTab('problems') },
  { id: 'view.settings', group: 'view', label: 'action.settings', kbd: ['Mod+,'], run: () => appStore.getState().openDialog({ kind: 'settings' }) },
  { id: 'run.start', group: 'run', label: 'action.run', kbd: ['Mod+Enter'], run: startRun },
  { id: 'run.cancel', group: 'run', label: 'runs.panel.cancel', kbd: [], run: cancelShownRun },
  { id: 'view.toggleRuns', group: 'view', label: 'runs.list.tab', kbd: [], run: toggleRunsTab },
  { id: 'help.shortcuts', group: 'help', label: 'action.shortcuts', kbd: ['?', 'F1'], run: () => appStore.getState().openDialog({ kind: 'help' }) },
  { id: 'help.about', group: 'help', label: 'action.about', kbd: [], run: () => appStore.getState().openDialog({ kind: 'about' }) },
];

/** After an automatic layout the whole pipeline is in view (its new bounds can be anywhere). */
function layoutAndFit(): void {
  autoLayout(nodeSize);
  fitViewSoon();
}

/** Focus mode changes the canvas's size: fit the pipeline to the new size once the panels have moved. */
function toggleFocusMode(): void {
  appStore.getState().toggleFocusMode();
  fitViewSoon();
}

function toggleTab(tab: 'output' | 'problems'): void {
  const { bottomTab, bottomOpen, showBottom, toggleBottom } = appStore.getState();
  if (bottomOpen && bottomTab === tab) toggleBottom();
  else showBottom(tab);
}

const byId = new Map(actions.map((a) => [a.id, a]));

export function findAction(id: string): Action | undefined {
  return byId.get(id);
}

export function runAction(id: string): void {
  const action = byId.get(id);
  if (action) void action.run();
}
