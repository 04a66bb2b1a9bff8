import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import { en } from '../i18n/en.ts';
import { ko } from '../i18n/ko.ts';
import { CLOSED_MESSAGE } from '../../electron/services/local/scheduler.ts';
import { runnerMessage } from './runnerMessage.ts';

describe('runnerMessage', () => {
  it("shows the local runner's fixed texts in the UI's language and other messages as they are", async () => {
    const i18n = i18next.createInstance();
    await i18n.init({ resources: { en: { translation: en }, ko: { translation: ko } }, lng: 'ko', fallbackLng: 'en', interpolation: { escapeValue: false } });
    expect(runnerMessage('Cancelled', i18n.t)).toBe('사용자가 취소함');
    expect(runnerMessage(CLOSED_MESSAGE, i18n.t)).toBe('이 실행이 도는 동안 Pipewright가 닫혔습니다');
    expect(runnerMessage('stage "cpt" failed: exit status 1', i18n.t)).toBe('stage "cpt" failed: exit status 1');
    await i18n.changeLanguage('en');
    expect(runnerMessage('Cancelled', i18n.t)).toBe('Cancelled by the user');
  });
});
