/**
 * The inspector's GPU estimate of a training or inference step: peak memory per GPU against its product,
 * where the memory goes, tokens, time, GPU-hours and cost; when it does not fit or is tight, the changes
 * that would make it fit, each applied with one click (one undo step).
 */
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { catalog } from '../../node-catalog/index.ts';
import { GIB } from '../../shared/estimate/gpus.ts';
import { fitSuggestions } from '../../shared/estimate/suggest.ts';
import type { FitSuggestion, NodeEstimate } from '../../shared/estimate/types.ts';
import type { PipelineNode } from '../../shared/pipeline/types.ts';
import { useDurationUnits } from '../runs/useDurationUnits.ts';
import { appStore, useAppStore } from '../store/index.ts';
import { useLang } from '../i18n/index.ts';
import { suggestionChanges } from './applySuggestion.ts';
import './estimate.css';
import { fitFigures, formatCost, formatGpuHours, formatHours, formatTokens, gib } from './estimateFormat.ts';
import { reasonText } from './reasonText.ts';

const VERDICT_KEY = { fits: 'fits', tight: 'tight', 'no-fit': 'noFit' } as const;

function useSuggestionText(): (s: FitSuggestion) => string {
  const { t } = useTranslation();
  return (s) => {
    const p = s.params;
    if (s.kind === 'batch' && p.batch_size !== undefined) return t('estimate.section.fix.inferenceBatch', { batch: p.batch_size });
    if (s.kind === 'batch') return t('estimate.section.fix.batch', { batch: p.per_device_train_batch_size, accum: p.gradient_accumulation_steps });
    if (s.kind === 'sequence') return t('estimate.section.fix.sequence', { seq: p.max_seq_length });
    if (s.kind === 'product') return t('estimate.section.fix.product', { product: s.gpuProduct });
    return t(`estimate.section.fix.${s.kind}`);
  };
}

function Suggestions({ node, estimate }: { node: PipelineNode; estimate: NodeEstimate }) {
  const { t } = useTranslation();
  const doc = useAppStore((s) => s.doc);
  const ctx = useAppStore((s) => s.estimateContext);
  const text = useSuggestionText();
  // Re-run only when the node's estimate (or what it is judged in) changes, not on every keystroke elsewhere.
  const suggestions = useMemo(() => (ctx ? fitSuggestions(doc, catalog, ctx, node.id) : []), [estimate, ctx, node.id]);
  const apply = (s: FitSuggestion) => {
    const state = appStore.getState();
    state.dispatch(suggestionChanges(node.id, s));
    state.showStatus('info', 'estimate.section.applied', { change: text(s) });
  };
  return (
    <div className="estimate-fixes" data-testid="estimate-fixes">
      <h4>{t(estimate.verdict === 'tight' ? 'estimate.section.fixTitleTight' : 'estimate.section.fixTitle')}</h4>
      {suggestions.length === 0 && estimate.verdict === 'no-fit' && <p className="field-hint">{t('estimate.section.noFix')}</p>}
      <ul>
        {suggestions.map((s) => (
          <li key={s.kind} data-kind={s.kind}>
            <span className="estimate-fix-text">{text(s)}</span>
            <span className="estimate-fix-need">{t('estimate.section.needs', { need: gib(s.gpuMemoryGiB) })}</span>
            <button type="button" className="button small" onClick={() => apply(s)}>
              {t('estimate.section.apply')}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

function MemoryPart({ n }: { n: NodeEstimate }) {
  const { t } = useTranslation();
  const fit = fitFigures(n);
  const share = fit ? Math.min(1, n.gpuMemoryGiB! / n.gpuProductMemoryGiB!) : 0;
  return (
    <>
      <div className={`estimate-fit fit-${n.verdict ?? 'unknown'}`} data-testid="estimate-fit">
        <span className="estimate-fit-label">{t('estimate.section.perGpu')}</span>
        <strong className="estimate-fit-value">{fit ? t('estimate.section.ofProduct', fit) : t('estimate.section.needs', { need: gib(n.gpuMemoryGiB!) })}</strong>
        {n.verdict && <span className={`chip fit-badge fit-${n.verdict}`}>{t(`estimate.verdict.${VERDICT_KEY[n.verdict]}`)}</span>}
      </div>
      {fit && (
        <div className="estimate-bar" role="img" aria-label={t('estimate.badgeTitle', fit)}>
          <div className="estimate-bar-fill" style={{ width: `${share * 100}%` }} />
          <div className="estimate-bar-tight" />
        </div>
      )}
      {!n.gpuProduct && <p className="field-hint">{t('estimate.section.noProduct')}</p>}
      {n.gpuProduct && n.gpuProductMemoryGiB === null && <p className="field-message warning">{t('estimate.section.unknownProduct', { product: n.gpuProduct })}</p>}
      <h4>{t('estimate.section.breakdown')}</h4>
      <dl className="estimate-terms" data-testid="estimate-terms">
        {n.memory!.terms.map((term) => (
          <div key={term.key} data-term={term.key}>
            <dt>{t(`estimate.section.term.${term.key}`)}</dt>
            <dd>{gib(term.bytes / GIB)} GiB</dd>
          </div>
        ))}
      </dl>
    </>
  );
}

function TimePart({ n }: { n: NodeEstimate }) {
  const { t, i18n } = useTranslation();
  const units = useDurationUnits();
  const lang = i18n.language;
  return (
    <dl className="estimate-time" data-testid="estimate-time">
      <div data-field="tokens">
        <dt>{t('estimate.section.tokens')}</dt>
        <dd>
          {n.tokens !== null ? formatTokens(n.tokens, lang) : '—'}
          {n.tokens !== null && n.tokensSource && <span className="muted small"> ({t(`estimate.section.tokensSource.${n.tokensSource}`)})</span>}
        </dd>
      </div>
      <div data-field="hours">
        <dt>{t('estimate.section.hours')}</dt>
        <dd>{n.hours !== null ? formatHours(n.hours, units) : '—'}</dd>
      </div>
      <div data-field="gpuHours">
        <dt>{t('estimate.section.gpuHours')}</dt>
        <dd>{n.gpuHours !== null ? formatGpuHours(n.gpuHours, lang) : '—'}</dd>
      </div>
      <div data-field="cost">
        <dt>{t('estimate.section.cost')}</dt>
        <dd>{n.cost !== null ? formatCost(n.cost, lang) : '—'}</dd>
      </div>
    </dl>
  );
}

export function EstimateSection({ node }: { node: PipelineNode }) {
  const { t } = useTranslation();
  const lang = useLang();
  const n = useAppStore((s) => s.estimateById[node.id]);
  if (!n) return null;
  return (
    <section className="inspector-section estimate-section" data-testid="estimate-section" aria-labelledby={`${node.id}-estimate`}>
      <h3 id={`${node.id}-estimate`}>{t('estimate.section.title')}</h3>
      {n.unknown ? (
        <p className="field-message warning">{t('estimate.section.unknown', { reason: reasonText(n.unknown, lang) })}</p>
      ) : (
        <>
          {n.model && (
            <p className="estimate-model muted small">
              {t('estimate.section.model')}: <code>{n.model}</code>
            </p>
          )}
          <MemoryPart n={n} />
          <TimePart n={n} />
          {n.tokensUnknown && <p className="field-hint">{t('estimate.section.tokensUnknown', { reason: reasonText(n.tokensUnknown, lang) })}</p>}
          {(n.verdict === 'no-fit' || n.verdict === 'tight') && <Suggestions node={node} estimate={n} />}
        </>
      )}
    </section>
  );
}
