/** The run's steps, each with its phase; choosing one shows its log and charts (and selects it on the canvas). */
import { useTranslation } from 'react-i18next';
import type { RunSummary } from '../../shared/runs/types.ts';
import { appStore, useAppStore } from '../store/index.ts';

export function RunNodeList({ run, active }: { run: RunSummary; active: string | null }) {
  const { t } = useTranslation();
  const labels = useAppStore((s) => s.doc.nodes);
  const labelOf = (id: string) => labels.find((n) => n.id === id)?.label || id;
  const choose = (id: string) => {
    const state = appStore.getState();
    state.setPanelNode(id);
    if (state.doc.nodes.some((n) => n.id === id)) state.select([id]);
  };
  return (
    <ul className="run-nodes" role="listbox" aria-label={t('runs.panel.step')}>
      {Object.entries(run.nodes).map(([id, node]) => {
        const pct = node.progress && node.progress.total > 0 && node.phase === 'running' ? Math.round((node.progress.current / node.progress.total) * 100) : null;
        return (
          <li key={id} role="option" aria-selected={id === active} className={id === active ? 'active' : ''} data-node-id={id} data-phase={node.phase} onClick={() => choose(id)}>
            <span className={`phase-dot phase-${node.phase}`} title={t(`phase.${node.phase}`)} />
            <span className="run-node-name">{labelOf(id)}</span>
            {node.hint && (
              <span className="node-hint" title={`${node.hint.reason}: ${node.hint.hint}`}>
                ⚠
              </span>
            )}
            {pct !== null && <span className="muted small">{pct}%</span>}
          </li>
        );
      })}
    </ul>
  );
}
