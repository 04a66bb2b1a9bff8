/** A deploy card's live rollout (phase, canary step, traffic weight, pause, analysis) and a step's MLflow links. */
import { useTranslation } from 'react-i18next';
import type { DeployStatus, MlflowLinks } from '../../shared/runs/types.ts';

const KNOWN_PHASES = new Set(['Rendered', 'Progressing', 'Paused', 'Healthy', 'Degraded', 'Failed', 'Aborted']);
const KNOWN_PAUSES = new Set(['CanaryPauseStep', 'InconclusiveAnalysis']);
const KNOWN_ANALYSIS = new Set(['Pending', 'Running', 'Successful', 'Failed', 'Inconclusive', 'Error']);

export function DeployStatusLine({ status }: { status: DeployStatus }) {
  const { t } = useTranslation();
  const phase = KNOWN_PHASES.has(status.phase) ? t(`runs.deploy.phase.${status.phase}`) : status.phase;
  const parts: string[] = [];
  if (status.kind === 'Rollout' && status.steps !== undefined && status.step !== undefined && status.phase !== 'Rendered') parts.push(t('runs.deploy.step', { step: status.step, steps: status.steps }));
  if (status.weight !== undefined && status.phase !== 'Rendered') parts.push(t('runs.deploy.weight', { weight: status.weight }));
  if (status.kind === 'Deployment' && status.replicas !== undefined) parts.push(t('runs.deploy.ready', { ready: status.ready ?? 0, replicas: status.replicas }));
  if (status.paused) parts.push(status.paused.split(',').map((p) => (KNOWN_PAUSES.has(p) ? t(`runs.deploy.paused.${p}`) : p)).join(', '));
  if (status.analysis) {
    const analysis = KNOWN_ANALYSIS.has(status.analysis) ? t(`runs.deploy.analysisPhase.${status.analysis}`) : status.analysis;
    parts.push(status.analysisValue ? t('runs.deploy.analysisValue', { phase: analysis, value: status.analysisValue }) : t('runs.deploy.analysis', { phase: analysis }));
  }
  const bad = status.phase === 'Degraded' || status.phase === 'Failed' || status.phase === 'Aborted';
  return (
    <div className={`node-deploy${bad ? ' bad' : ''}`} data-deploy-phase={status.phase} title={[t('runs.deploy.title', { kind: status.kind, name: status.name ?? '' }), status.message].filter(Boolean).join('\n')}>
      <span className={`chip node-deploy-phase phase-${status.phase}`}>{phase}</span>
      {parts.length > 0 && <span className="node-deploy-detail">{parts.join(' · ')}</span>}
      {status.kind === 'Rollout' && status.weight !== undefined && status.phase !== 'Rendered' && (
        <div className="node-deploy-weight" role="meter" aria-valuemin={0} aria-valuemax={100} aria-valuenow={status.weight} aria-label={t('runs.deploy.weight', { weight: status.weight })}>
          <div style={{ width: `${Math.max(0, Math.min(100, status.weight))}%` }} />
        </div>
      )}
    </div>
  );
}

/** Links open in the system browser only when clicked (desktop: renderer/api/externalLinks.ts). */
export function MlflowLinksRow({ links }: { links: MlflowLinks }) {
  const { t } = useTranslation();
  return (
    <div className="node-mlflow nodrag">
      {links.runUrl && (
        <a className="chip node-mlflow-run" href={links.runUrl} target="_blank" rel="noreferrer noopener" title={t('runs.mlflow.runTitle', { id: links.runId ?? '' })}>
          {t('runs.mlflow.run')} ↗
        </a>
      )}
      {links.modelUrl && links.modelName && links.modelVersion && (
        <a className="chip node-mlflow-model" href={links.modelUrl} target="_blank" rel="noreferrer noopener" title={t('runs.mlflow.modelTitle', { name: links.modelName, version: links.modelVersion })}>
          {t('runs.mlflow.model', { name: links.modelName, version: links.modelVersion })} ↗
        </a>
      )}
    </div>
  );
}
