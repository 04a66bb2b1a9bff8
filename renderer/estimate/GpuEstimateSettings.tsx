/** Settings dialog: the GPU product steps are judged against when they name none, and the price per GPU-hour of each product. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Settings } from '../../shared/api/settings.ts';
import { GPU_PRODUCTS } from '../../shared/estimate/gpus.ts';
import { api } from '../api/client.ts';
import { useSettingsOnce } from '../api/useSettingsOnce.ts';
import { appStore } from '../store/index.ts';
import './estimate.css';

type Saved = Pick<Settings, 'defaultGpuProduct' | 'gpuPrices'>;

/** The typed prices as a settings map: empty fields take the list price (left out); anything else must be a number ≥ 0. */
export function pricesFromText(text: Readonly<Record<string, string>>): { prices: Record<string, number> } | { invalid: string } {
  const prices: Record<string, number> = {};
  for (const [label, raw] of Object.entries(text)) {
    const value = raw.trim();
    if (value === '') continue;
    const price = Number(value);
    if (!Number.isFinite(price) || price < 0 || price > 1e6) return { invalid: label };
    prices[label] = price;
  }
  return { prices };
}

export function GpuEstimateSettings() {
  const { t } = useTranslation();
  const [saved, setSaved] = useState<Saved | null>(null);
  const [text, setText] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);

  useSettingsOnce((s) => {
    setSaved({ defaultGpuProduct: s.defaultGpuProduct, gpuPrices: s.gpuPrices });
    setText(Object.fromEntries(Object.entries(s.gpuPrices).map(([k, v]) => [k, String(v)])));
  }, setError);

  if (!saved) return error ? <p className="error-text form-grid-wide">{error}</p> : null;
  const save = (patch: Partial<Saved>) => {
    const next = { ...saved, ...patch };
    setSaved(next);
    appStore.getState().setEstimateSettings(next);
    api.updateSettings(patch).catch((err: unknown) => setError((err as Error).message));
  };
  const savePrices = () => {
    const parsed = pricesFromText(text);
    if ('invalid' in parsed) {
      setError(t('estimate.settings.invalid', { product: parsed.invalid }));
      return;
    }
    setError(null);
    if (JSON.stringify(parsed.prices) !== JSON.stringify(saved.gpuPrices)) save({ gpuPrices: parsed.prices });
  };
  return (
    <>
      <h3 className="form-grid-heading">{t('estimate.settings.title')}</h3>
      <label htmlFor="setting-gpu-product">{t('estimate.settings.defaultProduct')}</label>
      <select id="setting-gpu-product" value={saved.defaultGpuProduct ?? ''} onChange={(e) => save({ defaultGpuProduct: e.target.value || null })}>
        <option value="">{t('estimate.settings.none')}</option>
        {GPU_PRODUCTS.map((p) => (
          <option key={p.label} value={p.label}>
            {p.label} ({Math.round(p.memoryMiB / 1024)} GiB)
          </option>
        ))}
      </select>
      <p className="field-hint form-grid-wide">{t('estimate.settings.defaultProductHint')}</p>
      <span className="form-grid-wide">{t('estimate.settings.prices')}</span>
      <div className="gpu-prices form-grid-wide" data-testid="gpu-prices">
        <table>
          <tbody>
            {GPU_PRODUCTS.map((p) => (
              <tr key={p.label} data-product={p.label}>
                <td>
                  <label htmlFor={`gpu-price-${p.label}`}>{p.label}</label>
                </td>
                <td>
                  <input
                    id={`gpu-price-${p.label}`}
                    type="number"
                    min={0}
                    step={0.01}
                    placeholder={p.priceUsd.toFixed(2)}
                    aria-label={t('estimate.settings.priceLabel', { product: p.label })}
                    aria-invalid={error !== null && error.startsWith(p.label)}
                    value={text[p.label] ?? ''}
                    onChange={(e) => setText({ ...text, [p.label]: e.target.value })}
                    onBlur={savePrices}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="field-hint form-grid-wide">{t('estimate.settings.pricesHint')}</p>
      {error && (
        <p className="error-text form-grid-wide" role="alert">
          {error}
        </p>
      )}
    </>
  );
}
