/**
 * Getting user text into a KFP container intact. On its way the text passes three substitutions that
 * cannot be switched off: Argo (which runs KFP) reads `{{...}}` in the task and container specs, KFP's
 * launcher replaces `{{$}}` and `{{$.inputs...}}` in every command and argument, and Kubernetes expands
 * `$(VAR)`, turns `$$` into `$` and garbles a non-ASCII character after `$` in the pod's command and args
 * (which, since KFP 2.17, hold the parameter values too). So the text is written without those patterns:
 * U+E000 (private use) goes between `{` and `{`, is doubled where the text has it, and a `$` before `$`,
 * `(` or a non-ASCII character is written `U+E000 $ )`. The launcher below undoes exactly that before the
 * step starts. Text without those patterns is written unchanged.
 */
import { largeTextMemo, utf8Length } from '../largeText.ts';
import { CompileError } from '../plan.ts';

export const ESCAPE_CHAR = '\ue000';

/** The text as it must be written so the step receives exactly `text` (script, sample data, string parameter). */
export function protectKfpText(text: string): string {
  if (!/[\ue000{$]/.test(text)) return text;
  return text.replace(/\ue000|\{(?=\{)|\$(?=[$(\u0080-\uffff])/g, (c) => (c === '$' ? `${ESCAPE_CHAR}$)` : c + ESCAPE_CHAR));
}

/** protectKfpText for scripts and samples, remembered across compiles. */
const protectLargeText = largeTextMemo(protectKfpText);

/** For env values, which only Kubernetes expands: `$` doubled where Kubernetes would read or garble what follows. */
export function escapeKubeletExpansion(text: string): string {
  return text.replace(/\$(?=[$(\u0080-\uffff])/g, () => '$$');
}

/** Text KFP hands on without the launcher (image, URIs, env, names): `{{` would reach Argo, so it is refused. */
export function literalField(value: string, nodeId: string | undefined, field: string): string {
  if (value.includes('{{')) {
    throw new CompileError(`${field} ${JSON.stringify(value)}${nodeId ? ` of node "${nodeId}"` : ''} cannot contain "{{" in a KFP pipeline`, { nodeId, field });
  }
  return value;
}

/**
 * `python3 -u -c KFP_LAUNCHER SCRIPT [--pipewright-sample=NAME TEXT]... [--pipewright-node-id ID] STEP-ARGS...`:
 * unescape, write any bundled sample into $PIPEWRIGHT_SAMPLES_DIR, set $PIPEWRIGHT_NODE_ID (the executor is
 * shared by tasks, so the id comes as a task input), write the script to a file and exec it, so any image with Python 3 works.
 */
export const KFP_LAUNCHER = [
  'import os, re, sys, tempfile',
  'def d(s):',
  "    return re.sub(r'\\ue000(\\x24\\)|.)', lambda m: m.group(1)[0], s, flags=re.S)",
  'src, args = d(sys.argv[1]), [d(a) for a in sys.argv[2:]]',
  "while len(args) > 1 and args[0].startswith('--pipewright-'):",
  "    if args[0] == '--pipewright-node-id':",
  "        os.environ['PIPEWRIGHT_NODE_ID'] = args[1]",
  "    elif args[0].startswith('--pipewright-sample='):",
  "        folder = os.environ.setdefault('PIPEWRIGHT_SAMPLES_DIR', tempfile.mkdtemp(prefix='pipewright-samples-'))",
  "        with open(os.path.join(folder, args[0].split('=', 1)[1]), 'w', encoding='utf-8', newline='') as f:",
  '            f.write(args[1])',
  '    else:',
  '        break',
  '    args = args[2:]',
  "fd, path = tempfile.mkstemp(prefix='pipewright-step-', suffix='.py')",
  "with os.fdopen(fd, 'w', encoding='utf-8', newline='') as f:",
  '    f.write(src)',
  "os.execv(sys.executable, [sys.executable, '-u', path] + args)",
  '',
].join('\n');

/** Linux refuses a single argv string longer than this (MAX_ARG_STRLEN); the script and a sample are one each. */
export const MAX_ARG_BYTES = 131072;

function checkSize(text: string, what: string, nodeId: string, field: string): void {
  // UTF-8 needs at most 3 bytes per UTF-16 unit, so most texts need no encoding to be measured.
  const bytes = text.length * 3 <= MAX_ARG_BYTES ? 0 : utf8Length(text);
  if (bytes > MAX_ARG_BYTES) {
    throw new CompileError(`node "${nodeId}": its ${what} is ${bytes} bytes; KFP passes it as one command-line argument, which Linux limits to ${MAX_ARG_BYTES} bytes`, { nodeId, field });
  }
}

export interface BundledSample {
  name: string;
  text: string;
}

/** The container command that runs `script`, with any bundled sample it reads; the step's flags follow as args. */
export function launcherCommand(nodeId: string, script: string, sample?: BundledSample): string[] {
  const command = ['python3', '-u', '-c', KFP_LAUNCHER, protectLargeText(script)];
  checkSize(command[4], 'step script', nodeId, 'code');
  if (sample) {
    command.push(`--pipewright-sample=${sample.name}`, protectLargeText(sample.text));
    checkSize(command[6], `sample "${sample.name}"`, nodeId, 'params.uri');
  }
  return command;
}

/** Launcher commands made once per distinct script and sample (scripts are tens of KB), each with a small id for keys. */
export class LauncherCommands {
  private readonly scripts = new Map<string, number>();
  private readonly commands = new Map<string, { id: number; command: string[] }>();

  get(nodeId: string, script: string, sample?: BundledSample): { id: number; command: string[] } {
    let scriptId = this.scripts.get(script);
    if (scriptId === undefined) this.scripts.set(script, (scriptId = this.scripts.size));
    // A sample's text follows from its name (the catalog's bundled samples).
    const key = sample ? `${scriptId}/${sample.name}` : String(scriptId);
    let entry = this.commands.get(key);
    if (!entry) this.commands.set(key, (entry = { id: this.commands.size, command: launcherCommand(nodeId, script, sample) }));
    return entry;
  }
}
