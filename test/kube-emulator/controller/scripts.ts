/** Default log scripts for steps, derived from the template: what a real step of that kind prints. */

export interface ScriptInput {
  /** The DAG task name (for KFP executors, the pipeline task). */
  step: string;
  templateName: string;
  image: string;
  /** Command and args after parameter substitution. */
  argv: string[];
}

type StepKind = 'train' | 'eval' | 'preprocess' | 'deploy' | 'dataset' | 'driver' | 'importer' | 'echo' | 'generic';

function classify(input: ScriptInput): StepKind {
  if (/system-(dag|container)-driver/.test(input.templateName)) return 'driver';
  if (/system-importer$/.test(input.templateName)) return 'importer';
  const cmd = input.argv.map((a) => a.split('/').pop()).join(' ');
  if (/^(echo|cowsay)\b/.test(cmd)) return 'echo';
  const byName = (text: string): StepKind | undefined => {
    if (/\b(cpt|sft)\b|train|fine-?tun|pretrain/.test(text)) return 'train';
    if (/eval/.test(text)) return 'eval';
    if (/preprocess|clean/.test(text)) return 'preprocess';
    if (/deploy|serv/.test(text)) return 'deploy';
    if (/dataset|importer|corpus/.test(text)) return 'dataset';
    return undefined;
  };
  const flags = input.argv.filter((a) => a.startsWith('--')).join(' ');
  const byFlags = (): StepKind | undefined => {
    if (/--learning_rate/.test(flags)) return 'train';
    if (/--max_new_tokens/.test(flags)) return 'eval';
    if (/--min_chars|--dedupe/.test(flags)) return 'preprocess';
    if (/--replicas|--serving_image/.test(flags)) return 'deploy';
    if (/--uri/.test(flags)) return 'dataset';
    return undefined;
  };
  return byName(`${input.step} ${input.templateName}`.toLowerCase()) ?? byFlags() ?? byName(input.image.toLowerCase()) ?? 'generic';
}

function argValue(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
}

/** A deterministic wobble so curves look measured, not drawn. */
function noise(seed: number): number {
  const x = Math.sin(seed * 12.9898) * 43758.5453;
  return x - Math.floor(x) - 0.5;
}

/** A float as Python's repr prints it (`2.0`, `1e-05`). */
function pyFloat(x: number): string {
  if (Number.isInteger(x)) return x.toFixed(1);
  if (Math.abs(x) < 1e-4) return x.toExponential().replace(/e([+-])(\d)$/, 'e$10$2');
  return String(x);
}

function tqdm(current: number, total: number, label: string, secondsPerStep: number): string {
  const pct = Math.floor((current / total) * 100);
  const filled = Math.floor((current / total) * 10);
  const bar = '█'.repeat(filled) + (filled < 10 ? ' '.repeat(10 - filled) : '');
  const elapsed = Math.round(current * secondsPerStep);
  const left = Math.round((total - current) * secondsPerStep);
  const clock = (s: number) => `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
  return `${label}: ${String(pct).padStart(3)}%|${bar}| ${current}/${total} [${clock(elapsed)}<${clock(left)}, ${(1 / secondsPerStep).toFixed(2)}it/s]`;
}

function trainingScript(input: ScriptInput): string[] {
  const lr = Number(argValue(input.argv, 'learning_rate') ?? 1e-5);
  const epochs = Number(argValue(input.argv, 'num_epochs') ?? 2);
  const baseModel = argValue(input.argv, 'base_model') ?? 'unsloth/Qwen2.5-0.5B-bnb-4bit';
  const steps = 20;
  const lines = [
    `PIPEWRIGHT_INFO {"engine": "emulator", "node": ${JSON.stringify(input.step)}}`,
    `Loading base model ${baseModel}`,
    `***** Running training *****`,
    `  Num Epochs = ${epochs}`,
    `  Total optimization steps = ${steps}`,
  ];
  for (let step = 1; step <= steps; step++) {
    const epoch = Number(((step / steps) * epochs).toFixed(2));
    const loss = Number((2.6 * Math.exp((-2.2 * step) / steps) + 0.35 + 0.05 * noise(step)).toFixed(4));
    const rate = Number((lr * (1 - (step - 1) / steps)).toPrecision(3));
    lines.push(tqdm(step, steps, 'train', 0.48));
    lines.push(`{'loss': ${pyFloat(loss)}, 'grad_norm': ${(1.4 + noise(step + 99)).toFixed(4)}, 'learning_rate': ${pyFloat(rate)}, 'epoch': ${pyFloat(epoch)}}`);
    lines.push(`PIPEWRIGHT_METRIC ${JSON.stringify({ step, loss, learning_rate: rate, epoch })}`);
    lines.push(`PIPEWRIGHT_PROGRESS ${JSON.stringify({ current: step, total: steps, label: 'train' })}`);
  }
  lines.push(`{'train_runtime': 9.61, 'train_samples_per_second': 4.16, 'train_steps_per_second': 2.081, 'train_loss': 0.9713, 'epoch': ${epochs}.0}`);
  lines.push('Saved model to /tmp/outputs/model');
  return lines;
}

function evalScript(input: ScriptInput): string[] {
  const total = Number(argValue(input.argv, 'max_samples') ?? 20);
  const lines = [`PIPEWRIGHT_INFO {"engine": "emulator", "node": ${JSON.stringify(input.step)}}`, `Evaluating ${total} samples`];
  const chunks = 5;
  for (let i = 1; i <= chunks; i++) {
    const current = Math.round((i / chunks) * total);
    lines.push(tqdm(current, total, 'eval', 0.2));
    lines.push(`PIPEWRIGHT_PROGRESS ${JSON.stringify({ current, total, label: 'eval' })}`);
  }
  lines.push(`PIPEWRIGHT_METRIC ${JSON.stringify({ step: 0, accuracy: 0.62, samples: total })}`);
  lines.push('accuracy: 0.62');
  return lines;
}

export function defaultScript(input: ScriptInput): string[] {
  const lines = stepScript(input);
  if (!/system-container-impl$/.test(input.templateName)) return lines;
  // KFP's launcher frames the component's own output.
  return [
    `I1128 00:00:00.000000      21 launcher_v2.go:90] input ComponentSpec:{"executorLabel": "exec-${input.step}"}`,
    `I1128 00:00:00.100000      21 launcher_v2.go:167] executing component`,
    ...lines,
    `I1128 00:00:01.000000      21 launcher_v2.go:198] publish success.`,
  ];
}

function stepScript(input: ScriptInput): string[] {
  switch (classify(input)) {
    case 'train':
      return trainingScript(input);
    case 'eval':
      return evalScript(input);
    case 'driver':
      return [
        `I1128 00:00:00.000000      18 main.go:108] input ComponentSpec:{"executorLabel": "exec-${input.step}"}`,
        `I1128 00:00:00.100000      18 driver.go:250] parent DAG: {"id": "1"}`,
        `I1128 00:00:00.200000      18 main.go:238] output execution.ID=1`,
      ];
    case 'importer':
      return [
        `I1128 00:00:00.000000      19 launcher_v2.go:90] importer spec for ${input.step}`,
        `I1128 00:00:00.100000      19 importer_launcher.go:230] Artifact imported: ${argValue(input.argv, 'importer_spec')?.match(/"constant":\s*"([^"]+)"/)?.[1] ?? 'artifact'}`,
      ];
    case 'echo': {
      const i = input.argv.findIndex((a) => /(^|\/)(echo|cowsay)$/.test(a));
      return [input.argv.slice(i + 1).join(' ')];
    }
    case 'preprocess':
      return [
        `PIPEWRIGHT_INFO {"engine": "emulator", "node": ${JSON.stringify(input.step)}}`,
        'Normalizing 1000 records (NFC, whitespace, ㆍ→·)',
        tqdm(500, 1000, 'preprocess', 0.001),
        tqdm(1000, 1000, 'preprocess', 0.001),
        'Removed 37 duplicates, 12 too short; wrote 951 records',
        `PIPEWRIGHT_METRIC ${JSON.stringify({ step: 0, records_in: 1000, records_out: 951 })}`,
      ];
    case 'dataset':
      return [`Resolving dataset for ${input.step}`, 'Dataset ready: 1000 records'];
    case 'deploy':
      return ['Applying Deployment and Service', 'Waiting for 2/2 replicas', 'Endpoint ready: http://inference.default.svc:8080'];
    default:
      return [`Running ${input.step}`, `Done: ${input.step}`];
  }
}
