/**
 * A step's own alerts (nodes[].alerts), over the pipeline's: the action for every rule, and per rule
 * whether it is on, what it does and its thresholds. Empty fields show the pipeline's value.
 */
import { useTranslation } from 'react-i18next';
import { resolveAlertRules } from '../../shared/alerts/config.ts';
import type { AlertAction, AlertRuleId, AlertSettings } from '../../shared/alerts/types.ts';
import type { PipelineNode, Problem } from '../../shared/pipeline/types.ts';
import { fieldDomId, problemsForField } from '../inspector/fieldKeys.ts';
import { NumberField, SelectField } from '../inspector/fields.tsx';
import { appStore, useAppStore } from '../store/index.ts';
import { withAction, withRule } from './alertSettings.ts';

type Threshold = { key: string; label: string; unit?: 'minutes' | 'percent' | '×'; min: number; max: number; integer?: boolean };

const RULES: { rule: AlertRuleId; thresholds: Threshold[] }[] = [
  { rule: 'nonFiniteLoss', thresholds: [] },
  {
    rule: 'lossSpike',
    thresholds: [
      { key: 'factor', label: 'lossSpikeFactor', unit: '×', min: 1, max: 1000 },
      { key: 'window', label: 'lossSpikeWindow', min: 5, max: 10000, integer: true },
    ],
  },
  { rule: 'stall', thresholds: [{ key: 'minutes', label: 'stallMinutes', unit: 'minutes', min: 0, max: 10080 }] },
  {
    rule: 'gpuIdle',
    thresholds: [
      { key: 'utilization', label: 'gpuIdleUtilization', unit: 'percent', min: 0, max: 100 },
      { key: 'minutes', label: 'gpuIdleMinutes', unit: 'minutes', min: 0, max: 1440 },
    ],
  },
];

const cleaned = (next: AlertSettings): AlertSettings | undefined => (Object.keys(next).length > 0 ? next : undefined);

export function NodeAlertsSection({ node, problems }: { node: PipelineNode; problems: readonly Problem[] }) {
  const { t } = useTranslation();
  const pipelineAlerts = useAppStore((s) => s.doc.settings?.alerts);
  const dispatch = appStore.getState().dispatch;
  const alerts: AlertSettings = node.alerts ?? {};
  // What the step gets without its own values: the pipeline's settings over the defaults.
  const inherited = resolveAlertRules(pipelineAlerts, { action: alerts.action });
  const own = (rule: AlertRuleId, key: string): unknown => (alerts[rule] as Record<string, unknown> | undefined)?.[key];
  const set = (next: AlertSettings | undefined) => dispatch({ type: 'patch-node', id: node.id, patch: { alerts: next } });
  const setRule = (rule: AlertRuleId, key: string, value: number | boolean | AlertAction | undefined) => set(cleaned(withRule(alerts, rule, key, value)));
  const onOff = (v: boolean) => t(v ? 'monitoring.settings.ruleOn' : 'monitoring.settings.ruleOff');
  const actionText = (a: AlertAction) => t(a === 'cancel' ? 'monitoring.settings.cancel' : 'monitoring.settings.notify');
  return (
    <section className="inspector-section" data-section="alerts">
      <SelectField
        id={fieldDomId(node.id, 'alerts.action')}
        label={t('monitoring.settings.nodeAction')}
        value={node.alerts?.action ?? ''}
        options={[
          { value: '', label: t('monitoring.settings.inherit') },
          { value: 'notify', label: t('monitoring.settings.notify') },
          { value: 'cancel', label: t('monitoring.settings.cancel') },
        ]}
        problems={problemsForField(problems, node.id, 'alerts.action')}
        overridden={node.alerts?.action !== undefined}
        onReset={() => set(withAction(node.alerts, undefined))}
        onCommit={(v) => set(withAction(node.alerts, v === '' ? undefined : (v as AlertAction)))}
      />
      <p className="field-hint">{t('monitoring.settings.nodeRulesHint')}</p>
      {RULES.map(({ rule, thresholds }) => {
        const enabled = own(rule, 'enabled');
        const action = own(rule, 'action');
        return (
          <fieldset key={rule} className="node-alert-rule" data-rule={rule}>
            <legend>{t(`monitoring.settings.${rule}`)}</legend>
            <SelectField
              id={fieldDomId(node.id, `alerts.${rule}.enabled`)}
              label={t('monitoring.settings.ruleState')}
              value={enabled === undefined ? '' : enabled ? 'on' : 'off'}
              options={[
                { value: '', label: t('monitoring.settings.inheritValue', { value: onOff(inherited[rule].enabled) }) },
                { value: 'on', label: t('monitoring.settings.ruleOn') },
                { value: 'off', label: t('monitoring.settings.ruleOff') },
              ]}
              problems={problemsForField(problems, node.id, `alerts.${rule}.enabled`)}
              overridden={enabled !== undefined}
              onReset={() => setRule(rule, 'enabled', undefined)}
              onCommit={(v) => setRule(rule, 'enabled', v === '' ? undefined : v === 'on')}
            />
            <SelectField
              id={fieldDomId(node.id, `alerts.${rule}.action`)}
              label={t('monitoring.settings.ruleAction')}
              value={typeof action === 'string' ? action : ''}
              options={[
                { value: '', label: t('monitoring.settings.inheritValue', { value: actionText(inherited[rule].action) }) },
                { value: 'notify', label: t('monitoring.settings.notify') },
                { value: 'cancel', label: t('monitoring.settings.cancel') },
              ]}
              problems={problemsForField(problems, node.id, `alerts.${rule}.action`)}
              overridden={action !== undefined}
              onReset={() => setRule(rule, 'action', undefined)}
              onCommit={(v) => setRule(rule, 'action', v === '' ? undefined : (v as AlertAction))}
            />
            {thresholds.map((th) => {
              const value = own(rule, th.key);
              const fallback = (inherited[rule] as unknown as Record<string, number>)[th.key];
              return (
                <NumberField
                  key={th.key}
                  id={fieldDomId(node.id, `alerts.${rule}.${th.key}`)}
                  label={t(`monitoring.settings.${th.label}`)}
                  value={typeof value === 'number' ? value : undefined}
                  placeholder={String(fallback)}
                  integer={th.integer}
                  unit={th.unit === 'minutes' ? t('monitoring.settings.minutes') : th.unit === 'percent' ? t('monitoring.settings.percent') : th.unit}
                  min={th.min}
                  max={th.max}
                  problems={problemsForField(problems, node.id, `alerts.${rule}.${th.key}`)}
                  overridden={value !== undefined}
                  onReset={() => setRule(rule, th.key, undefined)}
                  onCommit={(v) => setRule(rule, th.key, v)}
                />
              );
            })}
          </fieldset>
        );
      })}
    </section>
  );
}
