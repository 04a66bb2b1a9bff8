/** The run diff's side-by-side tables: text values with their change, numbers with their delta and verdict. */
import { useTranslation } from 'react-i18next';
import type { NumberRow, ValueRow } from '../../../shared/runs/diff/types.ts';

const cut = (text: string, max = 120): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

interface ValueProps {
  title: string;
  testId: string;
  rows: readonly ValueRow[];
  labels: [string, string];
  onlyChanged?: boolean;
}

export function ValueTable({ title, testId, rows, labels, onlyChanged }: ValueProps) {
  const { t } = useTranslation();
  const shown = onlyChanged ? rows.filter((r) => r.change !== 'same') : rows;
  return (
    <section className="diff-section" data-testid={testId}>
      <h3>{title}</h3>
      {shown.length === 0 ? (
        <p className="muted">{rows.length === 0 ? t('runs.diff.noneRecorded') : t('runs.diff.none')}</p>
      ) : (
        <table className="compare-table">
          <thead>
            <tr>
              <th>{t('runs.diff.step')}</th>
              <th>{t('runs.diff.field')}</th>
              <th className="run-col">{labels[0]}</th>
              <th className="run-col">{labels[1]}</th>
              <th>{t('runs.diff.changeCol')}</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((r) => (
              <tr key={`${r.nodeId ?? ''}/${r.field}`} className={`change-${r.change}`} data-change={r.change}>
                <td>{r.nodeId ?? t('runs.diff.pipeline')}</td>
                <td>
                  <code>{r.field}</code>
                </td>
                <td className="diff-a" title={r.a}>{r.a !== undefined ? cut(r.a) : '—'}</td>
                <td className="diff-b" title={r.b}>{r.b !== undefined ? cut(r.b) : '—'}</td>
                <td className="diff-change">{r.change !== 'same' && t(`runs.diff.change.${r.change}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

interface NumberProps {
  title: string;
  testId: string;
  rows: readonly NumberRow[];
  labels: [string, string];
  format(value: number): string;
  /** Show the metric key column (metrics) or not (durations, GPU-hours). */
  withKey?: boolean;
}

export function NumberTable({ title, testId, rows, labels, format, withKey }: NumberProps) {
  const { t } = useTranslation();
  const signed = (d: number) => (d > 0 ? `+${format(d)}` : d < 0 ? `−${format(-d)}` : '±0');
  return (
    <section className="diff-section" data-testid={testId}>
      <h3>{title}</h3>
      {rows.length === 0 ? (
        <p className="muted">{t('runs.diff.noneRecorded')}</p>
      ) : (
        <table className="compare-table">
          <thead>
            <tr>
              <th>{t('runs.diff.step')}</th>
              {withKey && <th>{t('runs.diff.field')}</th>}
              <th className="run-col">{labels[0]}</th>
              <th className="run-col">{labels[1]}</th>
              <th>{t('runs.diff.changeCol')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={`${r.nodeId ?? ''}/${r.key}`} className={`verdict-${r.verdict}`} data-verdict={r.verdict}>
                <td>{r.nodeId ?? t('runs.diff.total')}</td>
                {withKey && (
                  <td>
                    <code>{r.key}</code>
                  </td>
                )}
                <td>{r.a !== undefined ? format(r.a) : '—'}</td>
                <td>{r.b !== undefined ? format(r.b) : '—'}</td>
                <td className="diff-delta">{r.delta !== undefined ? signed(r.delta) : ''}</td>
                <td className="diff-verdict">{r.verdict !== 'neutral' && t(`runs.diff.verdict.${r.verdict}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
