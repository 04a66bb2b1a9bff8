/** The native confirmation before local runs start a different Python interpreter (English and Korean). */
import type { MessageBoxOptions } from 'electron';
import type { DialogLanguage, ShowMessageBox } from './confirmDialog.ts';
import { cancelByDefault, createConfirm } from './confirmDialog.ts';

const TEXT = {
  en: {
    title: 'Python interpreter',
    message: 'Use a different Python interpreter for local runs?',
    detail: (next: string, current: string) =>
      `Every step of a local run will be started with:\n${next}\n\nNow: ${current}\n\nConfirm only if you entered this path yourself: the program will run on this computer with your permissions.`,
    defaultInterpreter: 'the default (found automatically)',
    buttons: ['Use this interpreter', 'Cancel'],
  },
  ko: {
    title: 'Python 인터프리터',
    message: '로컬 실행에 다른 Python 인터프리터를 사용할까요?',
    detail: (next: string, current: string) =>
      `로컬 실행의 모든 단계가 다음 프로그램으로 시작됩니다:\n${next}\n\n현재: ${current}\n\n이 경로를 직접 입력한 경우에만 확인하세요. 이 프로그램은 이 컴퓨터에서 사용자의 권한으로 실행됩니다.`,
    defaultInterpreter: '기본값 (자동으로 찾음)',
    buttons: ['이 인터프리터 사용', '취소'],
  },
} as const;

export function pythonChangeDialog(language: DialogLanguage, next: string, current: string | null): MessageBoxOptions {
  const text = TEXT[language];
  // Enter or Escape keeps the interpreter as it is.
  return cancelByDefault({ title: text.title, message: text.message, detail: text.detail(next, current ?? text.defaultInterpreter), buttons: text.buttons });
}

/** A confirm function for the reach gate: true only when the user pressed the first button. */
export function createPythonConfirm(showMessageBox: ShowMessageBox, language: () => Promise<DialogLanguage>): (next: string, current: string | null) => Promise<boolean> {
  return createConfirm(showMessageBox, language, pythonChangeDialog);
}
