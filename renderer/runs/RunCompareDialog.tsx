/** Two runs side by side: parameters that differ per step, and each step's final metrics. */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { catalog } from '../../node-catalog/index.ts';
import type { RunRecord } from '../../shared/runs/types.ts';
import { api } from '../api/client.ts';
import { Modal } from '../dialogs/Modal.tsx';
import { compareMetrics, diffParameters } from './runCompare.ts';
import { formatMetric } from './runFormat.ts';

interface Props {
  ids: [string, string];
  onClose(): void;
}

export function RunCompareDialog({ ids, onClose }: Props) {
  const { t } = useTranslation();
  const [runs, setRuns] = useState<[RunRecord, RunRecord] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    Promise.all([api.getRun(ids[0]), api.getRun(ids[1])]).then(
      (pair) => live && setRuns(pair),
      (e: unknown) => live && setError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      live = false;
    };
  }, [ids]);

  const [a, b] = runs ?? [];
  const params = a && b ? diffParameters(a.document, b.document, catalog) : [];
  const metrics = a && b ? compareMetrics(a, b) : [];
  const absent = <span className="muted">{t('runs.compare.absent')}</span>;
  const head = (
    <tr>
      <th>{t('runs.compare.step')}</th>
      <th>{t('runs.compare.field')}</th>
      <th className="run-col">{ids[0]}</th>
      <th className="run-col">{ids[1]}</th>
    </tr>
  );
  return (
    <Modal title={t('runs.compare.title')} wide onClose={onClose}>
      <div className="run-compare" data-testid="run-compare">
        {error && <p className="error-text">{t('runs.compare.failed', { message: error })}</p>}
        {!runs && !error && <p className="muted">{t('runs.compare.loading')}</p>}
        {runs && (
          <>
            <h3>{t('runs.compare.params')}</h3>
            {params.length === 0 ? (
              <p className="muted">{t('runs.compare.same')}</p>
            ) : (
              <table className="compare-table">
                <thead>{head}</thead>
                <tbody>
                  {params.map((d) => (
                    <tr key={`${d.nodeId}/${d.field}`}>
                      <td>{d.nodeId}</td>
                      <td>
                        <code>{d.field}</code>
                      </td>
                      <td className="diff-a">{d.a ?? absent}</td>
                      <td className="diff-b">{d.b ?? absent}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            <h3>{t('runs.compare.metrics')}</h3>
            {metrics.length === 0 ? (
              <p className="muted">{t('runs.compare.noMetrics')}</p>
            ) : (
              <table className="compare-table">
                <thead>{head}</thead>
                <tbody>
                  {metrics.map((m) => (
                    <tr key={`${m.nodeId}/${m.key}`} className={m.a !== m.b ? 'differs' : ''}>
                      <td>{m.nodeId}</td>
                      <td>
                        <code>{m.key}</code>
                      </td>
                      <td>{m.a !== undefined ? formatMetric(m.a) : absent}</td>
                      <td>{m.b !== undefined ? formatMetric(m.b) : absent}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </>
        )}
      </div>
    </Modal>
  );
}
