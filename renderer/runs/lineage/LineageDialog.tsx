/**
 * The lineage of a run's node: what it came from and what was made from it in its run, each artifact by content
 * hash, and the other runs holding the same data, models or model versions. Other runs' nodes open in place (Back returns).
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { formatMetricValue, headlineMetrics, shortHash, trainingChainText } from '../../../shared/lineage/summary.ts';
import type { Lineage, LineageArtifact, LineageStep } from '../../../shared/lineage/types.ts';
import { api } from '../../api/client.ts';
import { Modal } from '../../dialogs/Modal.tsx';
import './lineage.css';

interface At {
  runId: string;
  nodeId: string;
}

function artifactText(t: TFunction, a: LineageArtifact): string {
  const kind = a.kind ? t(`kind.${a.kind}`) : a.port;
  if (a.sha256) return `${kind} ${shortHash(a.sha256)}`;
  if (a.unavailable) return `${kind}: ${t('runs.lineage.notHashed', { why: a.unavailable })}`;
  return `${kind}: ${t('runs.lineage.noHash')}`;
}

/** A metrics or endpoint output without a hash says nothing; a model or dataset without one says it is missing. */
const worthShowing = (a: LineageArtifact): boolean => Boolean(a.sha256 || a.uri || a.unavailable || a.kind === 'model' || a.kind === 'dataset');

/** The step's training, scores, registration and deployment, as short clauses. */
function detailClauses(t: TFunction, step: LineageStep): string[] {
  const out: string[] = [];
  const chain = trainingChainText(step);
  if (chain) out.push([t('runs.lineage.trainedBy', { chain }), step.baseModel ? t('runs.lineage.fromBase', { model: step.baseModel }) : ''].filter(Boolean).join(', '));
  const metrics = headlineMetrics(step);
  if (metrics.length > 0) out.push(metrics.map(([k, v]) => `${k} ${formatMetricValue(v)}`).join(', '));
  const d = step.deploy;
  if (d && (d.applied || d.phase)) {
    const where = `${d.namespace}/${d.kind.toLowerCase()} ${d.name ?? `pipewright-${step.nodeId}`}`;
    out.push(d.applied ? t('runs.lineage.deployed', { where, phase: d.phase ?? '—' }) : t('runs.lineage.rendered', { where }));
    if (d.model) out.push(t('runs.lineage.servesModel', d.model));
  } else if (step.model) out.push(t('runs.lineage.registered', step.model));
  return out;
}

function StepRows({ steps, onGo }: { steps: LineageStep[]; onGo: (at: At) => void }) {
  const { t } = useTranslation();
  return (
    <>
      {steps.map((step) => (
        <tr key={step.nodeId} data-node-id={step.nodeId} className={`lineage-step ${step.relation === 'focus' ? 'focus' : ''}`}>
          <td>
            <strong>{step.label || step.nodeId}</strong>
            <div className="muted">
              {step.nodeId} · {step.type} · <span className={`phase-${step.phase}`}>{t(`phase.${step.phase}`)}</span>
            </div>
          </td>
          <td className="lineage-content">
            {step.artifacts.filter(worthShowing).map((a) => (
              <div key={a.port} className="lineage-hash" title={a.sha256 ? `sha256:${a.sha256}${a.uri ? `\n${a.uri}` : ''}` : a.uri}>
                {artifactText(t, a)}
                {a.uri && <span className="muted"> {a.uri}</span>}
              </div>
            ))}
          </td>
          <td className="lineage-details">
            {detailClauses(t, step).map((c) => (
              <div key={c}>{c}</div>
            ))}
            {step.model?.url && (
              <a href={step.model.url} target="_blank" rel="noreferrer" title={t('runs.lineage.mlflowModel')}>
                MLflow ↗
              </a>
            )}
          </td>
          <td className="lineage-elsewhere">
            {step.elsewhere.map((m) => (
              <button
                key={`${m.runId}/${m.nodeId}`}
                type="button"
                className="link-like"
                data-run-id={m.runId}
                title={`${t(`runs.lineage.how.${m.how}`)}: ${m.how === 'sha256' ? `sha256:${m.key}` : m.key}\n${t('runs.lineage.showIn', { node: m.nodeId, run: m.runId })}`}
                onClick={() => onGo({ runId: m.runId, nodeId: m.nodeId })}
              >
                {m.runId}
                {m.nodeId !== step.nodeId ? ` (${m.nodeId})` : ''}
              </button>
            ))}
          </td>
        </tr>
      ))}
    </>
  );
}

function LineageBody({ lineage, onGo }: { lineage: Lineage; onGo: (at: At) => void }) {
  const { t, i18n } = useTranslation();
  const date = (iso: string) => new Date(iso).toLocaleString(i18n.language);
  const groups = [
    ['upstream', t('runs.lineage.upstream')],
    ['focus', t('runs.lineage.focus')],
    ['downstream', t('runs.lineage.downstream')],
  ] as const;
  return (
    <>
      <p className="muted">{t('runs.lineage.runLine', { pipeline: lineage.run.pipelineName, target: lineage.run.target, phase: t(`runs.runPhase.${lineage.run.phase}`), date: date(lineage.run.createdAt) })}</p>
      <table className="lineage-table">
        <thead>
          <tr>
            <th>{t('runs.lineage.step')}</th>
            <th>{t('runs.lineage.content')}</th>
            <th>{t('runs.lineage.details')}</th>
            <th>{t('runs.lineage.elsewhere')}</th>
          </tr>
        </thead>
        {groups.map(([relation, title]) => {
          const steps = lineage.steps.filter((s) => s.relation === relation);
          return steps.length === 0 ? null : (
            <tbody key={relation} data-relation={relation}>
              <tr className="lineage-group">
                <th colSpan={4}>{title}</th>
              </tr>
              <StepRows steps={steps} onGo={onGo} />
            </tbody>
          );
        })}
      </table>
      <h3 className="lineage-related-title">{t('runs.lineage.related', { count: lineage.related.length })}</h3>
      {lineage.related.length === 0 && <p className="muted">{t('runs.lineage.none')}</p>}
      {lineage.related.map((r) => (
        <section key={r.id} className="lineage-related" data-run-id={r.id}>
          <h4>
            <button type="button" className="link-like" onClick={() => onGo({ runId: r.id, nodeId: r.shared[0]?.there ?? '' })}>
              {r.id}
            </button>{' '}
            <span className="muted">{t('runs.lineage.runLine', { pipeline: r.pipelineName, target: r.target, phase: t(`runs.runPhase.${r.phase}`), date: date(r.createdAt) })}</span>
          </h4>
          <p className="lineage-shares">
            {t('runs.lineage.shares')}{' '}
            {r.shared.map((s) => `${s.here}${s.there !== s.here ? ` = ${s.there}` : ''} (${s.how === 'sha256' ? shortHash(s.key) : s.key.replace(/\/([^/]*)$/, ' v$1')})`).join(', ')}
          </p>
          {r.steps.length === 0 ? (
            <p className="muted">{t('runs.lineage.nothingMade')}</p>
          ) : (
            <ul className="lineage-made">
              {r.steps.map((s) => (
                <li key={s.nodeId} data-node-id={s.nodeId}>
                  <strong>{s.label || s.nodeId}</strong> <span className={`muted phase-${s.phase}`}>{t(`phase.${s.phase}`)}</span>
                  {': '}
                  {[...s.artifacts.filter((a) => a.kind === 'model' && a.sha256).map((a) => artifactText(t, a)), ...detailClauses(t, s)].join(' · ')}
                </li>
              ))}
            </ul>
          )}
        </section>
      ))}
    </>
  );
}

export function LineageDialog({ runId, nodeId, onClose }: At & { onClose: () => void }) {
  const { t } = useTranslation();
  const [stack, setStack] = useState<At[]>([{ runId, nodeId }]);
  const at = stack[stack.length - 1];
  const [state, setState] = useState<{ lineage?: Lineage; error?: string }>({});
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let live = true;
    // The link or Back button that moved here is gone: keep the keyboard (Escape) in the dialog.
    if (stack.length > 1 || document.activeElement === document.body) box.current?.focus();
    setState({});
    api.readLineage(at.runId, at.nodeId).then(
      (lineage) => live && setState({ lineage }),
      (error: unknown) => live && setState({ error: (error as Error).message }),
    );
    return () => {
      live = false;
    };
  }, [at]);
  const previous = stack.length > 1 ? stack[stack.length - 2] : undefined;
  return (
    <Modal title={t('runs.lineage.title', { node: at.nodeId, run: at.runId })} onClose={onClose} wide>
      <div ref={box} tabIndex={-1} className="lineage-view" data-run-id={at.runId} data-node-id={at.nodeId}>
        {previous && (
          <button type="button" className="button small" onClick={() => setStack(stack.slice(0, -1))}>
            {t('runs.lineage.back', { node: previous.nodeId, run: previous.runId })}
          </button>
        )}
        {state.error && <p className="error">{t('runs.lineage.failed', { message: state.error })}</p>}
        {!state.lineage && !state.error && <p className="muted">{t('runs.lineage.loading')}</p>}
        {state.lineage && <LineageBody lineage={state.lineage} onGo={(next) => next.nodeId && setStack([...stack, next])} />}
      </div>
    </Modal>
  );
}

/** The run panel's way in: a button for the chosen node. */
export function LineageButton({ runId, nodeId, nodeLabel }: At & { nodeLabel: string }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="button small lineage-open" title={t('runs.lineage.openTitle', { node: nodeLabel })} onClick={() => setOpen(true)}>
        {t('runs.lineage.open')}
      </button>
      {open && <LineageDialog runId={runId} nodeId={nodeId} onClose={() => setOpen(false)} />}
    </>
  );
}
