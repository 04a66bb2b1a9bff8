/** Ties an inspector control's unsavable text to the store's field drafts, so it is listed, survives switching nodes and can be put back with Esc. */
import { useEffect } from 'react';
import type { KeyboardEvent } from 'react';
import { appStore } from '../store/index.ts';
import { draftKey } from './fieldDrafts.ts';
import { fieldRefOf } from './fieldKeys.ts';

/** The draft text this control left unsaved earlier (before its node was switched away from), if any. */
export function draftTextOf(domId: string): string | undefined {
  const ref = fieldRefOf(domId);
  return ref ? appStore.getState().fieldDrafts[draftKey(ref.nodeId, ref.key)]?.text : undefined;
}

interface DraftState {
  domId: string;
  label: string;
  text: string;
  /** Why `text` cannot be saved; null when it can (or is empty). */
  error: string | null;
  /** The document's value as the field shows it. */
  saved: string;
}

/** Keeps the store's draft for this control equal to what it shows: set while its text cannot be saved, cleared once it can. */
export function useFieldDraft({ domId, label, text, error, saved }: DraftState): void {
  useEffect(() => {
    const ref = fieldRefOf(domId);
    if (!ref) return;
    const state = appStore.getState();
    if (error) state.setFieldDraft({ nodeId: ref.nodeId, field: ref.key, label, text, message: error, saved });
    else state.clearFieldDraft(ref.nodeId, ref.key);
  }, [domId, label, text, error, saved]);
}

/**
 * Esc in a control holding unsavable text: put the saved value back and say so in the status line. Returns
 * whether it did (the caller then shows `saved`); Esc does nothing else then (focus mode stays on).
 */
export function revertOnEscape(event: KeyboardEvent, { domId, label, text, error, saved }: DraftState): boolean {
  if (event.key !== 'Escape' || !error) return false;
  event.preventDefault();
  event.stopPropagation();
  const ref = fieldRefOf(domId);
  const state = appStore.getState();
  if (ref) state.clearFieldDraft(ref.nodeId, ref.key);
  state.showStatus('info', saved === '' ? 'drafts.revertedEmpty' : 'drafts.reverted', { label, text, saved });
  return true;
}
