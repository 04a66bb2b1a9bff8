/**
 * Why a cancelled step of a run was stopped, when an alert stopped the run: the alert's own words (the
 * banner's, in the UI's language) instead of the runner's bare English 'Cancelled'. Undefined otherwise.
 */
import { useTranslation } from 'react-i18next';
import { alertVariables } from '../../shared/alerts/text.ts';
import { useAppStore } from '../store/index.ts';

export function useAlertStop(runId: string): string | undefined {
  const { t } = useTranslation();
  const stop = useAppStore((s) => s.runs[runId]?.alerts?.find((a) => a.action === 'cancel'));
  const label = useAppStore((s) => (stop ? s.doc.nodes.find((n) => n.id === stop.nodeId)?.label : undefined));
  if (!stop) return undefined;
  return `${t(`monitoring.alert.${stop.rule}`, alertVariables(stop, label))}. ${t('monitoring.alert.cancelled')}`;
}
