import { describe, expect, it } from 'vitest';
import { formatHelp, parseArgs } from './args.ts';
import type { OptionSpec, PositionalSpec } from './types.ts';

const options: Record<string, OptionSpec> = {
  target: { type: 'string', description: 'Target', choices: ['kfp', 'argo', 'dvc'], required: true, short: 't' },
  out: { type: 'string', description: 'Folder', valueName: 'DIR' },
  json: { type: 'boolean', description: 'JSON' },
  node: { type: 'string', description: 'Node', multiple: true },
};
const positionals: PositionalSpec[] = [{ name: 'FILE', description: 'File' }];

describe('parseArgs', () => {
  it.each<[string, string[], object]>([
    ['spaced values', ['f.json', '--target', 'kfp', '--out', 'dir'], { positionals: ['f.json'], options: { target: 'kfp', out: 'dir' } }],
    ['= values and a flag', ['--target=argo', '--json', 'f.json'], { positionals: ['f.json'], options: { target: 'argo', json: true } }],
    ['a short alias', ['-t', 'dvc', 'f.json'], { positionals: ['f.json'], options: { target: 'dvc' } }],
    ['a repeated option', ['f', '-t', 'kfp', '--node', 'a', '--node=b'], { positionals: ['f'], options: { target: 'kfp', node: ['a', 'b'] } }],
    ['-- before a file named like an option', ['-t', 'kfp', '--', '--weird.json'], { positionals: ['--weird.json'], options: { target: 'kfp' } }],
    ['a negative number as a value', ['f', '-t', 'kfp', '--out', '-1'], { positionals: ['f'], options: { target: 'kfp', out: '-1' } }],
  ])('reads %s', (_label, argv, expected) => {
    const result = parseArgs(argv, options, positionals);
    expect(result).toEqual({ ok: true, help: false, args: expected });
  });

  it.each<[string, string[], string]>([
    ['a misspelt option', ['f', '--taget', 'kfp'], 'unknown option --taget (did you mean --target?)'],
    ['an unknown short option', ['f', '-x'], 'unknown option -x'],
    ['a missing value', ['f', '--target'], '--target needs a value'],
    ['a value that is another option', ['f', '--out', '--json', '-t', 'kfp'], '--out needs a value (DIR)'],
    ['a value outside the choices', ['f', '--target', 'airflow'], '--target must be one of kfp, argo, dvc, not "airflow"'],
    ['a value on a flag', ['f', '-t', 'kfp', '--json=yes'], '--json takes no value'],
    ['a missing required option', ['f'], '--target is required'],
    ['a missing positional', ['-t', 'kfp'], 'missing FILE'],
    ['extra positionals', ['a', 'b', 'c', '-t', 'kfp'], 'unexpected arguments "b" "c"'],
    ['an option twice', ['f', '-t', 'kfp', '--target', 'argo'], '--target is given more than once'],
  ])('refuses %s', (_label, argv, error) => {
    expect(parseArgs(argv, options, positionals)).toEqual({ ok: false, error });
  });

  it('asks for help even when other arguments are wrong', () => {
    const result = parseArgs(['--help'], options, positionals);
    expect(result.ok && result.help).toBe(true);
    const short = parseArgs(['f', '-h', '--target', 'nope'], options, positionals);
    expect(short.ok && short.help).toBe(true);
    expect(parseArgs(['-t', 'kfp', '--', '-h'], options, positionals)).toMatchObject({ ok: true, help: false, args: { positionals: ['-h'] } });
  });
});

describe('formatHelp', () => {
  it('lists usage, arguments, options with values and requirements, and examples', () => {
    const text = formatHelp({ usage: 'pipewright x FILE', summary: 'Does x', options, positionals, examples: ['pipewright x a.json -t kfp'] });
    expect(text).toMatch(/^Usage: pipewright x FILE\n\nDoes x\n/);
    expect(text).toMatch(/ {2}-t, --target kfp\|argo\|dvc +Target \(required\)/);
    expect(text).toMatch(/ {2}--out DIR +Folder/);
    expect(text).toMatch(/ {2}FILE +File/);
    expect(text).toMatch(/Examples:\n {2}pipewright x a\.json -t kfp\n$/);
  });
});
