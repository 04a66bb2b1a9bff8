import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import { catalog } from '../../node-catalog/index.ts';
import { en } from './en.ts';
import { systemLanguage } from './index.ts';
import { ko } from './ko.ts';

function leaves(value: unknown, prefix = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) for (const [kk, vv] of leaves(v, prefix ? `${prefix}.${k}` : k)) out.set(kk, vv);
  } else out.set(prefix, value);
  return out;
}

describe('UI text', () => {
  const enLeaves = leaves(en);
  const koLeaves = leaves(ko);

  it('Korean has every English key and no others', () => {
    expect([...koLeaves.keys()].sort()).toEqual([...enLeaves.keys()].sort());
  });

  it('no Korean text is left empty', () => {
    for (const [key, value] of koLeaves) {
      expect(typeof value === 'string' || typeof value === 'function', key).toBe(true);
      if (typeof value === 'string') expect(value.trim(), key).not.toBe('');
    }
  });

  it('both languages use the same interpolation variables', () => {
    const vars = (s: unknown) => (typeof s === 'string' ? [...s.matchAll(/{{(\w+)}}/g)].map((m) => m[1]).sort() : []);
    for (const [key, value] of enLeaves) expect(vars(koLeaves.get(key)), key).toEqual(vars(value));
  });

  it('a status message names its target in the language shown now, not the one it was made in', async () => {
    const i18n = i18next.createInstance();
    await i18n.init({ resources: { en: { translation: en }, ko: { translation: ko } }, lng: 'en', fallbackLng: 'en', interpolation: { escapeValue: false } });
    const values = { id: 'r1', target: 'local' };
    expect(i18n.t('run.started', values)).toBe('Run r1 started on This machine.');
    await i18n.changeLanguage('ko');
    expect(i18n.t('run.started', values)).toBe('실행 r1을(를) 이 컴퓨터에서 시작했습니다.');
  });

  it('every catalog title and parameter title exists in both languages', () => {
    for (const spec of catalog.types.values()) {
      expect(spec.title.ko).not.toBe('');
      for (const p of spec.params) expect(p.title.ko, `${spec.type}.${p.name}`).not.toBe('');
    }
  });

  it.each([
    ['ko-KR', 'ko'],
    ['ko', 'ko'],
    ['en-US', 'en'],
    ['de-DE', 'en'],
    [undefined, 'en'],
  ])('OS locale %s → %s', (locale, lang) => {
    expect(systemLanguage(locale)).toBe(lang);
  });
});
