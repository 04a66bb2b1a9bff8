/** The chart markers of a node of a run: one per alert that fired on it with a step. */
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppStore } from '../store/index.ts';
import type { ChartMarker } from './alertMarkers.ts';

export function useAlertMarkers(runId: string, nodeId: string): readonly ChartMarker[] {
  const { t } = useTranslation();
  const alerts = useAppStore((s) => s.runs[runId]?.alerts);
  return useMemo(
    () => (alerts ?? []).filter((a) => a.nodeId === nodeId && a.step !== undefined).map((a) => ({ step: a.step!, kind: a.rule, label: `${t('monitoring.alert.marker')} · ${a.step}` })),
    [alerts, nodeId, t],
  );
}
