/** The selected node's metrics: live uPlot charts, its final values, and the hint or error it reported. */
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { NodeRunState } from '../../shared/runs/types.ts';
import { TERMINAL_NODE_PHASES } from '../../shared/runs/types.ts';
import { useAppStore } from '../store/index.ts';
import { formatMetric } from './runFormat.ts';
import { chartsFor } from './metricCharts.ts';
import { UPlotChart } from './UPlotChart.tsx';
import { withMarkerSteps } from '../monitoring/alertMarkers.ts';
import { useAlertMarkers } from '../monitoring/useAlertMarkers.ts';
import { useAlertStop } from '../monitoring/useAlertStop.ts';
import { runnerMessage } from './runnerMessage.ts';

interface Props {
  runId: string;
  nodeId: string;
  nodeLabel: string;
  node: NodeRunState;
}

export function MetricsPane({ runId, nodeId, nodeLabel, node }: Props) {
  const { t } = useTranslation();
  const records = useAppStore((s) => (s.seriesRunId === runId ? s.series[nodeId] : undefined));
  const markers = useAlertMarkers(runId, nodeId);
  const alertStop = useAlertStop(runId);
  const charts = useMemo(() => chartsFor(records ?? []).map((c) => ({ ...c, data: withMarkerSteps(c.data, markers) })), [records, markers]);
  const finals = Object.entries(node.lastMetrics ?? {});
  // While the step runs these are its latest values, not final ones.
  const ended = TERMINAL_NODE_PHASES.includes(node.phase);
  const message = node.message && (node.phase === 'failed' || node.phase === 'cancelled' || node.phase === 'skipped');
  // Nothing to show: the log takes the whole width.
  if (charts.length === 0 && finals.length === 0 && !node.hint && !message) return null;
  return (
    <section className="metrics-pane" aria-label={t('runs.chart.title', { node: nodeLabel })}>
      {node.hint && (
        <div className="run-hint" role="note" data-testid="run-hint">
          <strong>{node.hint.reason}</strong> {node.hint.hint}
        </div>
      )}
      {message && <p className="run-node-message">{node.phase === 'cancelled' && alertStop ? alertStop : runnerMessage(node.message!, t)}</p>}
      {charts.map(({ spec, data }) => (
        <UPlotChart key={spec.id} testId={spec.id} title={t(`runs.chart.${spec.titleKey}`)} data={data} stepLabel={t('runs.chart.step')} markers={markers} />
      ))}
      {finals.length > 0 ? (
        <div className="final-metrics" data-testid="final-metrics" data-ended={ended}>
          <h4>{ended ? t('runs.chart.final') : t('runs.chart.latest')}</h4>
          <dl>
            {finals.map(([key, value]) => (
              <div key={key} data-metric={key}>
                <dt>{key}</dt>
                <dd>{formatMetric(value)}</dd>
              </div>
            ))}
          </dl>
        </div>
      ) : null}
    </section>
  );
}
