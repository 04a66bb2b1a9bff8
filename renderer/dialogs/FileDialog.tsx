/** The app's own file dialog (browser mode): folders and files listed by the back end. */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DirectoryListing } from '../../shared/api/files.ts';
import { api } from '../api/client.ts';
import { resolvePick } from '../files/pathPicker.ts';
import { useAppStore } from '../store/index.ts';
import type { DialogState } from '../store/uiSlice.ts';
import { Modal } from './Modal.tsx';

type FileDialogState = Extract<DialogState, { kind: 'file' }>;

let lastDirectory: string | null = null;

export function joinPath(dir: string, name: string, sep: string): string {
  if (name.startsWith(sep) || /^[A-Za-z]:[\\/]/.test(name)) return name;
  return dir.endsWith(sep) ? `${dir}${name}` : `${dir}${sep}${name}`;
}

export function FileDialog({ dialog }: { dialog: FileDialogState }) {
  const { t } = useTranslation();
  const sep = useAppStore((s) => s.session?.pathSeparator ?? '/');
  const [listing, setListing] = useState<DirectoryListing | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [name, setName] = useState(dialog.mode === 'save' ? dialog.suggestedName : '');
  // What the user typed into the folder box; null shows the listed folder. Counted, so a listing that
  // arrives while they type does not overwrite (or get mixed into) their text.
  const [typedFolder, setTypedFolder] = useState<string | null>(null);
  const edits = useRef(0);

  const load = async (path: string | null) => {
    const editsAtStart = edits.current;
    try {
      const next = await api.listDirectory(path, { filter: 'pipelines' });
      setListing(next);
      lastDirectory = next.path;
      setError(null);
      if (edits.current === editsAtStart) setTypedFolder(null);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  useEffect(() => {
    void load(lastDirectory);
  }, []);

  const dir = listing?.path ?? '';
  const folderText = typedFolder ?? dir;
  const confirm = () => {
    if (dialog.mode === 'export') resolvePick(name ? joinPath(folderText, name, sep) : folderText);
    else if (name) resolvePick(joinPath(folderText, name, sep));
  };
  const title = t(`fileDialog.${dialog.mode}`);
  const entries = (listing?.entries ?? []).filter((e) => dialog.mode !== 'export' || e.kind === 'directory');
  return (
    <Modal
      title={title}
      wide
      onClose={() => resolvePick(null)}
      footer={
        <>
          <button type="button" className="button" onClick={() => resolvePick(null)}>{t('common.cancel')}</button>
          <button type="button" className="button primary" disabled={dialog.mode !== 'export' && !name} onClick={confirm}>
            {t(`fileDialog.confirm.${dialog.mode}`)}
          </button>
        </>
      }
    >
      <div className="file-dialog">
        <nav className="file-places" aria-label={t('fileDialog.places')}>
          {listing?.places.map((p) => (
            <button key={p.path} type="button" className="link" onClick={() => void load(p.path)}>
              {p.label}
            </button>
          ))}
        </nav>
        <div className="file-main">
          <div className="file-path">
            <button type="button" className="button small" disabled={!listing?.parent} onClick={() => void load(listing?.parent ?? null)} aria-label={t('fileDialog.up')}>
              ↑
            </button>
            <input
              aria-label={t('fileDialog.folder')}
              value={folderText}
              onChange={(e) => {
                edits.current += 1;
                setTypedFolder(e.target.value);
              }}
              onKeyDown={(e) => {
                if (e.key !== 'Enter') return;
                edits.current += 1;
                void load(folderText);
              }}
            />
          </div>
          {error && <p className="error-text" role="alert">{error}</p>}
          <ul className="file-list" role="listbox" aria-label={t('fileDialog.entries')}>
            {entries.length === 0 && <li className="muted small">{t('fileDialog.empty')}</li>}
            {entries.map((e) => (
              <li key={e.path} role="option" aria-selected={name === e.name}>
                <button
                  type="button"
                  className={`file-entry ${e.kind} ${name === e.name ? 'selected' : ''}`}
                  onClick={() => (e.kind === 'directory' ? void load(e.path) : setName(e.name))}
                  onDoubleClick={() => e.kind === 'file' && dialog.mode === 'open' && resolvePick(e.path)}
                >
                  <span className="file-icon" aria-hidden="true">{e.kind === 'directory' ? '▸' : '≡'}</span>
                  <span className="file-entry-name">{e.name}</span>
                </button>
              </li>
            ))}
          </ul>
          <div className="file-name-row">
            <label htmlFor="file-dialog-name">{t(dialog.mode === 'export' ? 'fileDialog.subfolder' : 'fileDialog.name')}</label>
            <input id="file-dialog-name" value={name} onChange={(e) => setName(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && confirm()} />
          </div>
        </div>
      </div>
    </Modal>
  );
}
