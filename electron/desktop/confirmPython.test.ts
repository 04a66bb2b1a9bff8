import { describe, expect, it } from 'vitest';
import { createPythonConfirm, pythonChangeDialog } from './confirmPython.ts';

describe('the Python interpreter confirmation', () => {
  it('names the new and the current interpreter, in English and Korean', () => {
    const en = pythonChangeDialog('en', '/opt/conda/bin/python', '/usr/bin/python3');
    expect(en).toMatchObject({ type: 'warning', message: 'Use a different Python interpreter for local runs?', buttons: ['Use this interpreter', 'Cancel'] });
    expect(en.detail).toContain('/opt/conda/bin/python');
    expect(en.detail).toContain('Now: /usr/bin/python3');
    const ko = pythonChangeDialog('ko', '/opt/conda/bin/python', null);
    expect(ko).toMatchObject({ message: '로컬 실행에 다른 Python 인터프리터를 사용할까요?', buttons: ['이 인터프리터 사용', '취소'] });
    expect(ko.detail).toContain('현재: 기본값 (자동으로 찾음)');
  });

  it('Enter and Escape keep the interpreter: the default and cancel button is Cancel', () => {
    expect(pythonChangeDialog('en', '/x', null)).toMatchObject({ defaultId: 1, cancelId: 1 });
  });

  it('is confirmed only by the first button', async () => {
    for (const [response, confirmed] of [[0, true], [1, false], [-1, false]] as const) {
      const confirm = createPythonConfirm(async () => ({ response }), async () => 'en');
      expect(await confirm('/x', null)).toBe(confirmed);
    }
  });
});
