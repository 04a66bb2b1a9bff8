/** Everything the back end pushes to the renderer travels as one typed event stream. */
import type { RunEvent } from '../runs/types.ts';
import type { DataNotice } from './notices.ts';
import type { RecoveryEntry } from './recovery.ts';
import type { Settings } from './settings.ts';

/** Commands sent by native menus (desktop) to the renderer, which performs them like its own shortcuts. */
export const MENU_COMMANDS = [
  'file.new',
  'file.open',
  'file.openRecent',
  'file.save',
  'file.saveAs',
  'file.export',
  'file.exportMonitoring',
  'edit.undo',
  'edit.redo',
  'edit.duplicate',
  'edit.delete',
  'view.fitView',
  'view.autoLayout',
  'view.toggleOutput',
  'view.toggleProblems',
  'view.toggleRuns',
  'view.settings',
  'run.start',
  'run.cancel',
  'help.shortcuts',
  'help.about',
] as const;

export type MenuCommand = (typeof MENU_COMMANDS)[number];

export type ApiEvent =
  | { type: 'run'; event: RunEvent }
  /** `arg` carries the path for `file.openRecent`. */
  | { type: 'menu'; command: MenuCommand; arg?: string }
  /** Sent to each new subscriber while drafts from a crashed session wait to be restored or discarded. */
  | { type: 'recovery-available'; entries: RecoveryEntry[] }
  | { type: 'settings-changed'; settings: Settings }
  /** The shell wants to close the window while the document is dirty and the user chose to save. */
  | { type: 'save-before-close' }
  /** The notices not yet dismissed (sent to each new subscriber, and again whenever the list changes). */
  | { type: 'notices'; notices: DataNotice[] };

export type ApiEventListener = (event: ApiEvent) => void;

/** Where events come from, on either side of a transport. Returns the unsubscribe function. */
export interface ApiEventSource {
  subscribe(listener: ApiEventListener): () => void;
}
