import { describe, expect, it } from 'vitest';
import { PROBLEM_CODE_LIST } from '../../shared/pipeline/validate.ts';
import type { Problem } from '../../shared/pipeline/types.ts';
import { problemText, problemWhere } from './problems.ts';

const problem = (code: string, location: Problem['location']): Problem => ({ severity: 'error', code, message: `English for ${code}`, location });

describe('problem text', () => {
  it('English shows the validator message as written', () => {
    expect(problemText(problem('param-required', { nodeId: 'data', param: 'uri' }), 'en')).toBe('English for param-required');
  });

  it.each(PROBLEM_CODE_LIST.map((c) => c.code))('Korean explains %s and says where', (code) => {
    const text = problemText(problem(code, { nodeId: 'cpt', field: 'resources.gpus' }), 'ko');
    expect(text).not.toContain('English');
    expect(text).toMatch(/[가-힣]/);
    expect(text).toContain('(cpt · resources.gpus)');
  });

  it('an unknown code falls back to the message', () => {
    expect(problemText(problem('future-code', {}), 'ko')).toBe('English for future-code');
  });

  it('names parameters as params.NAME', () => {
    expect(problemWhere(problem('x', { nodeId: 'a', param: 'lr' }))).toBe('a · params.lr');
  });
});
