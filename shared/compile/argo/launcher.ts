/**
 * Getting user text into an Argo container intact. Argo substitutes `{{...}}` anywhere in a template
 * and Kubernetes expands `$(VAR)` (and turns `$$` into `$`) in command, args and env values; neither
 * can be switched off. So `$` is escaped as Kubernetes defines, and in the step script and its arguments an escape character
 * (U+E000, private use) is put between adjacent braces; the fixed launcher below removes it again
 * before the step script starts. Text without `{{` stays as it is, so the YAML stays readable.
 */

export const ESCAPE_CHAR = '\ue000';

/** The `python3 -c` program every step container runs: unescape, write the script out, exec it. */
export const LAUNCHER = [
  'import os, re, sys, tempfile',
  "def d(s):",
  "    return re.sub('\\ue000(.)', lambda m: m.group(1), s, flags=re.S)",
  'src, args = d(sys.argv[1]), [d(a) for a in sys.argv[2:]]',
  "fd, path = tempfile.mkstemp(prefix='pipewright-step-', suffix='.py')",
  "with os.fdopen(fd, 'w', encoding='utf-8') as f:",
  '    f.write(src)',
  "os.execv(sys.executable, [sys.executable, '-u', path] + args)",
  '',
].join('\n');

/** Linux refuses a single argv string longer than this (MAX_ARG_STRLEN), and the script is one. */
export const MAX_SCRIPT_BYTES = 131072;

/** The command that runs `script`; the step's arguments follow as the container's args. */
export function launcherCommand(script: string): string[] {
  return ['python3', '-u', '-c', LAUNCHER, protectArgoArg(script)];
}

/**
 * Kubernetes reads `$(VAR)` as a reference and `$$` as one `$`; every other `$` stays as it is. Doubling
 * only a `$` that comes before `$` or `(` therefore makes the expansion give back exactly `s`.
 */
export function escapeKubernetesVars(s: string): string {
  return s.includes('$') ? s.replace(/\$(?=[$(])/g, () => '$$') : s;
}

/** A launcher argument as it must be written so the step receives exactly `s`. */
export function protectArgoArg(s: string): string {
  let out = s;
  if (out.includes(ESCAPE_CHAR)) out = out.split(ESCAPE_CHAR).join(ESCAPE_CHAR + ESCAPE_CHAR);
  if (out.includes('{{')) out = out.replace(/\{(?=\{)/g, `{${ESCAPE_CHAR}`);
  return escapeKubernetesVars(out);
}
