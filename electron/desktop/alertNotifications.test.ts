import { describe, expect, it } from 'vitest';
import type { NotificationConstructorOptions } from 'electron';
import type { RunAlert } from '../../shared/alerts/types.ts';
import type { RunEvent } from '../../shared/runs/types.ts';
import { alertLanguage, alertNotifier } from './alertNotifications.ts';

const alert: RunAlert = { id: 'cpt:nonFiniteLoss', rule: 'nonFiniteLoss', nodeId: 'cpt', step: 120, at: '2026-12-04T10:00:00Z', action: 'cancel', value: NaN, message: 'The loss of cpt became NaN at step 120.' };

function setup(lang: 'en' | 'ko', supported = true) {
  const shown: NotificationConstructorOptions[] = [];
  let clickHandler: (() => void) | undefined;
  let focused = 0;
  const notify = alertNotifier({
    create: (options) => ({
      show: () => shown.push(options),
      on: (_event, listener) => (clickHandler = listener),
    }),
    isSupported: () => supported,
    language: async () => lang,
    getRun: async () => ({ pipelineName: 'korean-llm', document: { nodes: [{ id: 'cpt', label: 'CPT 7B' }] } }),
    focus: () => void focused++,
  });
  return { notify, shown, click: () => clickHandler?.(), focused: () => focused };
}

const event: RunEvent = { kind: 'alert', runId: 'r1', nodeId: 'cpt', alert };
const settle = () => new Promise((r) => setTimeout(r, 10));

describe('desktop alert notifications', () => {
  it('shows one notification per alert, in English, naming the node and the step; a click brings the window forward', async () => {
    const s = setup('en');
    s.notify(event);
    s.notify({ kind: 'metrics', runId: 'r1', nodeId: 'cpt', records: [] });
    await settle();
    expect(s.shown).toEqual([{ title: 'Pipewright alert: korean-llm', body: 'Loss became NaN on CPT 7B (cpt) at step 120. The run was stopped to save GPU hours.', urgency: 'critical' }]);
    s.click();
    expect(s.focused()).toBe(1);
  });

  it('speaks Korean when the user does', async () => {
    const s = setup('ko');
    s.notify({ ...event, alert: { ...alert, action: 'notify' } } as RunEvent);
    await settle();
    expect(s.shown[0]).toMatchObject({ title: 'Pipewright 알림: korean-llm', body: 'CPT 7B (cpt)의 손실이 120 스텝에서 NaN이(가) 되었습니다. 실행은 계속됩니다.', urgency: 'normal' });
  });

  it('stays quiet where notifications are not supported', async () => {
    const s = setup('en', false);
    s.notify(event);
    await settle();
    expect(s.shown).toEqual([]);
  });

  it.each([['ko', 'en-US', 'ko'], ['en', 'ko-KR', 'en'], ['system', 'ko-KR', 'ko'], ['system', 'de-DE', 'en']] as const)('language %s with system locale %s is %s', (setting, locale, expected) => {
    expect(alertLanguage(setting, locale)).toBe(expected);
  });
});
