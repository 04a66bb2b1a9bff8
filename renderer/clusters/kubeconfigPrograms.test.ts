import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import type { KubeconfigProgramsReason } from '../../shared/api/clusters.ts';
import { ApiError } from '../../shared/api/errors.ts';
import { en } from '../i18n/en.ts';
import { ko } from '../i18n/ko.ts';
import { kubeconfigProgramsReasonOf, kubeconfigProgramsText, wordKubeconfigPrograms } from './kubeconfigPrograms.tsx';

async function tFor(lng: 'en' | 'ko') {
  const i18n = i18next.createInstance();
  await i18n.init({ resources: { en: { translation: en }, ko: { translation: ko } }, lng, fallbackLng: 'en', interpolation: { escapeValue: false } });
  return i18n.t;
}

const eks = { file: '/home/u/eks.yaml', commands: ['aws eks get-token --cluster-name prod (user eks-admin)'] };
const reason = (over: Partial<KubeconfigProgramsReason> = {}): KubeconfigProgramsReason => ({ kind: 'kubeconfig-programs', situation: 'add', declined: false, files: [eks], ...over });
const browser = { mode: 'browser' as const, delimiter: ':' };

describe('kubeconfig programs refusals, worded in the UI language', () => {
  it('browser mode, adding: Korean, naming the file, the command and the terminal way', async () => {
    const text = kubeconfigProgramsText(await tFor('ko'), reason(), browser);
    expect(text).toBe(
      [
        '추가하지 않았습니다: 이 kubeconfig는 Pipewright가 프로그램(exec 자격 증명 플러그인)을 실행하게 하거나 지금은 확인할 수 없습니다. 브라우저 모드에서는 페이지 밖에서 확인을 받을 수 없습니다.',
        '/home/u/eks.yaml 실행하는 프로그램: aws eks get-token --cluster-name prod (user eks-admin)',
        '사용하려면 터미널에서 KUBECONFIG=/home/u/eks.yaml로 Pipewright를 시작하거나(그때는 여기 목록을 비워 두세요), 네이티브 대화상자로 확인을 묻는 데스크톱 앱에서 추가하세요.',
      ].join('\n'),
    );
    expect(kubeconfigProgramsText(await tFor('en'), reason(), browser)).toContain('/home/u/eks.yaml runs: aws eks get-token');
  });

  it('every situation has its own words in both languages; several files and unreadable ones', async () => {
    for (const lng of ['en', 'ko'] as const) {
      const t = await tFor(lng);
      const seen = new Set<string>();
      for (const situation of ['add', 'changed'] as const) {
        for (const declined of [false, true]) {
          for (const mode of ['browser', 'desktop'] as const) {
            const w = wordKubeconfigPrograms(t, reason({ situation, declined }), { mode, delimiter: ':' });
            expect(w.summary).not.toMatch(/clusters\.programs/);
            expect(w.fix).not.toMatch(/clusters\.programs/);
            seen.add(`${w.summary}|${w.fix}`);
          }
        }
      }
      // add, add declined, changed (browser), changed (desktop: asked at next use), changed declined.
      expect(seen.size).toBe(5);
      const two = wordKubeconfigPrograms(t, reason({ situation: 'changed', files: [eks, { file: '/k/later.yaml', commands: [], unreadable: 'missing' }] }), { mode: 'browser', delimiter: ';' });
      expect(two.fix).toContain('KUBECONFIG=/home/u/eks.yaml;/k/later.yaml');
      expect(two.files[1]!.label).toBe(lng === 'ko' ? '지금은 확인할 수 없습니다: 아직 파일이 없습니다.' : 'cannot be checked now: it does not exist yet.');
      expect(two.summary).toContain(lng === 'ko' ? '2개' : 'these 2 kubeconfigs');
    }
  });

  it('only an ApiError with that reason is read as one', () => {
    expect(kubeconfigProgramsReasonOf(new ApiError('failed', 'x', [], reason()))).toEqual(reason());
    expect(kubeconfigProgramsReasonOf(new ApiError('failed', 'x'))).toBeNull();
    expect(kubeconfigProgramsReasonOf(new Error('x'))).toBeNull();
  });
});
