import { describe, expect, it } from 'vitest';
import { createKubeconfigConfirm, kubeconfigProgramsDialog } from './confirmKubeconfig.ts';

const eks = { file: '/home/u/.kube/eks.yaml', commands: ['aws eks get-token --cluster-name prod (user eks-admin)'] };
const later = { file: '/home/u/.kube/later.yaml', commands: [], unreadable: 'missing' as const };

describe('the kubeconfig programs confirmation', () => {
  it('names each file and the command lines it runs, in English and Korean', () => {
    const en = kubeconfigProgramsDialog('en', [eks]);
    expect(en).toMatchObject({ type: 'warning', message: 'Add a kubeconfig that runs a program?', buttons: ['Add and allow', 'Cancel'] });
    expect(en.detail).toContain('/home/u/.kube/eks.yaml\n  runs, at every request to its cluster:\n  • aws eks get-token --cluster-name prod (user eks-admin)');
    const ko = kubeconfigProgramsDialog('ko', [eks, later]);
    expect(ko).toMatchObject({ message: '프로그램을 실행하는 kubeconfig 2개를 추가할까요?', buttons: ['추가하고 허용', '취소'] });
    expect(ko.detail).toContain('/home/u/.kube/later.yaml\n  지금은 확인할 수 없습니다 (아직 파일이 없습니다)');
    expect(kubeconfigProgramsDialog('en', [{ ...later, unreadable: 'not-yaml', detail: 'bad indentation' }]).detail).toContain('cannot be checked now (it is not YAML: bad indentation)');
  });

  it('a file edited since it was added: says so, lists only the new command lines, and "Allow" / "Cancel"', () => {
    const changed = { file: '/home/u/.kube/eks.yaml', commands: ['/tmp/x.sh (user evil)'] };
    const en = kubeconfigProgramsDialog('en', [changed], 'changed');
    expect(en).toMatchObject({ message: 'A kubeconfig now runs a new program. Allow it?', buttons: ['Allow', 'Cancel'], defaultId: 1, cancelId: 1 });
    expect(en.detail).toContain('/home/u/.kube/eks.yaml\n  was changed since it was added, and now also runs:\n  • /tmp/x.sh (user evil)');
    expect(en.detail).toContain('Until you confirm, Pipewright does not use the file.');
    const ko = kubeconfigProgramsDialog('ko', [changed, changed], 'changed');
    expect(ko).toMatchObject({ message: 'kubeconfig 2개가 새 프로그램을 실행합니다. 허용할까요?', buttons: ['허용', '취소'] });
    expect(ko.detail).toContain('이 파일은 추가된 뒤 바뀌었고, 이제 다음도 실행합니다:\n  • /tmp/x.sh (user evil)');
  });

  it('Enter and Escape add nothing; only the first button confirms', async () => {
    expect(kubeconfigProgramsDialog('en', [eks])).toMatchObject({ defaultId: 1, cancelId: 1 });
    for (const [response, confirmed] of [[0, true], [1, false], [-1, false]] as const) {
      expect(await createKubeconfigConfirm(async () => ({ response }), async () => 'en')([eks])).toBe(confirmed);
    }
  });
});
