/** Duration units in the UI language, for formatDuration. */
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { DurationUnits } from './runFormat.ts';

export function useDurationUnits(): DurationUnits {
  const { t } = useTranslation();
  return useMemo(() => ({ s: (n) => t('runs.time.s', { n }), min: (n) => t('runs.time.min', { n }), h: (n) => t('runs.time.h', { n }) }), [t]);
}
