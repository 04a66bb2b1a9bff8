/** The live part of a node card: phase, progress bar, loss sparkline, the engine that ran, a hint badge. */
import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { Sparkline } from '../canvas/Sparkline.tsx';
import { useAppStore } from '../store/index.ts';
import { NodeEta } from '../estimate/NodeEta.tsx';
import { BenchBars } from './BenchBars.tsx';
import { DeployStatusLine, MlflowLinksRow } from './DeployStatusLine.tsx';
import { formatMetric } from './runFormat.ts';
import type { NodeRunView } from '../store/runViewSlice.ts';

/** The sparkline sits in the strip's one line, so a running card grows by one line, not three. */
const SPARK_W = 72;
const SPARK_H = 16;

/** accuracy / eval_accuracy, perplexity / eval_perplexity in the UI's language; other keys as the step named them. */
function scoreLabel(t: TFunction, key: string): string {
  const base = key.replace(/^eval_/, '');
  return base === 'accuracy' || base === 'perplexity' ? t(`runs.chart.${base}`) : key;
}

/** Mounted only on cards with run state, so idle canvases pay for no translation hook. */
function RunStripBody({ run }: { run: NodeRunView }) {
  const { t } = useTranslation();
  const pct = run.progress !== undefined ? Math.round(Math.max(0, Math.min(1, run.progress)) * 100) : undefined;
  return (
    <div className="node-run" data-phase={run.phase}>
      <div className="node-run-head">
        <span className={`phase-dot phase-${run.phase}`} />
        <span className="node-run-phase">{t(`phase.${run.phase}`)}</span>
        {run.engine && (
          <span className="chip node-engine" title={t('runs.panel.engine', { engine: run.engine })}>
            {run.engine}
          </span>
        )}
        {run.hint && (
          <span className="node-hint" role="img" title={t('runs.panel.hint', { reason: run.hint.reason, hint: run.hint.hint })} aria-label={t('runs.panel.hint', { reason: run.hint.reason, hint: run.hint.hint })}>
            ⚠ {run.hint.reason}
          </span>
        )}
        <span className="node-run-fill" />
        {run.loss && run.loss.length > 1 && <Sparkline values={run.loss} width={SPARK_W} height={SPARK_H} label={t('node.lossSparkline')} />}
      </div>
      {run.scores && (
        <div className="node-scores">
          {Object.entries(run.scores).map(([key, value]) => (
            <span key={key} className="chip node-score" data-metric={key}>
              {scoreLabel(t, key)} <b>{formatMetric(value)}</b>
            </span>
          ))}
        </div>
      )}
      {run.bench && <BenchBars bars={run.bench} />}
      {run.deploy && <DeployStatusLine status={run.deploy} />}
      {run.mlflow && <MlflowLinksRow links={run.mlflow} />}
      {pct !== undefined && (
        <div className="node-run-progress">
          <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct}>
            <div className="progress-fill" style={{ width: `${pct}%` }} />
          </div>
          <span className="node-run-pct">{pct}%</span>
          <NodeEta run={run} />
        </div>
      )}
    </div>
  );
}

function NodeRunStripView({ id }: { id: string }) {
  const run = useAppStore((s) => s.runView[id]);
  return run ? <RunStripBody run={run} /> : null;
}

export const NodeRunStrip = memo(NodeRunStripView);
