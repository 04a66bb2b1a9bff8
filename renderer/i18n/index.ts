/** English and Korean UI text (i18next), following the OS locale unless the user picks one. */
import i18next from 'i18next';
import { initReactI18next, useTranslation } from 'react-i18next';
import type { LocalizedText } from '../../shared/pipeline/types.ts';
import type { LanguageChoice } from '../store/uiSlice.ts';
import { en } from './en.ts';
import { ko } from './ko.ts';

export type Lang = 'en' | 'ko';

export function systemLanguage(locale: string | undefined = typeof navigator === 'undefined' ? undefined : navigator.language): Lang {
  return locale?.toLowerCase().startsWith('ko') ? 'ko' : 'en';
}

export function resolveLanguage(choice: LanguageChoice): Lang {
  return choice === 'system' ? systemLanguage() : choice;
}

export async function initI18n(lang: Lang): Promise<void> {
  await i18next.use(initReactI18next).init({
    resources: { en: { translation: en }, ko: { translation: ko } },
    lng: lang,
    fallbackLng: 'en',
    interpolation: { escapeValue: false },
  });
  document.documentElement.lang = lang;
}

export async function changeLanguage(lang: Lang): Promise<void> {
  if (i18next.language === lang) return;
  await i18next.changeLanguage(lang);
  document.documentElement.lang = lang;
}

/** The current UI language, re-rendering when it changes. */
export function useLang(): Lang {
  const { i18n } = useTranslation();
  return i18n.language === 'ko' ? 'ko' : 'en';
}

export function localize(text: LocalizedText | undefined, lang: Lang, fallback = ''): string {
  return text ? text[lang] || text.en : fallback;
}
