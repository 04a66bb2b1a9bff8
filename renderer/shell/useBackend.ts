/** Start-up and the back end's side of the session: app info, settings, recovery, events, title. */
import { useEffect } from 'react';
import type { ApiEvent } from '../../shared/api/events.ts';
import type { Settings } from '../../shared/api/settings.ts';
import { api, isDesktop, onConnectionStatus, onEvent } from '../api/client.ts';
import type { ConnectionStatus } from '../api/client.ts';
import { runAction } from '../commands/actions.ts';
import { openDocument, saveDocument } from '../files/fileActions.ts';
import { changeLanguage, resolveLanguage } from '../i18n/index.ts';
import { startAutosave } from '../services/autosave.ts';
import { applyRunEvent } from '../services/runEvents.ts';
import { startLiveValidation } from '../services/validation.ts';
import { isDirty } from '../store/documentSlice.ts';
import { appStore, useAppStore } from '../store/index.ts';
import type { RecoveryEntry } from '../../shared/api/recovery.ts';

function applySettings(settings: Settings): void {
  const state = appStore.getState();
  state.setTheme(settings.theme);
  state.setLanguage(settings.language);
  state.setEstimateSettings({ defaultGpuProduct: settings.defaultGpuProduct, gpuPrices: settings.gpuPrices });
}

/**
 * Drafts left behind, as the back end lists them (at start, and again whenever the list changes: a
 * tab closed or reloaded, a draft taken or discarded). An open offer follows the list; a new offer
 * opens only for drafts this window has not offered yet.
 */
export function offerRecovery(entries: RecoveryEntry[]): void {
  const state = appStore.getState();
  const others = entries.filter((e) => e.draftId !== state.draftId);
  if (state.dialog?.kind === 'recovery') {
    if (others.length === 0) state.closeDialog();
    else state.openDialog({ kind: 'recovery', entries: others });
    state.markDraftsOffered(others.map((e) => e.draftId));
    return;
  }
  const offered = new Set(state.offeredDrafts);
  if (state.dialog === null && others.some((e) => !offered.has(e.draftId))) {
    state.openDialog({ kind: 'recovery', entries: others });
    state.markDraftsOffered(others.map((e) => e.draftId));
  }
}

function connectionChanged(status: ConnectionStatus): void {
  const state = appStore.getState();
  const wasLost = state.connection === 'disconnected' || state.connection === 'rejected';
  state.setConnection(status);
  if (status !== 'connected' || !wasLost) return;
  // Whatever changed while away (settings from another tab, drafts on offer) comes again: the back end
  // greets the new subscription with the current settings, in order with later changes.
  state.showStatus('info', 'backend.connection.reconnected');
}

function handleEvent(event: ApiEvent): void {
  switch (event.type) {
    case 'run':
      applyRunEvent(event.event);
      break;
    case 'menu':
      if (event.command === 'file.openRecent' && event.arg) void openDocument(event.arg);
      else runAction(event.command);
      break;
    case 'settings-changed':
      applySettings(event.settings);
      break;
    case 'recovery-available':
      offerRecovery(event.entries);
      break;
    case 'save-before-close':
      void saveDocument();
      break;
    case 'notices':
      // The whole list, sent on subscribing and on each change (so no separate fetch can overtake it).
      appStore.getState().setNotices(event.notices);
      break;
  }
}

export function useBackend(): void {
  useEffect(() => {
    let cancelled = false;
    api.getAppInfo().then(
      (info) => !cancelled && appStore.getState().setSession({ mode: info.mode, nativeDialogs: info.nativeDialogs, homeDir: info.homeDir, pathSeparator: info.pathSeparator, version: info.version }),
      () => undefined,
    );
    // Settings come only over the event stream: the back end greets each subscription with the current
    // settings, in order with every later change. A separate read could answer after a newer change
    // and put the old values back (a language switched just after start reverted to the old one).
    api.listRecovery().then((entries) => !cancelled && offerRecovery(entries), () => undefined);
    let unsubscribe = () => {};
    let stopStatus = () => {};
    try {
      unsubscribe = onEvent(handleEvent);
      stopStatus = onConnectionStatus(connectionChanged);
    } catch {
      // No back end (a static page): the editor still works, files and runs report their errors.
    }
    const stopValidation = startLiveValidation();
    const stopAutosave = startAutosave();
    return () => {
      cancelled = true;
      unsubscribe();
      stopStatus();
      stopValidation();
      stopAutosave();
    };
  }, []);

  const language = useAppStore((s) => s.language);
  useEffect(() => {
    const lang = resolveLanguage(language);
    void changeLanguage(lang).then(() => appStore.getState().setUiLang(lang));
  }, [language]);

  const dirty = useAppStore(isDirty);
  const name = useAppStore((s) => s.doc.name);
  const path = useAppStore((s) => s.filePath);
  useEffect(() => {
    document.title = `${dirty ? '● ' : ''}${name} — Pipewright`;
    api.reportDocumentState({ dirty, title: name, path }).catch(() => undefined);
  }, [dirty, name, path]);

  // Browser mode: closing the tab with unsaved changes asks (the desktop shell asks through reportDocumentState).
  useEffect(() => {
    if (!dirty || isDesktop()) return;
    const ask = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', ask);
    return () => window.removeEventListener('beforeunload', ask);
  }, [dirty]);
}
