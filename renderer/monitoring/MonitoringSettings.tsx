/** Pipeline settings: the Pushgateway the steps push to, and the alerts Pipewright acts on (settings.alerts). */
import { useTranslation } from 'react-i18next';
import { ALERT_DEFAULTS } from '../../shared/alerts/config.ts';
import type { AlertRuleId, AlertSettings } from '../../shared/alerts/types.ts';
import type { Problem } from '../../shared/pipeline/types.ts';
import { fieldDomId, problemsForField } from '../inspector/fieldKeys.ts';
import { CheckboxField, NumberField, SelectField, TextField } from '../inspector/fields.tsx';
import { appStore, useAppStore } from '../store/index.ts';
import { withRule } from './alertSettings.ts';

type Threshold = { rule: AlertRuleId; key: string; label: string; unit?: string; min: number; max: number; integer?: boolean };

const THRESHOLDS: Threshold[] = [
  { rule: 'lossSpike', key: 'factor', label: 'lossSpikeFactor', unit: '×', min: 1, max: 1000 },
  { rule: 'stall', key: 'minutes', label: 'stallMinutes', unit: 'minutes', min: 0, max: 10080 },
  { rule: 'gpuIdle', key: 'utilization', label: 'gpuIdleUtilization', unit: 'percent', min: 0, max: 100 },
  { rule: 'gpuIdle', key: 'minutes', label: 'gpuIdleMinutes', unit: 'minutes', min: 0, max: 1440 },
];

export function MonitoringSettings({ problems }: { problems: readonly Problem[] }) {
  const { t } = useTranslation();
  const settings = useAppStore((s) => s.doc.settings) ?? {};
  const alerts: AlertSettings = settings.alerts ?? {};
  const dispatch = appStore.getState().dispatch;
  const setAlerts = (next: AlertSettings) => dispatch({ type: 'set-settings', patch: { alerts: Object.keys(next).length > 0 ? next : undefined } });
  const ruleValue = (rule: AlertRuleId, key: string): unknown => (alerts[rule] as Record<string, unknown> | undefined)?.[key];
  const field = (path: string) => problemsForField(problems, null, `settings.alerts${path}`);
  return (
    <section className="inspector-section" data-section="monitoring">
      <h3>{t('monitoring.settings.title')}</h3>
      <TextField
        id={fieldDomId(null, 'settings.pushgatewayUrl')}
        label={t('monitoring.settings.pushgatewayUrl')}
        value={settings.pushgatewayUrl ?? ''}
        placeholder="http://pushgateway.monitoring:9091"
        hint={t('monitoring.settings.pushgatewayUrlHint')}
        problems={problemsForField(problems, null, 'settings.pushgatewayUrl')}
        onCommit={(v) => dispatch({ type: 'set-settings', patch: { pushgatewayUrl: v === '' ? undefined : v } }, { mark: false })}
      />
      <p className="field-hint">{t('monitoring.settings.alertsHint')}</p>
      <SelectField
        id={fieldDomId(null, 'settings.alerts.action')}
        label={t('monitoring.settings.action')}
        value={alerts.action ?? 'notify'}
        options={[
          { value: 'notify', label: t('monitoring.settings.notify') },
          { value: 'cancel', label: t('monitoring.settings.cancel') },
        ]}
        problems={field('.action')}
        onCommit={(v) => setAlerts({ ...alerts, action: v === 'notify' ? undefined : (v as 'cancel') })}
      />
      {(['nonFiniteLoss', 'lossSpike', 'stall', 'gpuIdle'] as const).map((rule) => (
        <CheckboxField
          key={rule}
          id={fieldDomId(null, `settings.alerts.${rule}.enabled`)}
          label={t(`monitoring.settings.${rule}`)}
          checked={ruleValue(rule, 'enabled') !== false}
          problems={field(`.${rule}.enabled`)}
          onCommit={(v) => setAlerts(withRule(alerts, rule, 'enabled', v ? undefined : false))}
        />
      ))}
      {THRESHOLDS.map((th) => {
        const value = ruleValue(th.rule, th.key);
        const fallback = (ALERT_DEFAULTS[th.rule] as unknown as Record<string, number>)[th.key];
        return (
          <NumberField
            key={`${th.rule}.${th.key}`}
            id={fieldDomId(null, `settings.alerts.${th.rule}.${th.key}`)}
            label={t(`monitoring.settings.${th.label}`)}
            value={typeof value === 'number' ? value : undefined}
            placeholder={String(fallback)}
            unit={th.unit === 'minutes' ? t('monitoring.settings.minutes') : th.unit === 'percent' ? t('monitoring.settings.percent') : th.unit}
            min={th.min}
            max={th.max}
            problems={field(`.${th.rule}.${th.key}`)}
            overridden={value !== undefined}
            onReset={() => setAlerts(withRule(alerts, th.rule, th.key, undefined))}
            onCommit={(v) => setAlerts(withRule(alerts, th.rule, th.key, v))}
          />
        );
      })}
    </section>
  );
}
