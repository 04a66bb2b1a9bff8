/** The native confirmation before a kubeconfig that runs programs (exec credential plugins) is added (English and Korean). */
import type { MessageBoxOptions } from 'electron';
import type { KubeconfigPrograms } from '../services/kube/kubeconfigExec.ts';
import type { DialogLanguage, ShowMessageBox } from './confirmDialog.ts';
import { cancelByDefault, createConfirm } from './confirmDialog.ts';

const TEXT = {
  en: {
    title: 'Kubeconfig',
    message: (n: number) => (n === 1 ? 'Add a kubeconfig that runs a program?' : `Add ${n} kubeconfigs that run programs?`),
    runs: 'runs, at every request to its cluster:',
    unreadable: (why: string) => `cannot be checked now (${why}); whatever credential plugin it names later will run.`,
    warning: 'Confirm only if you added this file yourself and trust it: these programs run on this computer with your permissions.',
    buttons: ['Add and allow', 'Cancel'],
  },
  ko: {
    title: 'kubeconfig',
    message: (n: number) => (n === 1 ? '프로그램을 실행하는 kubeconfig를 추가할까요?' : `프로그램을 실행하는 kubeconfig ${n}개를 추가할까요?`),
    runs: '이 파일은 클러스터에 요청할 때마다 다음을 실행합니다:',
    unreadable: (why: string) => `지금은 확인할 수 없습니다 (${why}). 나중에 이 파일이 지정하는 자격 증명 플러그인이 실행됩니다.`,
    warning: '이 파일을 직접 추가했고 신뢰하는 경우에만 확인하세요. 이 프로그램들은 이 컴퓨터에서 사용자의 권한으로 실행됩니다.',
    buttons: ['추가하고 허용', '취소'],
  },
} as const;

export function kubeconfigProgramsDialog(language: DialogLanguage, list: readonly KubeconfigPrograms[]): MessageBoxOptions {
  const text = TEXT[language];
  const files = list.map((p) => (p.unreadable ? `${p.file}\n  ${text.unreadable(p.unreadable)}` : `${p.file}\n  ${text.runs}\n${p.commands.map((c) => `  • ${c}`).join('\n')}`));
  // Enter or Escape adds nothing.
  return cancelByDefault({ title: text.title, message: text.message(list.length), detail: `${files.join('\n\n')}\n\n${text.warning}`, buttons: text.buttons });
}

/** A confirm function for the reach gate: true only when the user pressed the first button. */
export function createKubeconfigConfirm(showMessageBox: ShowMessageBox, language: () => Promise<DialogLanguage>): (list: readonly KubeconfigPrograms[]) => Promise<boolean> {
  return createConfirm(showMessageBox, language, kubeconfigProgramsDialog);
}
