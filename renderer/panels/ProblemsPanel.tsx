/** Every validation problem; clicking one selects its node and focuses the field. */
import { useTranslation } from 'react-i18next';
import type { Problem } from '../../shared/pipeline/types.ts';
import { useLang } from '../i18n/index.ts';
import { problemText, problemWhere } from '../i18n/problems.ts';
import { problemFieldKey } from '../inspector/fieldKeys.ts';
import { appStore, useAppStore } from '../store/index.ts';

export function reveal(p: Problem): void {
  const state = appStore.getState();
  if (p.location.edgeId && !p.location.nodeId) {
    state.select([], [p.location.edgeId]);
    return;
  }
  state.requestFocus(p.location.nodeId ?? null, problemFieldKey(p.location) ?? 'label');
}

export function ProblemsPanel() {
  const { t } = useTranslation();
  const problems = useAppStore((s) => s.problems);
  const lang = useLang();
  if (problems.length === 0) return <div className="pane-empty ok">{t('problems.none')}</div>;
  return (
    <ul className="problems-list" aria-label={t('problems.title')}>
      {problems.map((p, i) => (
        <li key={`${p.code}-${i}`}>
          <button type="button" className={`problem ${p.severity}`} onClick={() => reveal(p)} data-code={p.code}>
            <span className={`sev-icon ${p.severity}`} aria-label={t(`problems.${p.severity}`)} />
            <span className="problem-message" title={p.message}>
              {problemText(p, lang)}
            </span>
            <span className="problem-where">{problemWhere(p)}</span>
            <span className="problem-code">{p.code}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}
