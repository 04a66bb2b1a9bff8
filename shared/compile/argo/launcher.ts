/**
 * Getting user text into an Argo container intact. Argo substitutes `{{...}}` anywhere in a template
 * and Kubernetes expands `$(VAR)` (and turns `$$` into `$`) in command, args and env values; neither
 * can be switched off. So `$` is escaped as Kubernetes defines, and in the step script and its arguments an escape character
 * (U+E000, private use) is put between adjacent braces (and doubled where the text has it); the fixed
 * launcher below removes it again before the step script starts. Text without `{{` stays as it is, so the YAML stays readable.
 */

export const ESCAPE_CHAR = '\ue000';

/** Launcher arguments before the step's own: `--pipewright-sample=NAME TEXT` puts a bundled sample in a folder. */
export const SAMPLE_FLAG = '--pipewright-sample=';

/**
 * The `python3 -c` program every step container runs: unescape, write any bundled samples into
 * $PIPEWRIGHT_SAMPLES_DIR, write the script out and exec it with the step's arguments.
 */
export const LAUNCHER = [
  'import os, re, sys, tempfile',
  'def d(s):',
  "    return re.sub('\\ue000(.)', lambda m: m.group(1), s, flags=re.S)",
  'src, args = d(sys.argv[1]), [d(a) for a in sys.argv[2:]]',
  `while len(args) > 1 and args[0].startswith('${SAMPLE_FLAG}'):`,
  "    folder = os.environ.get('PIPEWRIGHT_SAMPLES_DIR') or tempfile.mkdtemp(prefix='pipewright-samples-')",
  "    os.environ['PIPEWRIGHT_SAMPLES_DIR'] = folder",
  "    with open(os.path.join(folder, args[0].split('=', 1)[1]), 'w', encoding='utf-8') as f:",
  '        f.write(args[1])',
  '    args = args[2:]',
  "fd, path = tempfile.mkstemp(prefix='pipewright-step-', suffix='.py')",
  "with os.fdopen(fd, 'w', encoding='utf-8') as f:",
  '    f.write(src)',
  "os.execv(sys.executable, [sys.executable, '-u', path] + args)",
  '',
].join('\n');

/** Linux refuses a single argv string longer than this (MAX_ARG_STRLEN), and the script is one. */
export const MAX_ARG_BYTES = 131072;

/** The launcher's arguments before the step's own: the script (as written), then any bundled samples. */
export function launcherCommand(launcher: string, script: string, samples: readonly [name: string, text: string][] = []): string[] {
  const command = ['python3', '-u', '-c', launcher, script];
  for (const [name, text] of samples) command.push(`${SAMPLE_FLAG}${name}`, text);
  return command;
}

/**
 * Kubernetes reads `$(VAR)` as a reference, `$$` as one `$`, and (working on bytes) garbles a non-ASCII
 * character right after a `$`; every other `$` stays. Doubling a `$` before `$`, `(` or a non-ASCII
 * character therefore makes the expansion give back exactly `s`.
 */
export function escapeKubernetesVars(s: string): string {
  return s.includes('$') ? s.replace(/\$(?=[$(\u0080-\uffff])/g, () => '$$') : s;
}

/** A launcher argument as it must be written so the step receives exactly `s`. */
export function protectArgoArg(s: string): string {
  let out = s;
  if (out.includes(ESCAPE_CHAR)) out = out.split(ESCAPE_CHAR).join(ESCAPE_CHAR + ESCAPE_CHAR);
  if (out.includes('{{')) out = out.replace(/\{(?=\{)/g, `{${ESCAPE_CHAR}`);
  return escapeKubernetesVars(out);
}
