/**
 * Run compare (issue 12): two runs, or a run and the current document, side by side: the graph diff drawn
 * on a small canvas, one table per section, green for what improved and red for what regressed, and one
 * chart per metric with the curves of every picked run overlaid.
 */
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { catalog } from '../../../node-catalog/index.ts';
import { diffRuns, overlayCurves } from '../../../shared/runs/diff/diffRuns.ts';
import type { DiffSide } from '../../../shared/runs/diff/types.ts';
import { api } from '../../api/client.ts';
import { Modal } from '../../dialogs/Modal.tsx';
import { appStore } from '../../store/index.ts';
import { formatDuration, formatMetric } from '../runFormat.ts';
import { UPlotChart } from '../UPlotChart.tsx';
import { useDurationUnits } from '../useDurationUnits.ts';
import { DiffGraph } from './DiffGraph.tsx';
import { NumberTable, ValueTable } from './DiffTables.tsx';
import { showDiffOnCanvas } from './canvasDiff.ts';
import { curveChartData, diffGraphLayout } from './diffView.ts';
import { loadDiffSides } from './loadSides.ts';
import './diff.css';

interface Props {
  /** Two or more run ids; with `withDocument`, one (compared with the current document). */
  ids: readonly string[];
  withDocument?: boolean;
  onClose(): void;
}

export function RunDiffDialog({ ids, withDocument = false, onClose }: Props) {
  const { t } = useTranslation();
  const units = useDurationUnits();
  const [doc] = useState(() => appStore.getState().doc);
  const [sides, setSides] = useState<DiffSide[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const key = ids.join(',');

  useEffect(() => {
    let live = true;
    loadDiffSides(api, key.split(','), withDocument ? { label: t('runs.diff.document'), doc } : undefined).then(
      (s) => live && setSides(s),
      (e: unknown) => live && setError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      live = false;
    };
  }, [key, withDocument, doc, t]);

  const diff = useMemo(() => (sides && sides.length >= 2 ? diffRuns(sides[0], sides[1], catalog) : null), [sides]);
  const curves = useMemo(() => (sides ? overlayCurves(sides) : []), [sides]);
  const layout = useMemo(() => (diff && sides ? diffGraphLayout(diff, sides[0].document, sides[1].document) : null), [diff, sides]);
  const labels: [string, string] = [diff?.a.label ?? ids[0], diff?.b.label ?? ids[1] ?? ''];
  const graphChanged = diff ? diff.graph.nodes.some((n) => n.change !== 'same') || diff.graph.edges.some((e) => e.change !== 'same') : false;

  return (
    <Modal title={t('runs.diff.title', { a: labels[0], b: labels[1] })} wide onClose={onClose}>
      <div className="run-compare run-diff" data-testid="run-compare">
        {error && <p className="error-text">{t('runs.diff.failed', { message: error })}</p>}
        {!diff && !error && <p className="muted">{t('runs.diff.loading')}</p>}
        {diff && layout && (
          <>
            <p className="diff-score" data-testid="diff-score">
              <span>{t('runs.diff.summary', { improved: diff.score.improved, regressed: diff.score.regressed })}</span>
              {sides && sides.length > 2 && <span className="muted"> · {t('runs.diff.moreRuns', { n: sides.length })}</span>}
            </p>
            <section className="diff-section">
              <h3>{t('runs.diff.graph')}</h3>
              {!graphChanged && <p className="muted">{t('runs.diff.graphSame')}</p>}
              {withDocument && graphChanged && (
                <button
                  type="button"
                  className="button small"
                  onClick={() => {
                    showDiffOnCanvas(diff);
                    onClose();
                  }}
                >
                  {t('runs.diff.showOnCanvas')}
                </button>
              )}
              <DiffGraph nodes={layout.nodes} edges={layout.edges} />
            </section>
            <div className="diff-columns">
              {(['benchmark', 'evaluation', 'training'] as const).map((group) => (
                <NumberTable key={group} title={t(`runs.diff.metrics.${group}`)} testId={`diff-metrics-${group}`} rows={diff.metrics.filter((m) => m.group === group)} labels={labels} format={formatMetric} withKey />
              ))}
              <NumberTable title={t('runs.diff.durations')} testId="diff-durations" rows={diff.durations} labels={labels} format={(s) => formatDuration(s * 1000, units)} />
              <NumberTable title={t('runs.diff.gpuHours')} testId="diff-gpu-hours" rows={diff.gpuHours} labels={labels} format={formatMetric} />
            </div>
            <section className="diff-section" data-testid="diff-curves">
              <h3>{t('runs.diff.curves')}</h3>
              {curves.length === 0 ? (
                <p className="muted">{t('runs.diff.noCurves')}</p>
              ) : (
                <div className="diff-charts">
                  {curves.map((c) => (
                    <UPlotChart key={`${c.nodeId}/${c.key}`} title={`${c.nodeId} · ${c.key}`} data={curveChartData(c)} stepLabel={t('runs.diff.stepAxis')} testId={`diff-${c.nodeId}-${c.key}`} />
                  ))}
                </div>
              )}
            </section>
            <ValueTable title={t('runs.diff.fields')} testId="diff-fields" rows={diff.fields} labels={labels} onlyChanged />
            <ValueTable title={t('runs.diff.parameters')} testId="diff-parameters" rows={diff.parameters} labels={labels} />
            <ValueTable title={t('runs.diff.inputs')} testId="diff-inputs" rows={diff.inputs} labels={labels} />
            <ValueTable title={t('runs.diff.engines')} testId="diff-engines" rows={diff.engines} labels={labels} />
            <ValueTable title={t('runs.diff.images')} testId="diff-images" rows={diff.images} labels={labels} onlyChanged />
            <ValueTable title={t('runs.diff.resources')} testId="diff-resources" rows={diff.resources} labels={labels} onlyChanged />
          </>
        )}
      </div>
    </Modal>
  );
}
