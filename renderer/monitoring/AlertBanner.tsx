/** Over the canvas: the alerts of the shown run, each saying what happened, on which step, and what Pipewright did. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { alertVariables } from '../../shared/alerts/text.ts';
import type { RunAlert } from '../../shared/alerts/types.ts';
import { shownRun } from '../runs/runsSlice.ts';
import { appStore, useAppStore } from '../store/index.ts';
import './alerts.css';

/** Most alerts shown at once; older ones stay in the run record and on the charts. */
const SHOWN = 3;

function showNode(nodeId: string): void {
  const state = appStore.getState();
  state.select([nodeId]);
  state.setPanelNode(nodeId);
  state.showBottom('run');
}

export function AlertBanner() {
  const { t } = useTranslation();
  const run = useAppStore(shownRun);
  const doc = useAppStore((s) => s.doc);
  const [dismissed, setDismissed] = useState<ReadonlySet<string>>(new Set());
  if (!run?.alerts?.length) return null;
  const key = (a: RunAlert) => `${run.id}/${a.id}`;
  const open = run.alerts.filter((a) => !dismissed.has(key(a))).slice(-SHOWN);
  if (open.length === 0) return null;
  const labelOf = (nodeId: string) => doc.nodes.find((n) => n.id === nodeId)?.label;
  return (
    <div className="alert-banners" role="alert" aria-live="assertive">
      {open.map((a) => {
        const vars = alertVariables(a, labelOf(a.nodeId));
        return (
          <div key={a.id} className={`alert-banner ${a.action}`} data-testid="alert-banner" data-rule={a.rule} data-node={a.nodeId}>
            <span className="alert-banner-icon" aria-hidden="true">!</span>
            <div className="alert-banner-text">
              <strong>{t(`monitoring.alert.${a.rule}`, vars)}</strong>
              <span>{t(a.action === 'cancel' ? 'monitoring.alert.cancelled' : 'monitoring.alert.notified')}</span>
            </div>
            <button type="button" className="button small" onClick={() => showNode(a.nodeId)}>
              {t('monitoring.alert.showNode', { node: vars.node })}
            </button>
            <button type="button" className="icon-button" aria-label={t('monitoring.alert.dismiss')} title={t('monitoring.alert.dismiss')} onClick={() => setDismissed(new Set([...dismissed, key(a)]))}>
              ×
            </button>
          </div>
        );
      })}
    </div>
  );
}
