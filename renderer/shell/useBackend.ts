/** Start-up and the back end's side of the session: app info, settings, recovery, events, title. */
import { useEffect } from 'react';
import type { ApiEvent } from '../../shared/api/events.ts';
import type { Settings } from '../../shared/api/settings.ts';
import { api, isDesktop, onEvent } from '../api/client.ts';
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
}

function offerRecovery(entries: RecoveryEntry[]): void {
  const state = appStore.getState();
  const mine = entries.filter((e) => e.draftId !== state.draftId);
  if (mine.length > 0 && (state.dialog === null || state.dialog.kind === 'recovery')) state.openDialog({ kind: 'recovery', entries: mine });
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
  }
}

export function useBackend(): void {
  useEffect(() => {
    let cancelled = false;
    api.getAppInfo().then(
      (info) => !cancelled && appStore.getState().setSession({ mode: info.mode, nativeDialogs: info.nativeDialogs, homeDir: info.homeDir, pathSeparator: info.pathSeparator, version: info.version }),
      () => undefined,
    );
    api.getSettings().then((s) => !cancelled && applySettings(s), () => undefined);
    api.listRecovery().then((entries) => !cancelled && offerRecovery(entries), () => undefined);
    let unsubscribe = () => {};
    try {
      unsubscribe = onEvent(handleEvent);
    } catch {
      // No back end (a static page): the editor still works, files and runs report their errors.
    }
    const stopValidation = startLiveValidation();
    const stopAutosave = startAutosave();
    return () => {
      cancelled = true;
      unsubscribe();
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
