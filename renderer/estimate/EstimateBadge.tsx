/** The card's GPU chip with its memory fit for its product (fits / tight / won't fit), the GiB figures on hover. Mounted only on cards with a verdict. */
import i18next from 'i18next';
import { memo } from 'react';
import { useAppStore } from '../store/index.ts';
import { fitFigures } from './estimateFormat.ts';

const MARK = { fits: '✓', tight: '!', 'no-fit': '✕' } as const;
const KEY = { fits: 'fits', tight: 'tight', 'no-fit': 'noFit' } as const;

/** `lang` only re-renders it when the language changes (text comes from i18next's plain `t`, as on the card). */
function EstimateBadgeView({ id, gpus }: { id: string; lang: string; gpus: string }) {
  const n = useAppStore((s) => s.estimateById[id]);
  if (!n?.verdict) return null;
  const f = fitFigures(n);
  const title = f && i18next.t(n.verdict === 'no-fit' ? 'estimate.badgeTitleOver' : 'estimate.badgeTitle', f);
  return (
    <span className={`chip gpu fit-badge fit-${n.verdict}`} data-verdict={n.verdict} title={title ?? undefined}>
      {gpus} · <span className="fit-text">{MARK[n.verdict]} {i18next.t(`estimate.verdict.${KEY[n.verdict]}`)}</span>
    </span>
  );
}

export const EstimateBadge = memo(EstimateBadgeView);
