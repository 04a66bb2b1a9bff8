/**
 * What an alert says to a person, in English and Korean: the app's banner (through i18next, which reads
 * these same templates) and the desktop notification the main process shows. `{{name}}` as i18next writes it.
 */
import type { RunAlert } from './types.ts';

export const ALERT_TEXT = {
  en: {
    nonFiniteLoss: 'Loss became {{value}} on {{node}} at step {{step}}',
    lossSpike: 'Loss spiked to {{value}} on {{node}} at step {{step}} (over {{factor}}× its recent median {{median}})',
    stall: 'No progress on {{node}} for {{minutes}} min (last step {{step}})',
    gpuIdle: 'GPUs of {{node}} at {{value}}% for {{minutes}} min (below {{threshold}}%), at step {{step}}',
    cancelled: 'The run was stopped to save GPU hours.',
    notified: 'The run goes on.',
    title: 'Pipewright alert: {{pipeline}}',
  },
  ko: {
    nonFiniteLoss: '{{node}}의 손실이 {{step}} 스텝에서 {{value}}이(가) 되었습니다',
    lossSpike: '{{node}}의 손실이 {{step}} 스텝에서 {{value}}(으)로 급등했습니다 (최근 중앙값 {{median}}의 {{factor}}배 초과)',
    stall: '{{node}}이(가) {{minutes}}분 동안 진행하지 않았습니다 (마지막 스텝 {{step}})',
    gpuIdle: '{{node}}의 GPU 사용률이 {{minutes}}분 동안 {{value}}%입니다 ({{threshold}}% 미만), {{step}} 스텝',
    cancelled: 'GPU 시간을 아끼려고 실행을 중지했습니다.',
    notified: '실행은 계속됩니다.',
    title: 'Pipewright 알림: {{pipeline}}',
  },
} as const;

export type AlertLang = keyof typeof ALERT_TEXT;

function short(value: number | undefined): string {
  if (value === undefined) return '–';
  if (!Number.isFinite(value)) return String(value);
  return String(Number(value.toPrecision(4)));
}

/** The values the templates name, formatted; `nodeLabel` is how the user named the node, if they did. */
export function alertVariables(alert: RunAlert, nodeLabel?: string): Record<string, string> {
  const factor = alert.median ? (alert.threshold ?? 0) / alert.median : undefined;
  return {
    node: nodeLabel && nodeLabel !== alert.nodeId ? `${nodeLabel} (${alert.nodeId})` : alert.nodeId,
    step: alert.step === undefined ? '–' : String(alert.step),
    value: short(alert.value),
    threshold: short(alert.threshold),
    median: short(alert.median),
    factor: short(factor),
    minutes: alert.minutes === undefined ? '–' : String(Number(alert.minutes.toPrecision(2))),
  };
}

function fill(template: string, vars: Record<string, string>): string {
  return template.replace(/{{(\w+)}}/g, (_m, name: string) => vars[name] ?? '');
}

/** A notification's title and body for `alert` of a run of `pipeline`. */
export function alertNotificationText(alert: RunAlert, pipeline: string, lang: AlertLang, nodeLabel?: string): { title: string; body: string } {
  const text = ALERT_TEXT[lang];
  const body = `${fill(text[alert.rule], alertVariables(alert, nodeLabel))}. ${alert.action === 'cancel' ? text.cancelled : text.notified}`;
  return { title: fill(text.title, { pipeline }), body };
}
