/** Notices the back end has for the user (a damaged or newer state file), each shown until dismissed. */
import { useTranslation } from 'react-i18next';
import type { DataNotice } from '../../shared/api/notices.ts';
import { api } from '../api/client.ts';
import { appStore, useAppStore } from '../store/index.ts';
import './shell.css';

function NoticeText({ notice }: { notice: DataNotice }) {
  const { t } = useTranslation();
  const values = { what: t(`backend.notices.what.${notice.file}`), path: notice.path, version: notice.version ?? '', keptAs: notice.keptAs ?? '' };
  if (notice.kind === 'newer-version') return <p>{t('backend.notices.newer', values)}</p>;
  return (
    <>
      <p>
        {t(notice.file === 'draft' ? 'backend.notices.corruptDraft' : 'backend.notices.corrupt', values)}
        {notice.keptAs ? ` ${t('backend.notices.kept', values)}` : ''}
      </p>
      <p className="muted small">{t('backend.notices.detail', { detail: notice.detail })}</p>
    </>
  );
}

export function NoticeBar() {
  const { t } = useTranslation();
  const notices = useAppStore((s) => s.notices);
  if (notices.length === 0) return null;
  const dismiss = (id: string) => {
    const state = appStore.getState();
    state.setNotices(state.notices.filter((n) => n.id !== id));
    void api.dismissNotice(id).catch(() => undefined);
  };
  return (
    <section className="notice-bar" aria-label={t('backend.notices.label')} data-testid="notices">
      {notices.map((notice) => (
        <div key={notice.id} className={`notice ${notice.kind}`} role="alert" data-testid="notice">
          <div className="notice-text">
            <NoticeText notice={notice} />
          </div>
          <button type="button" className="button" onClick={() => dismiss(notice.id)}>{t('backend.notices.dismiss')}</button>
        </div>
      ))}
    </section>
  );
}
