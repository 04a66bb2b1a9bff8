/** The native confirmation before kubeconfig files run programs (exec credential plugins): when one is added, and when one was edited to run something new (English and Korean). */
import type { MessageBoxOptions } from 'electron';
import type { KubeconfigUncheckable } from '../../shared/api/clusters.ts';
import type { KubeconfigPrograms } from '../services/kube/kubeconfigExec.ts';
import type { DialogLanguage, ShowMessageBox } from './confirmDialog.ts';
import { cancelByDefault, createConfirm } from './confirmDialog.ts';

type Situation = 'add' | 'changed';

const TEXT = {
  en: {
    title: 'Kubeconfig',
    message: {
      add: (n: number) => (n === 1 ? 'Add a kubeconfig that runs a program?' : `Add ${n} kubeconfigs that run programs?`),
      changed: (n: number) => (n === 1 ? 'A kubeconfig now runs a new program. Allow it?' : `${n} kubeconfigs now run new programs. Allow them?`),
    },
    runs: { add: 'runs, at every request to its cluster:', changed: 'was changed since it was added, and now also runs:' },
    unreadable: (why: string) => `cannot be checked now (${why}); Pipewright asks again before it runs any program the file names later.`,
    why: {
      missing: 'it does not exist yet',
      'not-a-file': 'it is not a file',
      'too-large': 'it is larger than 1 MiB',
      'cannot-read': 'it cannot be read',
      'not-yaml': 'it is not YAML',
    } satisfies Record<KubeconfigUncheckable, string>,
    warning: {
      add: 'Confirm only if you added this file yourself and trust it: these programs run on this computer with your permissions.',
      changed: 'Confirm only if you made this change yourself (or ran the tool that did) and trust it: these programs run on this computer with your permissions. Until you confirm, Pipewright does not use the file.',
    },
    buttons: { add: ['Add and allow', 'Cancel'], changed: ['Allow', 'Cancel'] },
  },
  ko: {
    title: 'kubeconfig',
    message: {
      add: (n: number) => (n === 1 ? '프로그램을 실행하는 kubeconfig를 추가할까요?' : `프로그램을 실행하는 kubeconfig ${n}개를 추가할까요?`),
      changed: (n: number) => (n === 1 ? 'kubeconfig가 새 프로그램을 실행합니다. 허용할까요?' : `kubeconfig ${n}개가 새 프로그램을 실행합니다. 허용할까요?`),
    },
    runs: { add: '이 파일은 클러스터에 요청할 때마다 다음을 실행합니다:', changed: '이 파일은 추가된 뒤 바뀌었고, 이제 다음도 실행합니다:' },
    unreadable: (why: string) => `지금은 확인할 수 없습니다 (${why}). 나중에 이 파일이 지정하는 프로그램을 실행하기 전에 다시 묻습니다.`,
    why: {
      missing: '아직 파일이 없습니다',
      'not-a-file': '파일이 아닙니다',
      'too-large': '1 MiB보다 큽니다',
      'cannot-read': '읽을 수 없습니다',
      'not-yaml': 'YAML이 아닙니다',
    } satisfies Record<KubeconfigUncheckable, string>,
    warning: {
      add: '이 파일을 직접 추가했고 신뢰하는 경우에만 확인하세요. 이 프로그램들은 이 컴퓨터에서 사용자의 권한으로 실행됩니다.',
      changed: '이 변경을 직접 했거나(또는 그렇게 하는 도구를 실행했고) 신뢰하는 경우에만 확인하세요. 이 프로그램들은 이 컴퓨터에서 사용자의 권한으로 실행됩니다. 확인하기 전까지 Pipewright는 이 파일을 쓰지 않습니다.',
    },
    buttons: { add: ['추가하고 허용', '취소'], changed: ['허용', '취소'] },
  },
} as const;

export function kubeconfigProgramsDialog(language: DialogLanguage, list: readonly KubeconfigPrograms[], situation: Situation = 'add'): MessageBoxOptions {
  const text = TEXT[language];
  const files = list.map((p) =>
    p.unreadable ? `${p.file}\n  ${text.unreadable(`${text.why[p.unreadable]}${p.detail ? `: ${p.detail}` : ''}`)}` : `${p.file}\n  ${text.runs[situation]}\n${p.commands.map((c) => `  • ${c}`).join('\n')}`,
  );
  // Enter or Escape allows nothing.
  return cancelByDefault({ title: text.title, message: text.message[situation](list.length), detail: `${files.join('\n\n')}\n\n${text.warning[situation]}`, buttons: text.buttons[situation] });
}

/** A confirm function for the reach gate: true only when the user pressed the first button. */
export function createKubeconfigConfirm(showMessageBox: ShowMessageBox, language: () => Promise<DialogLanguage>): (list: readonly KubeconfigPrograms[], situation?: Situation) => Promise<boolean> {
  return createConfirm(showMessageBox, language, kubeconfigProgramsDialog);
}
