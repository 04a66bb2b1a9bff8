/** The run history (a tab of the bottom panel): filter, open on the canvas, compare two, delete. */
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RunPhase, RunTarget } from '../../shared/runs/types.ts';
import { Modal } from '../dialogs/Modal.tsx';
import { useAppStore } from '../store/index.ts';
import { deleteRun, openRun } from './runActions.ts';
import { RunDiffDialog } from './diff/RunDiffDialog.tsx';
import { filterRuns, togglePick } from './runFilter.ts';
import type { RunFilter } from './runFilter.ts';
import { formatDuration, formatStart, isTerminal, runDurationMs } from './runFormat.ts';
import { shownRunId } from './runsSlice.ts';
import { loadRuns } from './runSync.ts';
import { useDurationUnits } from './useDurationUnits.ts';
import { useNow } from './useNow.ts';
import './runs.css';

const TARGETS: RunTarget[] = ['local', 'kfp', 'argo'];
const PHASES: RunPhase[] = ['pending', 'running', 'succeeded', 'failed', 'cancelled', 'error'];

/** `name=value` words of a run's parameter values. */
function parameterWords(values: Readonly<Record<string, string | number | boolean>> | undefined): string {
  return Object.entries(values ?? {})
    .map(([name, value]) => `${name}=${typeof value === 'string' ? JSON.stringify(value) : String(value)}`)
    .join(' ');
}

export function RunsList() {
  const { t, i18n } = useTranslation();
  const units = useDurationUnits();
  const runs = useAppStore((s) => s.runs);
  const loaded = useAppStore((s) => s.runsLoaded);
  const shown = useAppStore(shownRunId);
  const [filter, setFilter] = useState<RunFilter>({ text: '', target: 'all', phase: 'all' });
  const [picked, setPicked] = useState<string[]>([]);
  const [deleting, setDeleting] = useState<string | null>(null);
  const [opening, setOpening] = useState<{ id: string; name: string } | null>(null);
  const [comparing, setComparing] = useState<{ ids: string[]; withDocument: boolean } | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const all = useMemo(() => Object.values(runs), [runs]);
  const list = useMemo(() => filterRuns(all, filter), [all, filter]);
  // The run-time parameter values each run used, as a column when any listed run had some.
  const withParams = list.some((r) => r.parameterValues && Object.keys(r.parameterValues).length > 0);
  const now = useNow(all.some((r) => !isTerminal(r)));
  const current = useAppStore((s) => s.doc.name);

  const open = async (id: string, discard = false) => {
    const result = await openRun(id, discard);
    if (result.kind === 'needs-confirm') setOpening({ id, name: result.pipelineName });
  };
  const refresh = () => {
    setLoadError(null);
    loadRuns().catch((e: unknown) => setLoadError(e instanceof Error ? e.message : String(e)));
  };

  return (
    <div className="runs-list">
      <div className="runs-toolbar">
        <input type="search" placeholder={t('runs.list.filter')} aria-label={t('runs.list.filter')} value={filter.text} onChange={(e) => setFilter({ ...filter, text: e.target.value })} />
        <select aria-label={t('runs.list.target')} value={filter.target} onChange={(e) => setFilter({ ...filter, target: e.target.value as RunFilter['target'] })}>
          <option value="all">{t('runs.list.allTargets')}</option>
          {TARGETS.map((tg) => (
            <option key={tg} value={tg}>
              {t(`run.target.${tg}`)}
            </option>
          ))}
        </select>
        <select aria-label={t('runs.list.phase')} value={filter.phase} onChange={(e) => setFilter({ ...filter, phase: e.target.value as RunFilter['phase'] })}>
          <option value="all">{t('runs.list.allPhases')}</option>
          {PHASES.map((p) => (
            <option key={p} value={p}>
              {t(`runs.runPhase.${p}`)}
            </option>
          ))}
        </select>
        <button type="button" className="button small" disabled={picked.length < 2} title={t('runs.list.compareHelp')} onClick={() => setComparing({ ids: picked, withDocument: false })}>
          {t('runs.list.compare')}
        </button>
        <button type="button" className="button small" disabled={picked.length !== 1} title={t('runs.list.compareHelp')} onClick={() => setComparing({ ids: picked, withDocument: true })}>
          {t('runs.list.compareDocument')}
        </button>
        <button type="button" className="button small" onClick={refresh}>
          {t('runs.list.refresh')}
        </button>
      </div>
      {loadError && <p className="error-text">{t('runs.list.loadFailed', { message: loadError })}</p>}
      {loaded && list.length === 0 ? (
        <p className="muted runs-empty">{all.length === 0 ? t('runs.list.empty') : t('runs.list.noMatch')}</p>
      ) : (
        <div className="runs-table-wrap">
          <table className="runs-table">
            <thead>
              <tr>
                <th aria-label={t('runs.list.compare')} />
                <th>{t('runs.list.run')}</th>
                <th>{t('runs.list.pipeline')}</th>
                {withParams && <th>{t('runs.list.parameters')}</th>}
                <th>{t('runs.list.target')}</th>
                <th>{t('runs.list.where')}</th>
                <th>{t('runs.list.phase')}</th>
                <th>{t('runs.list.started')}</th>
                <th>{t('runs.list.duration')}</th>
                <th className="row-actions-cell">{t('runs.list.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {list.map((r) => (
                <tr key={r.id} data-run-id={r.id} className={r.id === shown ? 'shown' : ''} onDoubleClick={() => void open(r.id)}>
                  <td>
                    <input type="checkbox" aria-label={t('runs.list.select', { id: r.id })} checked={picked.includes(r.id)} onChange={() => setPicked(togglePick(picked, r.id))} />
                  </td>
                  <td className="mono">{r.id}</td>
                  <td>{r.pipelineName}</td>
                  {withParams && (
                    <td className="mono small run-params" title={parameterWords(r.parameterValues)}>
                      {parameterWords(r.parameterValues)}
                    </td>
                  )}
                  <td>
                    {t(`run.target.${r.target}`)}
                    {r.scheduledBy && (
                      <span className="run-scheduled-badge" title={r.scheduledBy}>
                        {' '}
                        · {t('schedules.scheduledBy', { name: r.scheduleName ?? r.scheduledBy.replace(/^[a-z]+:/, '') })}
                      </span>
                    )}
                  </td>
                  <td className="muted">{r.target === 'local' ? '—' : [r.context, r.namespace].filter(Boolean).join(' / ')}</td>
                  <td>
                    <span className={`run-phase-badge phase-${r.phase}`} title={r.message}>
                      {t(`runs.runPhase.${r.phase}`)}
                    </span>
                  </td>
                  <td>{formatStart(r.createdAt, i18n.language)}</td>
                  <td>{formatDuration(runDurationMs(r, now), units)}</td>
                  <td className="row-actions-cell">
                    <div className="row-actions">
                      <button type="button" className="button small" onClick={() => void open(r.id)}>
                        {t('runs.list.open')}
                      </button>
                      <button type="button" className="button small danger" disabled={!isTerminal(r)} onClick={() => setDeleting(r.id)}>
                        {t('runs.list.delete')}
                      </button>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {deleting && (
        <Modal
          title={t('runs.list.confirmDeleteTitle', { id: deleting })}
          tone="danger"
          onClose={() => setDeleting(null)}
          footer={
            <>
              <button type="button" className="button" onClick={() => setDeleting(null)}>
                {t('common.cancel')}
              </button>
              <button
                type="button"
                className="button danger"
                onClick={() => {
                  const id = deleting;
                  setDeleting(null);
                  setPicked((p) => p.filter((x) => x !== id));
                  void deleteRun(id);
                }}
              >
                {t('runs.list.delete')}
              </button>
            </>
          }
        >
          <p>{t('runs.list.confirmDeleteBody')}</p>
        </Modal>
      )}
      {opening && (
        <Modal
          title={t('runs.list.openDirtyTitle', { id: opening.id })}
          onClose={() => setOpening(null)}
          footer={
            <>
              <button type="button" className="button" onClick={() => setOpening(null)}>
                {t('common.cancel')}
              </button>
              <button
                type="button"
                className="button primary"
                onClick={() => {
                  const id = opening.id;
                  setOpening(null);
                  void open(id, true);
                }}
              >
                {t('runs.list.openAnyway')}
              </button>
            </>
          }
        >
          <p>{t('runs.list.openDirtyBody', { name: opening.name, current })}</p>
        </Modal>
      )}
      {comparing && <RunDiffDialog ids={comparing.ids} withDocument={comparing.withDocument} onClose={() => setComparing(null)} />}
    </div>
  );
}
