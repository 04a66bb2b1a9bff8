import { describe, expect, it } from 'vitest';
import { findFileArgument } from './launchArgs.ts';

describe('findFileArgument', () => {
  it.each([
    [['/opt/Pipewright/pipewright', 'demo.pipewright.json'], '/home/u/demo.pipewright.json'],
    [['electron', '.', '--no-sandbox', '/abs/x.pipewright.json'], '/abs/x.pipewright.json'],
    [['/opt/Pipewright/pipewright', '--flag'], null],
    [['/opt/Pipewright/pipewright', 'notes.txt'], null],
  ])('%j -> %s', (argv, expected) => {
    expect(findFileArgument(argv, '/home/u')).toBe(expected);
  });
});
