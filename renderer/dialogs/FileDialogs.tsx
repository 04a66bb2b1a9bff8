/** Dialogs about files: open errors, save conflicts, unsaved changes, crash recovery. */
import { useTranslation } from 'react-i18next';
import { api, clientSession } from '../api/client.ts';
import { forceSave, openWithoutAsking, saveDocument, saveDocumentAs } from '../files/fileActions.ts';
import { appStore, useAppStore } from '../store/index.ts';
import type { DialogState } from '../store/uiSlice.ts';
import { Modal } from './Modal.tsx';

type Of<K extends DialogState['kind']> = Extract<DialogState, { kind: K }>;

const close = () => appStore.getState().closeDialog();

export function OpenErrorDialog({ dialog }: { dialog: Of<'open-error'> }) {
  const { t } = useTranslation();
  return (
    <Modal title={t('files.cannotOpen')} tone="danger" footer={<button type="button" className="button primary" onClick={close}>{t('common.ok')}</button>}>
      <p className="path-line">
        <code>{dialog.path}</code>
      </p>
      <p className="error-text" role="alert">{dialog.message}</p>
      {dialog.where && (
        <p>
          {t('files.where')}: <code>{dialog.where}</code>
        </p>
      )}
      <p className="muted small">{t('files.untouched')}</p>
    </Modal>
  );
}

export function SaveConflictDialog({ dialog }: { dialog: Of<'save-conflict'> }) {
  const { t } = useTranslation();
  return (
    <Modal
      title={t('files.conflictTitle')}
      footer={
        <>
          <button type="button" className="button" onClick={close}>{t('common.cancel')}</button>
          <button type="button" className="button" onClick={() => { close(); void saveDocumentAs(); }}>{t('action.saveAs')}</button>
          <button type="button" className="button danger" onClick={() => void forceSave(dialog.path)}>{t('files.overwrite')}</button>
        </>
      }
    >
      <p>{dialog.message}</p>
      <p className="path-line"><code>{dialog.path}</code></p>
    </Modal>
  );
}

export function ConfirmDiscardDialog({ dialog }: { dialog: Of<'confirm-discard'> }) {
  const { t } = useTranslation();
  const name = useAppStore((s) => s.doc.name);
  const proceed = () => {
    close();
    if (dialog.then === 'new') appStore.getState().openDialog({ kind: 'new' });
    else void openWithoutAsking(dialog.path);
  };
  return (
    <Modal
      title={t('files.unsavedTitle')}
      footer={
        <>
          <button type="button" className="button" onClick={close}>{t('common.cancel')}</button>
          <button type="button" className="button danger" onClick={proceed}>{t('files.discard')}</button>
          <button type="button" className="button primary" onClick={async () => { close(); if (await saveDocument()) proceed(); }}>{t('files.saveFirst')}</button>
        </>
      }
    >
      <p>{t('files.unsavedBody', { name })}</p>
    </Modal>
  );
}

export function RecoveryDialog({ dialog }: { dialog: Of<'recovery'> }) {
  const { t, i18n } = useTranslation();
  const restore = async (draftId: string) => {
    try {
      const draft = await api.restoreRecovery(draftId, clientSession);
      appStore.getState().loadDocument(draft.document, draft.path, { dirty: true, draftId: draft.draftId });
      appStore.getState().showStatus('info', 'recovery.restored', { name: draft.name });
      close();
    } catch (error) {
      appStore.getState().showStatus('error', 'recovery.failed', { message: String(error) });
    }
  };
  const discardAll = async () => {
    // A newer Pipewright's draft is left for it.
    await Promise.all(dialog.entries.filter((e) => !e.newerFormat).map((e) => api.discardRecovery(e.draftId).catch(() => undefined)));
    close();
  };
  return (
    <Modal
      title={t('recovery.title')}
      footer={
        <>
          <button type="button" className="button" onClick={() => void discardAll()}>{t('recovery.discardAll')}</button>
          <button type="button" className="button" onClick={close}>{t('recovery.later')}</button>
        </>
      }
    >
      <p>{t('recovery.body')}</p>
      <ul className="recovery-list">
        {dialog.entries.map((e) => (
          <li key={e.draftId}>
            <div>
              <strong>{e.name}</strong>
              <div className="muted small">
                {e.path ?? t('recovery.neverSaved')} · {new Date(e.savedAt).toLocaleString(i18n.language)}
              </div>
              {e.newerFormat && <div className="small error-text">{t('backend.drafts.newer', { format: e.newerFormat })}</div>}
            </div>
            <button type="button" className="button primary" disabled={e.newerFormat !== undefined} onClick={() => void restore(e.draftId)}>{t('recovery.restore')}</button>
          </li>
        ))}
      </ul>
    </Modal>
  );
}

