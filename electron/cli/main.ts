/**
 * The `pipewright` program: finds its commands (one file each in ./commands/, exporting
 * `command: CliCommand`), prints help and the version, checks arguments and runs the command.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { formatHelp, parseArgs } from './args.ts';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, type CliCommand, type CliIo } from './types.ts';

const COMMANDS_DIR = new URL('./commands/', import.meta.url);
// From the sources each command is a .ts file; in the prebuilt CLI (scripts/build-cli.mjs), a .mjs file.
const EXT = import.meta.url.endsWith('.ts') ? 'ts' : 'mjs';
const COMMAND_FILE = new RegExp(`^([a-z][a-z0-9-]*)\\.${EXT}$`);

export function programVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
  return pkg.version ?? '0.0.0';
}

/** Names of the commands, from the files in ./commands/ (tests excluded), sorted. */
export function commandNames(): string[] {
  return readdirSync(COMMANDS_DIR)
    .filter((f) => !f.endsWith('.test.ts'))
    .flatMap((f) => COMMAND_FILE.exec(f)?.[1] ?? [])
    .sort();
}

export async function loadCommand(name: string): Promise<CliCommand | undefined> {
  if (!commandNames().includes(name)) return undefined;
  const mod = (await import(new URL(`${name}.${EXT}`, COMMANDS_DIR).href)) as { command?: CliCommand };
  if (!mod.command || mod.command.name !== name) throw new Error(`commands/${name}.ts must export \`command\` with name "${name}"`);
  return mod.command;
}

/**
 * Each command's name and summary. The prebuilt CLI lists them in commands.json at build time, so the
 * help does not load every command (some load the Kubernetes client, ~0.5 s of CPU).
 */
async function commandSummaries(): Promise<{ name: string; summary: string }[]> {
  if (EXT === 'mjs') {
    try {
      const listed = JSON.parse(readFileSync(new URL('./commands.json', import.meta.url), 'utf8')) as { name: string; summary: string }[];
      if (listed.map((c) => c.name).join() === commandNames().join()) return listed;
    } catch {
      // Not there (an older build): load the commands.
    }
  }
  return (await Promise.all(commandNames().map((n) => loadCommand(n)))).map((c) => ({ name: c!.name, summary: c!.summary }));
}

async function programHelp(): Promise<string> {
  const commands = await commandSummaries();
  const width = Math.max(...commands.map((c) => c!.name.length)) + 3;
  return [
    `pipewright ${programVersion()}: draw, check, compile and run Korean LLM training pipelines`,
    '',
    'Usage: pipewright <command> [arguments] [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c!.name.padEnd(width)}${c!.summary}`),
    '',
    'Options:',
    '  -h, --help      Show this help; `pipewright <command> --help` shows a command\'s help',
    '  -V, --version   Print the version',
    '',
    'Exit status: 0 success, 1 invalid input or failed work, 2 wrong command line.',
    '',
  ].join('\n');
}

/** Runs the program with `argv` (the words after `pipewright`) and returns its exit status. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || (first === 'help' && rest.length === 0)) {
    io.stdout(await programHelp());
    return first === undefined ? EXIT_USAGE : EXIT_OK;
  }
  if (first === '--version' || first === '-V') {
    io.stdout(`pipewright ${programVersion()}\n`);
    return EXIT_OK;
  }
  const name = first === 'help' ? rest[0] : first;
  const command = await loadCommand(name);
  if (!command) {
    const known = commandNames();
    io.stderr(`pipewright: unknown command ${JSON.stringify(name)}. Commands: ${known.join(', ')}. Run \`pipewright --help\` for more.\n`);
    return EXIT_USAGE;
  }
  const parsed = parseArgs(first === 'help' ? ['--help'] : rest, command.options, command.positionals);
  if (!parsed.ok) {
    io.stderr(`pipewright ${command.name}: ${parsed.error}\nUsage: ${command.usage}\nRun \`pipewright ${command.name} --help\` for more.\n`);
    return EXIT_USAGE;
  }
  if (parsed.help) {
    io.stdout(formatHelp(command));
    return EXIT_OK;
  }
  try {
    return await command.run(parsed.args, io);
  } catch (err) {
    io.stderr(`pipewright ${command.name}: unexpected failure: ${(err as Error).stack ?? String(err)}\n`);
    return EXIT_FAILURE;
  }
}
