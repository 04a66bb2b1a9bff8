/** The run dialog's estimate before Run: per GPU step its product, memory, time, GPU-hours and cost; the pipeline's critical path and sums. */
import { useTranslation } from 'react-i18next';
import type { NodeEstimate } from '../../shared/estimate/types.ts';
import { useDurationUnits } from '../runs/useDurationUnits.ts';
import { useLang, type Lang } from '../i18n/index.ts';
import { useAppStore } from '../store/index.ts';
import './estimate.css';
import { formatCost, formatGpuHours, formatHours, gib } from './estimateFormat.ts';
import { reasonText } from './reasonText.ts';

/** Why a node's figure is missing, for the "?" cell's hover text. */
function whyUnknown(n: NodeEstimate, t: (key: string, values?: Record<string, unknown>) => string, lang: Lang): string | undefined {
  if (n.unknown) return reasonText(n.unknown, lang);
  if (n.gpuProduct === null) return t('estimate.section.noProduct');
  if (n.gpuProductMemoryGiB === null) return t('estimate.section.unknownProduct', { product: n.gpuProduct });
  return n.tokensUnknown && reasonText(n.tokensUnknown, lang);
}

export function RunEstimate() {
  const { t, i18n } = useTranslation();
  const uiLang = useLang();
  const units = useDurationUnits();
  const estimate = useAppStore((s) => s.estimate);
  const labels = useAppStore((s) => s.doc.nodes);
  if (!estimate) return null;
  const lang = i18n.language;
  const label = (id: string) => labels.find((n) => n.id === id)?.label || id;
  const unknown = (n: NodeEstimate) => (
    <td className="unknown" title={whyUnknown(n, t, uiLang)}>
      {t('estimate.run.unknown')}
    </td>
  );
  const cell = (n: NodeEstimate, value: number | null, format: (v: number) => string, name: string) =>
    value === null ? unknown(n) : <td data-field={name}>{format(value)}</td>;
  const { total } = estimate;
  return (
    <section className="run-estimate" data-testid="run-estimate" aria-labelledby="run-estimate-title">
      <h3 id="run-estimate-title">{t('estimate.run.title')}</h3>
      {estimate.nodes.length === 0 ? (
        <p className="muted small">{t('estimate.run.none')}</p>
      ) : (
        <>
          <table>
            <thead>
              <tr>
                <th>{t('estimate.run.step')}</th>
                <th className="product">{t('estimate.run.product')}</th>
                <th>{t('estimate.run.gpus')}</th>
                <th>{t('estimate.run.memory')}</th>
                <th>{t('estimate.run.hours')}</th>
                <th>{t('estimate.run.gpuHours')}</th>
                <th>{t('estimate.run.cost')}</th>
              </tr>
            </thead>
            <tbody>
              {estimate.nodes.map((n) => (
                <tr key={n.id} data-node-id={n.id} data-verdict={n.verdict ?? ''}>
                  <td>{label(n.id)}</td>
                  <td className="product">{n.gpuProduct ?? '—'}</td>
                  <td>{n.gpus}</td>
                  {n.gpuMemoryGiB === null ? unknown(n) : <td className={n.verdict ? `fit-${n.verdict}` : undefined}>{gib(n.gpuMemoryGiB)} GiB</td>}
                  {cell(n, n.hours, (v) => formatHours(v, units), 'hours')}
                  {cell(n, n.gpuHours, (v) => formatGpuHours(v, lang), 'gpuHours')}
                  {cell(n, n.cost, (v) => formatCost(v, lang), 'cost')}
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr data-testid="run-estimate-total">
                <td colSpan={4}>{t('estimate.run.total')}</td>
                <td data-field="hours">{total.hours === null ? t('estimate.run.unknown') : formatHours(total.hours, units)}</td>
                <td data-field="gpuHours">{total.gpuHours === null ? t('estimate.run.unknown') : formatGpuHours(total.gpuHours, lang)}</td>
                <td data-field="cost">{total.cost === null ? t('estimate.run.unknown') : formatCost(total.cost, lang)}</td>
              </tr>
            </tfoot>
          </table>
          <p className="muted small">{total.hours === null ? t('estimate.run.incomplete') : t('estimate.run.prices')}</p>
        </>
      )}
    </section>
  );
}
