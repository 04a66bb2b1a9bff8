/** Every validation problem; clicking one selects its node and focuses the field. */
import { useTranslation } from 'react-i18next';
import type { Problem } from '../../shared/pipeline/types.ts';
import { problemFieldKey } from '../inspector/fieldKeys.ts';
import { appStore, useAppStore } from '../store/index.ts';

function where(p: Problem): string {
  const parts = [p.location.nodeId, p.location.edgeId, problemFieldKey(p.location)].filter(Boolean);
  return parts.join(' · ');
}

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
  if (problems.length === 0) return <div className="pane-empty ok">{t('problems.none')}</div>;
  return (
    <ul className="problems-list" aria-label={t('problems.title')}>
      {problems.map((p, i) => (
        <li key={`${p.code}-${i}`}>
          <button type="button" className={`problem ${p.severity}`} onClick={() => reveal(p)} data-code={p.code}>
            <span className={`sev-icon ${p.severity}`} aria-label={t(`problems.${p.severity}`)} />
            <span className="problem-message">{p.message}</span>
            <span className="problem-where">{where(p)}</span>
            <span className="problem-code">{p.code}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}
