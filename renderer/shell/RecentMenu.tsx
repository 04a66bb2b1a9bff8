/** Open Recent: the back end's list of recently opened and saved files. */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RecentFile } from '../../shared/api/files.ts';
import { api } from '../api/client.ts';
import { openDocument } from '../files/fileActions.ts';
import { Icon } from './Icon.tsx';

export function RecentMenu() {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [files, setFiles] = useState<RecentFile[] | null>(null);
  const root = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    setFiles(null);
    api.listRecentFiles().then(setFiles, () => setFiles([]));
    const onDown = (e: MouseEvent) => {
      if (!root.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, [open]);
  return (
    <div className="menu-root" ref={root}>
      <button type="button" className="tool-button" aria-haspopup="menu" aria-expanded={open} title={t('action.openRecent')} aria-label={t('action.openRecent')} onClick={() => setOpen(!open)}>
        <Icon name="recent" />
        <Icon name="chevron" size={12} />
      </button>
      {open && (
        <div className="menu" role="menu" onKeyDown={(e) => e.key === 'Escape' && setOpen(false)}>
          {files === null && <div className="menu-note">{t('common.loading')}</div>}
          {files?.length === 0 && <div className="menu-note">{t('files.noRecent')}</div>}
          {files?.map((f) => (
            <button
              key={f.path}
              type="button"
              role="menuitem"
              className="menu-item"
              disabled={!f.exists}
              title={f.path}
              onClick={() => {
                setOpen(false);
                void openDocument(f.path);
              }}
            >
              <span>{f.name}</span>
              <span className="muted small">{f.path}</span>
            </button>
          ))}
          {files && files.length > 0 && (
            <button type="button" role="menuitem" className="menu-item muted" onClick={() => void api.clearRecentFiles().then(() => setFiles([]))}>
              {t('files.clearRecent')}
            </button>
          )}
        </div>
      )}
    </div>
  );
}
