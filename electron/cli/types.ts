/** The shape of a `pipewright` command. One file per command in electron/cli/commands/ exports `command`. */

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Relative paths in arguments are resolved against this. */
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  /** stdout is a terminal (the place for colour or progress). */
  isTTY: boolean;
  /** Aborted on Ctrl-C: long commands (`logs --follow`) stop cleanly and return. */
  signal: AbortSignal;
}

export interface OptionSpec {
  type: 'boolean' | 'string';
  description: string;
  /** Placeholder in help: `--out DIR`. */
  valueName?: string;
  /** Allowed values of a string option. */
  choices?: readonly string[];
  required?: boolean;
  /** One-letter alias, without the dash. */
  short?: string;
  /** A string option that may be given several times (collected into a list). */
  multiple?: boolean;
}

export interface PositionalSpec {
  name: string;
  description: string;
  optional?: boolean;
}

export type OptionValue = string | boolean | string[] | undefined;

export interface ParsedArgs {
  positionals: string[];
  /** By long option name; booleans are `true` when given, strings their value, `multiple` ones a list. */
  options: Record<string, OptionValue>;
}

export interface CliCommand {
  name: string;
  /** One line for the program's command list. */
  summary: string;
  /** The synopsis: `pipewright validate FILE [--json]`. */
  usage: string;
  /** Paragraphs for the command's own --help. */
  description?: string;
  positionals?: readonly PositionalSpec[];
  options?: Readonly<Record<string, OptionSpec>>;
  examples?: readonly string[];
  /** Runs with arguments already checked against `positionals` and `options`; returns the exit status. */
  run(args: ParsedArgs, io: CliIo): Promise<number>;
}

/** Exit statuses every command uses. */
export const EXIT_OK = 0;
/** The input is invalid or the work failed. */
export const EXIT_FAILURE = 1;
/** The command line itself is wrong. */
export const EXIT_USAGE = 2;
