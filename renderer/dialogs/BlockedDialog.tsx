/** Run and Export wait until the document has no errors: say how many, and where. */
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useLang } from '../i18n/index.ts';
import { problemText } from '../i18n/problems.ts';
import { reveal } from '../panels/ProblemsPanel.tsx';
import { appStore, useAppStore } from '../store/index.ts';
import { Modal } from './Modal.tsx';

const SHOWN = 6;

export function BlockedDialog({ action }: { action: 'run' | 'export' }) {
  const { t } = useTranslation();
  const lang = useLang();
  const problems = useAppStore((s) => s.problems);
  const errors = useMemo(() => problems.filter((p) => p.severity === 'error'), [problems]);
  const showProblems = () => {
    appStore.getState().closeDialog();
    appStore.getState().showBottom('problems');
  };
  return (
    <Modal
      title={t(`blocked.title.${action}`)}
      tone="danger"
      footer={
        <button type="button" className="button primary" onClick={showProblems}>
          {t('blocked.showProblems')}
        </button>
      }
    >
      <p role="alert">{t('blocked.summary', { count: errors.length })}</p>
      <ul className="blocked-list">
        {errors.slice(0, SHOWN).map((p, i) => (
          <li key={i}>
            <button
              type="button"
              className="link"
              onClick={() => {
                appStore.getState().closeDialog();
                reveal(p);
              }}
            >
              {p.location.nodeId && <code>{p.location.nodeId}</code>} {problemText(p, lang)}
            </button>
          </li>
        ))}
      </ul>
      {errors.length > SHOWN && <p className="muted small">{t('blocked.more', { count: errors.length - SHOWN })}</p>}
    </Modal>
  );
}
