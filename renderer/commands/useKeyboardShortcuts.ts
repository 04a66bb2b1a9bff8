/** Routes key presses to registered actions, and clipboard events to copy/paste of nodes. */
import { useEffect } from 'react';
import { appStore } from '../store/index.ts';
import { actions, rememberCopied } from './actions.ts';
import { copySelectionText, pasteText } from './editing.ts';
import type { KeyLike } from './keys.ts';
import { matchesChord } from './keys.ts';

/** Typing in a field keeps its own keys (undo in a text box undoes text, Delete deletes characters). */
export function isTextTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target.closest('.monaco-editor')) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) return !['checkbox', 'radio', 'button', 'submit', 'range'].includes(target.type);
  return false;
}

/** Keys that still work while typing: they make no sense for text. */
const GLOBAL_IN_FIELDS = new Set(['file.new', 'file.open', 'file.save', 'file.saveAs', 'file.export', 'run.start', 'view.settings']);

/** The action a key press triggers, if any. */
export function actionForKey(event: KeyLike, inTextField: boolean, dialogOpen: boolean) {
  for (const action of actions) {
    if (!action.kbd.some((k) => matchesChord(k, event))) continue;
    if (dialogOpen) return undefined;
    if (inTextField && !GLOBAL_IN_FIELDS.has(action.id)) return undefined;
    return action;
  }
  return undefined;
}

export function useKeyboardShortcuts(): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      const action = actionForKey(event, isTextTarget(event.target), appStore.getState().dialog !== null);
      if (!action || action.native) return;
      event.preventDefault();
      void action.run();
    };
    const onCopy = (event: ClipboardEvent) => {
      if (isTextTarget(event.target) || appStore.getState().dialog) return;
      const text = copySelectionText();
      if (!text || !event.clipboardData) return;
      event.clipboardData.setData('text/plain', text);
      rememberCopied(text);
      event.preventDefault();
      appStore.getState().showStatus('info', 'edit.copied', { count: appStore.getState().selectedNodeIds.length });
    };
    const onPaste = (event: ClipboardEvent) => {
      if (isTextTarget(event.target) || appStore.getState().dialog) return;
      const text = event.clipboardData?.getData('text/plain') ?? '';
      if (pasteText(text) > 0) event.preventDefault();
    };
    window.addEventListener('keydown', onKeyDown);
    document.addEventListener('copy', onCopy);
    document.addEventListener('paste', onPaste);
    return () => {
      window.removeEventListener('keydown', onKeyDown);
      document.removeEventListener('copy', onCopy);
      document.removeEventListener('paste', onPaste);
    };
  }, []);
}
