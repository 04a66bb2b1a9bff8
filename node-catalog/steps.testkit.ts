/** Helpers for the step-script tests: write the bundled scripts to a folder and run them with Debian's Python. */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SAMPLE_FILES, STEP_SCRIPTS } from './scripts.generated.ts';

/** Debian's interpreter sees python3-torch; the `python3` on PATH may not. */
export const PYTHON = '/usr/bin/python3';

export interface StepResult {
  code: number;
  stdout: string;
  stderr: string;
  /** Parsed `PIPEWRIGHT_METRIC` records, in order. */
  metrics: Record<string, number>[];
  /** Parsed `PIPEWRIGHT_INFO` records, in order. */
  infos: Record<string, unknown>[];
  progress: { current: number; total: number; label: string }[];
}

function records<T>(stdout: string, prefix: string): T[] {
  return stdout
    .split('\n')
    .filter((line) => line.startsWith(`${prefix}{`))
    .map((line) => JSON.parse(line.slice(prefix.length)) as T);
}

/** A temporary folder holding every bundled step as `<type>.py`; `cleanup` removes it. */
export function makeWorkdir(): { dir: string; script: (type: string) => string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'pipewright-steps-'));
  for (const [type, text] of Object.entries(STEP_SCRIPTS)) writeFileSync(join(dir, `${type}.py`), text);
  return { dir, script: (type) => join(dir, `${type}.py`), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The stand-ins of the training libraries with their published signatures (test/fixtures/hf-standins), for PYTHONPATH. */
export const HF_STANDINS = resolve(import.meta.dirname, '../test/fixtures/hf-standins');

// `python3 gpu.py step.py ...` runs a step as `python3 step.py ...` would, with a CUDA GPU reported by torch (none exists here).
const WITH_GPU = [
  'import runpy, sys, torch',
  'torch.cuda.is_available = lambda: True',
  'torch.cuda.is_bf16_supported = lambda: True',
  'sys.argv = sys.argv[1:]',
  'runpy.run_path(sys.argv[0], run_name="__main__")',
].join('\n');

/** makeWorkdir with the sample Korean corpus (`corpus`) and gpu.py, the launcher that reports a GPU. */
export function makeTrainingWorkdir(): ReturnType<typeof makeWorkdir> & { corpus: string } {
  const work = makeWorkdir();
  const corpus = join(work.dir, 'ko_corpus.jsonl');
  writeFileSync(corpus, SAMPLE_FILES['ko_corpus.jsonl']);
  writeFileSync(join(work.dir, 'gpu.py'), WITH_GPU);
  return { ...work, corpus };
}

/** Run a step script; never rejects on a non-zero exit. */
export function runStep(script: string, args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<StepResult> {
  return new Promise((resolve) => {
    const env = { ...process.env, ...options.env };
    delete env.MLFLOW_TRACKING_URI;
    // A test machine that is itself a pod must not have deploy apply to its cluster: only a test's own env points there.
    for (const key of ['KUBERNETES_SERVICE_HOST', 'PIPEWRIGHT_KUBE_API', 'PIPEWRIGHT_SERVICEACCOUNT_DIR', 'PIPEWRIGHT_LOCAL_RUN']) {
      if (options.env?.[key] === undefined) delete env[key];
    }
    if (options.env?.MLFLOW_TRACKING_URI) env.MLFLOW_TRACKING_URI = options.env.MLFLOW_TRACKING_URI;
    execFile(PYTHON, ['-u', script, ...args], { cwd: options.cwd, env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({
        code,
        stdout,
        stderr,
        metrics: records(stdout, 'PIPEWRIGHT_METRIC '),
        infos: records(stdout, 'PIPEWRIGHT_INFO '),
        progress: records(stdout, 'PIPEWRIGHT_PROGRESS '),
      });
    });
  });
}

/** The last non-empty stderr line: the contract's one-line `error:` message. */
export function errorLine(result: StepResult): string {
  const lines = result.stderr.split('\n').filter((l) => l.trim() !== '');
  return lines[lines.length - 1] ?? '';
}

/** Settings that make the tiny engine finish in a few seconds. */
export const TINY_ARGS = [
  '--engine', 'tiny', '--max_seq_length', '48', '--per_device_train_batch_size', '8',
  '--gradient_accumulation_steps', '1', '--learning_rate', '0.003', '--logging_steps', '2',
];

const probeScripts = new Map<string, string>();

/**
 * Load the bundled step script of `type` as the module `step` in Debian's Python, run `code` (which sets
 * `result`) and return `result`, read back as JSON. For testing a step's functions without its command line.
 */
export function probeStep<T = unknown>(type: string, code: string, options: { cwd?: string; env?: Record<string, string> } = {}): T {
  let script = probeScripts.get(type);
  if (!script) {
    const dir = mkdtempSync(join(tmpdir(), 'pipewright-probe-'));
    script = join(dir, `${type.replace(/-/g, '_')}.py`);
    writeFileSync(script, STEP_SCRIPTS[type]);
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    probeScripts.set(type, script);
  }
  const program = [
    'import importlib.util, json, sys',
    'spec = importlib.util.spec_from_file_location("step", sys.argv[1])',
    'step = importlib.util.module_from_spec(spec)',
    'spec.loader.exec_module(step)',
    code,
    'sys.stdout.write("\\nPROBE_RESULT " + json.dumps(result, ensure_ascii=False) + "\\n")',
  ].join('\n');
  try {
    const stdout = execFileSync(PYTHON, ['-c', program, script], { cwd: options.cwd, env: { ...process.env, ...options.env }, encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'pipe'] });
    const line = stdout.split('\n').find((l) => l.startsWith('PROBE_RESULT '));
    if (!line) throw new Error(`the probe printed no result:\n${stdout}`);
    return JSON.parse(line.slice('PROBE_RESULT '.length)) as T;
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    throw new Error(`${e.message}\n${e.stderr ?? ''}`);
  }
}
