/** English and Korean text of the back end's state as the window shows it: connection, notices, drafts. */

export const backendEn = {
  connection: {
    disconnected: 'Disconnected from Pipewright’s back end — retrying…',
    rejected: 'Pipewright was restarted and no longer accepts this page. Open the address it printed in the terminal (…/?token=…); your work is autosaved.',
    reconnected: 'Connected to Pipewright’s back end again.',
  },
  notices: {
    label: 'Notices about Pipewright’s files',
    what: { settings: 'The settings file', 'recent-files': 'The recent files list', draft: 'An autosaved draft' },
    corrupt: '{{what}} {{path}} could not be read, so Pipewright goes on with defaults.',
    corruptDraft: '{{what}} {{path}} could not be read and cannot be restored.',
    kept: 'The original is kept as {{keptAs}}.',
    newer: '{{what}} {{path}} was written by a newer Pipewright (version {{version}}). It is left as it is and never saved over; update Pipewright to use it.',
    detail: 'Detail: {{detail}}',
    dismiss: 'Dismiss',
  },
  drafts: {
    newer: 'Written by a newer Pipewright ({{format}}): update Pipewright to restore it.',
  },
};

export const backendKo: typeof backendEn = {
  connection: {
    disconnected: 'Pipewright 백엔드와 연결이 끊겼습니다 — 다시 연결하는 중…',
    rejected: 'Pipewright가 다시 시작되어 이 페이지를 더 이상 받지 않습니다. 터미널에 출력된 주소(…/?token=…)를 여세요. 작업은 자동 저장되어 있습니다.',
    reconnected: 'Pipewright 백엔드에 다시 연결되었습니다.',
  },
  notices: {
    label: 'Pipewright 파일 알림',
    what: { settings: '설정 파일', 'recent-files': '최근 파일 목록', draft: '자동 저장된 초안' },
    corrupt: '{{what}} {{path}}을(를) 읽을 수 없어 기본값으로 계속합니다.',
    corruptDraft: '{{what}} {{path}}을(를) 읽을 수 없어 복원할 수 없습니다.',
    kept: '원본은 {{keptAs}}(으)로 보관했습니다.',
    newer: '{{what}} {{path}}은(는) 더 새로운 Pipewright(버전 {{version}})가 쓴 파일입니다. 그대로 두고 덮어쓰지 않습니다. 사용하려면 Pipewright를 업데이트하세요.',
    detail: '자세히: {{detail}}',
    dismiss: '닫기',
  },
  drafts: {
    newer: '더 새로운 Pipewright가 쓴 초안입니다({{format}}). 복원하려면 Pipewright를 업데이트하세요.',
  },
};
