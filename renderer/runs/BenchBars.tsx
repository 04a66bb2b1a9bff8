/** A benchmark step's scores on its card: one bar per benchmark, the base model's score as a tick and the change in points. */
import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import type { BenchBar } from './benchBars.ts';
import { percent, pointsDelta } from './benchBars.ts';

function BenchBarsView({ bars }: { bars: readonly BenchBar[] }) {
  const { t } = useTranslation();
  return (
    <div className="node-bench" role="group" aria-label={t('runs.bench.title')} data-testid="bench-bars">
      <div className="node-bench-title">{t('runs.bench.title')}</div>
      {bars.map((bar) => {
        const delta = bar.base === undefined ? undefined : pointsDelta(bar.acc, bar.base);
        const label =
          bar.base === undefined
            ? t('runs.bench.row', { benchmark: bar.benchmark, acc: percent(bar.acc) })
            : t('runs.bench.rowBase', { benchmark: bar.benchmark, acc: percent(bar.acc), base: percent(bar.base), delta });
        const trend = bar.base === undefined ? '' : bar.acc > bar.base ? 'up' : bar.acc < bar.base ? 'down' : 'same';
        return (
          <div key={bar.benchmark} className="node-bench-row" data-benchmark={bar.benchmark} title={label} aria-label={label}>
            <span className="node-bench-name">{bar.benchmark}</span>
            <span className="node-bench-track">
              <span className="node-bench-fill" style={{ width: `${Math.max(0, Math.min(1, bar.acc)) * 100}%` }} />
              {bar.base !== undefined && <span className="node-bench-base" style={{ left: `${Math.max(0, Math.min(1, bar.base)) * 100}%` }} />}
            </span>
            <span className="node-bench-value">{percent(bar.acc)}</span>
            {delta !== undefined && <span className={`node-bench-delta ${trend}`}>{delta}</span>}
          </div>
        );
      })}
    </div>
  );
}

export const BenchBars = memo(BenchBarsView);
