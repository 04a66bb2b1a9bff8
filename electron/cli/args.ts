/** A small argument parser: `--name value`, `--name=value`, `-x value`, boolean flags, `--` ends options. */
import { closestName } from '../../shared/pipeline/validateNames.ts';
import type { OptionSpec, OptionValue, ParsedArgs, PositionalSpec } from './types.ts';

export type ParseResult = { ok: true; args: ParsedArgs; help: boolean } | { ok: false; error: string };

const looksLikeOption = (word: string) => word.startsWith('-') && word !== '-' && !/^-\d/.test(word);

/** Parses `argv` (the words after the command name); `--help`/`-h` anywhere before `--` asks for help, whatever else is wrong. */
export function parseArgs(
  argv: readonly string[],
  options: Readonly<Record<string, OptionSpec>> = {},
  positionals: readonly PositionalSpec[] = [],
): ParseResult {
  const end = argv.indexOf('--');
  const head = end < 0 ? argv : argv.slice(0, end);
  if (head.includes('--help') || head.includes('-h')) return { ok: true, args: { positionals: [], options: {} }, help: true };
  const values: Record<string, OptionValue> = {};
  const words: string[] = [];
  const byShort = new Map(Object.entries(options).flatMap(([name, spec]) => (spec.short ? [[spec.short, name] as const] : [])));
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i];
    if (word === '--') {
      words.push(...argv.slice(i + 1));
      break;
    }
    if (!looksLikeOption(word)) {
      words.push(word);
      continue;
    }
    const eq = word.indexOf('=');
    const flag = eq > 0 ? word.slice(0, eq) : word;
    const name = flag.startsWith('--') ? flag.slice(2) : byShort.get(flag.slice(1));
    const spec = name === undefined ? undefined : options[name];
    if (!spec || name === undefined) {
      const hint = closestName(flag.replace(/^-+/, ''), Object.keys(options));
      return { ok: false, error: `unknown option ${flag}${hint ? ` (did you mean --${hint}?)` : ''}` };
    }
    let value: string | boolean;
    if (spec.type === 'boolean') {
      if (eq > 0) return { ok: false, error: `--${name} takes no value` };
      value = true;
    } else if (eq > 0) value = word.slice(eq + 1);
    else if (i + 1 < argv.length && !looksLikeOption(argv[i + 1])) value = argv[++i];
    else return { ok: false, error: `--${name} needs a value${spec.valueName ? ` (${spec.valueName})` : ''}` };
    if (typeof value === 'string' && spec.choices && !spec.choices.includes(value)) {
      return { ok: false, error: `--${name} must be one of ${spec.choices.join(', ')}, not ${JSON.stringify(value)}` };
    }
    if (spec.multiple && typeof value === 'string') values[name] = [...((values[name] as string[] | undefined) ?? []), value];
    else if (values[name] !== undefined && spec.type === 'string') return { ok: false, error: `--${name} is given more than once` };
    else values[name] = value;
  }
  const required = positionals.filter((p) => !p.optional);
  if (words.length < required.length) return { ok: false, error: `missing ${required[words.length].name}` };
  if (words.length > positionals.length) {
    const extra = words.slice(positionals.length).map((w) => JSON.stringify(w)).join(' ');
    return { ok: false, error: `unexpected argument${words.length - positionals.length > 1 ? 's' : ''} ${extra}` };
  }
  for (const [name, spec] of Object.entries(options)) {
    if (spec.required && values[name] === undefined) return { ok: false, error: `--${name} is required` };
  }
  return { ok: true, args: { positionals: words, options: values }, help: false };
}

/** A command's --help text from its spec. */
export function formatHelp(spec: {
  usage: string;
  summary: string;
  description?: string;
  positionals?: readonly PositionalSpec[];
  options?: Readonly<Record<string, OptionSpec>>;
  examples?: readonly string[];
}): string {
  const lines = [`Usage: ${spec.usage}`, '', spec.summary];
  if (spec.description) lines.push('', spec.description);
  const rows: [string, string][] = [];
  for (const p of spec.positionals ?? []) rows.push([p.name, p.description]);
  for (const [name, o] of Object.entries(spec.options ?? {})) {
    const flag = `${o.short ? `-${o.short}, ` : ''}--${name}${o.type === 'string' ? ` ${o.valueName ?? (o.choices ? o.choices.join('|') : 'VALUE')}` : ''}`;
    rows.push([flag, `${o.description}${o.required ? ' (required)' : ''}`]);
  }
  rows.push(['-h, --help', 'Show this help']);
  const width = Math.max(...rows.map(([left]) => left.length)) + 2;
  lines.push('', 'Arguments and options:', ...rows.map(([left, right]) => `  ${left.padEnd(width)}${right}`));
  if (spec.examples?.length) lines.push('', 'Examples:', ...spec.examples.map((e) => `  ${e}`));
  return `${lines.join('\n')}\n`;
}
