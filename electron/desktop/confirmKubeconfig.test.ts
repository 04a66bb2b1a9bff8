import { describe, expect, it } from 'vitest';
import { createKubeconfigConfirm, kubeconfigProgramsDialog } from './confirmKubeconfig.ts';

const eks = { file: '/home/u/.kube/eks.yaml', commands: ['aws eks get-token --cluster-name prod (user eks-admin)'] };
const later = { file: '/home/u/.kube/later.yaml', commands: [], unreadable: 'it does not exist (yet)' };

describe('the kubeconfig programs confirmation', () => {
  it('names each file and the command lines it runs, in English and Korean', () => {
    const en = kubeconfigProgramsDialog('en', [eks]);
    expect(en).toMatchObject({ type: 'warning', message: 'Add a kubeconfig that runs a program?', buttons: ['Add and allow', 'Cancel'] });
    expect(en.detail).toContain('/home/u/.kube/eks.yaml\n  runs, at every request to its cluster:\n  • aws eks get-token --cluster-name prod (user eks-admin)');
    const ko = kubeconfigProgramsDialog('ko', [eks, later]);
    expect(ko).toMatchObject({ message: '프로그램을 실행하는 kubeconfig 2개를 추가할까요?', buttons: ['추가하고 허용', '취소'] });
    expect(ko.detail).toContain('/home/u/.kube/later.yaml\n  지금은 확인할 수 없습니다 (it does not exist (yet))');
  });

  it('Enter and Escape add nothing; only the first button confirms', async () => {
    expect(kubeconfigProgramsDialog('en', [eks])).toMatchObject({ defaultId: 1, cancelId: 1 });
    for (const [response, confirmed] of [[0, true], [1, false], [-1, false]] as const) {
      expect(await createKubeconfigConfirm(async () => ({ response }), async () => 'en')([eks])).toBe(confirmed);
    }
  });
});
