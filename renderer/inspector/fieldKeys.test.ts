import { describe, expect, it } from 'vitest';
import type { Problem } from '../../shared/pipeline/types.ts';
import { fieldDomId, problemFieldKey, problemsForField } from './fieldKeys.ts';

const p = (location: Problem['location']): Problem => ({ severity: 'error', code: 'x', message: 'm', location });

describe('field keys', () => {
  it.each([
    [{ nodeId: 'a', param: 'learning_rate' }, 'params.learning_rate'],
    [{ nodeId: 'a', field: 'resources.gpus' }, 'resources.gpus'],
    [{ field: 'settings.image' }, 'settings.image'],
    [{ nodeId: 'a' }, null],
  ])('%o → %s', (location, key) => {
    expect(problemFieldKey(location)).toBe(key);
  });

  it('a field shows its own problems and those below it, for its node only', () => {
    const problems = [
      p({ nodeId: 'a', field: 'resources.tolerations.0.effect' }),
      p({ nodeId: 'a', field: 'resources.gpus' }),
      p({ nodeId: 'b', field: 'resources.tolerations' }),
      p({ field: 'settings.secretEnv.1.env' }),
    ];
    expect(problemsForField(problems, 'a', 'resources.tolerations')).toEqual([problems[0]]);
    expect(problemsForField(problems, 'a', 'resources.gpu')).toEqual([]);
    expect(problemsForField(problems, null, 'settings.secretEnv')).toEqual([problems[3]]);
  });

  it('DOM ids are safe and distinct per node', () => {
    expect(fieldDomId('cpt', 'params.learning_rate')).toBe('field-cpt-params-learning_rate');
    expect(fieldDomId(null, 'settings.image')).toBe('field-pipeline-settings-image');
  });
});
