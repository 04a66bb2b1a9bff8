/**
 * THE INJECTION TEST. A document whose values hold shell, YAML, Argo and DVC syntax is compiled to every
 * target; each step's command is then run for real, the way the target runs it (Argo: template
 * substitution, then Kubernetes' $(VAR) expansion, then exec without a shell; KFP: placeholders filled
 * in, expansion, exec; DVC: the stage cmd through `sh -c`), with a stub step script that reports what it
 * received. No CANARY file may appear, and every value must arrive exactly as typed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { catalog, createCatalog } from '../node-catalog/index.ts';
import { compileTarget } from '../shared/compile/index.ts';
import type { ParamValue, PipelineDocument } from '../shared/pipeline/types.ts';
import { kfpRunParameters, runtimeParameters } from '../electron/services/kube/kfpDriver.ts';
import { argoPlaceholders, expandKubernetes, substituteArgo, workflowParameterValues } from './fixtures/containerEmulation.ts';

const HOSTILE = [
  "'; touch CANARY #",
  '$(touch CANARY)',
  '`touch CANARY`',
  '"; touch CANARY; echo "',
  'line one\nline two; touch CANARY\n',
  '${x}',
  '${HOME}',
  '{{workflow.name}}',
  '{{inputs.parameters.x}}',
  '{{=sprig.repeat("a", 2)}}',
  '{{',
  ': - [ ] & * ! | > # % @ , ? {a: b}',
  '- item\nkey: value\n---\n',
  '$$(touch CANARY) $$ $',
  '$(HF_TOKEN)',
  '$한국어 $(',
  '\ue000{{\ue000',
  "it's \\ \"quoted\"",
  '--flag',
  '',
];
const MARKER = `r-marker {{workflow.name}} {{ $(touch CANARY) $$ $(HF_TOKEN) \${x} \`touch CANARY\` ${'\ue000'} $한 ' " end`;
const SECRET_VALUE = 'the-secret-value-0451';

/** The step script every node runs: it reports its argv, the params it reads and a literal of its own source. */
const STUB = [
  'import json, os, sys',
  `MARKER = r'''${MARKER}'''`,
  "out = {'argv': sys.argv[1:], 'marker': MARKER, 'env': {k: os.environ.get(k) for k in ('PIPEWRIGHT_NODE_ID', 'MLFLOW_TRACKING_URI', 'HF_TOKEN')}}",
  "if '--params-file' in sys.argv:",
  "    with open(sys.argv[sys.argv.index('--params-file') + 1], encoding='utf-8') as f:",
  '        text = f.read()',
  "    key = sys.argv[sys.argv.index('--params-key') + 1]",
  "    out['params'] = json.loads(text)[key]",
  '    import yaml',
  "    out['params_yaml'] = yaml.safe_load(text)[key]",
  "folder = os.environ.get('PIPEWRIGHT_SAMPLES_DIR') or 'samples'",
  "out['samples'] = {n: open(os.path.join(folder, n), encoding='utf-8').read() for n in sorted(os.listdir(folder))} if os.path.isdir(folder) else {}",
  "print('PIPEWRIGHT_STUB ' + json.dumps(out))",
  '',
].join('\n');

const SAMPLE = '{"text": "$(touch CANARY) {{workflow.name}} $한 \ue000 `x`"}\n';
const stubCatalog = createCatalog([...catalog.types.values()].map((t) => ({ ...t, script: STUB })), { 'tiny.jsonl': SAMPLE });

const hostileParams = Object.fromEntries(HOSTILE.map((h, i) => [`p${i}`, h]));
const doc: PipelineDocument = {
  format: 'pipewright.pipeline/v2',
  name: 'hostile',
  description: HOSTILE.join(' '),
  settings: { mlflowTrackingUri: "http://mlflow:5000/a'b$(touch CANARY)`touch CANARY`;x", secretEnv: [{ secret: 'hf-token', key: 'token', env: 'HF_TOKEN' }] },
  nodes: [
    { id: 'corpus', type: 'dataset', position: { x: 0, y: 0 }, params: { uri: "s3://bucket/'; touch CANARY #/$(touch CANARY)/`x`.jsonl" } },
    { id: 'clean', type: 'preprocess', label: HOSTILE[0], position: { x: 0, y: 0 }, params: { text_field: HOSTILE[0] } },
    {
      id: 'custom', type: 'python', label: '{{workflow.name}}', position: { x: 0, y: 0 }, code: STUB,
      interface: {
        inputs: [{ name: 'data', kind: 'dataset' }],
        outputs: [{ name: 'result', kind: 'dataset' }],
        parameters: [
          ...HOSTILE.map((_, i) => ({ name: `p${i}`, type: 'string' as const, title: { en: 'p', ko: 'p' }, help: { en: 'p', ko: 'p' } })),
          { name: 'modules', type: 'string-list' as const, title: { en: 'm', ko: 'm' }, help: { en: 'm', ko: 'm' } },
        ],
      },
      params: { ...hostileParams, modules: HOSTILE },
    },
    { id: 'sample', type: 'dataset', position: { x: 0, y: 0 }, params: { uri: 'sample://tiny.jsonl' } },
    // A step naming a bundled sample in a parameter (not a dataset import): the sample travels with it.
    { id: 'train', type: 'cpt', position: { x: 0, y: 0 }, params: { engine: 'tiny' } },
    { id: 'bench', type: 'ko-bench', position: { x: 0, y: 0 }, params: { data_uri: 'sample://tiny.jsonl' } },
  ],
  edges: [
    { id: 'e1', source: 'corpus', sourceHandle: 'dataset', target: 'clean', targetHandle: 'dataset' },
    { id: 'e2', source: 'clean', sourceHandle: 'dataset', target: 'custom', targetHandle: 'data' },
    { id: 'e3', source: 'corpus', sourceHandle: 'dataset', target: 'train', targetHandle: 'dataset' },
    { id: 'e4', source: 'train', sourceHandle: 'model', target: 'bench', targetHandle: 'model' },
  ],
};

interface StubReport {
  argv: string[];
  marker: string;
  env: Record<string, string | null>;
  params?: Record<string, ParamValue>;
  params_yaml?: Record<string, ParamValue>;
  samples: Record<string, string>;
}

const work = mkdtempSync(join(tmpdir(), 'pipewright-injection-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs argv without a shell (as a container runtime does) in `cwd`; returns the stub's report. */
function run(argv: string[], cwd: string, env: Record<string, string>, shell = false): StubReport {
  const result = shell
    ? spawnSync('sh', ['-c', argv[0]], { cwd, env: { PATH: process.env.PATH!, ...env }, encoding: 'utf8' })
    : spawnSync(argv[0], argv.slice(1), { cwd, env: { PATH: process.env.PATH!, ...env }, encoding: 'utf8' });
  const line = result.stdout.split('\n').find((l) => l.startsWith('PIPEWRIGHT_STUB '));
  if (!line) throw new Error(`the step did not run: ${result.stderr || result.stdout}`);
  return JSON.parse(line.slice('PIPEWRIGHT_STUB '.length)) as StubReport;
}

/** The value after `--name` in argv, which must be exactly one element. */
const argAfter = (argv: string[], flag: string): string | undefined => {
  const i = argv.indexOf(flag);
  return i < 0 ? undefined : argv[i + 1];
};

function expectHostileArrived(report: StubReport, params: Record<string, ParamValue> | undefined): void {
  expect(report.marker).toBe(MARKER);
  HOSTILE.forEach((h, i) => (params ? expect(params[`p${i}`]).toBe(h) : expect(argAfter(report.argv, `--p${i}`)).toBe(h)));
  if (params) expect(params.modules).toEqual(HOSTILE);
  else expect(JSON.parse(argAfter(report.argv, '--modules')!)).toEqual(HOSTILE);
}

const noCanary = (dir: string) => expect(readdirSync(dir, { recursive: true }).filter((f) => String(f).includes('CANARY'))).toEqual([]);

describe('user values stay literal in every target', () => {
  it('Argo: through template substitution, Kubernetes expansion and exec', () => {
    const wf = parse(compileTarget(doc, stubCatalog, 'argo')['workflow.yaml']) as {
      spec: { arguments?: { parameters: { name: string; value: string }[] }; templates: { name: string; container?: { command: string[]; args: string[]; env: { name: string; value?: string; valueFrom?: unknown }[] } }[] };
    };
    const values = { 'workflow.name': 'hostile-x7k2p', ...workflowParameterValues(wf) };
    const allowed = new Set([...Object.keys(values), ...doc.edges.map((e) => `tasks.${e.source}.outputs.artifacts.${e.sourceHandle}`)]);
    expect(argoPlaceholders(JSON.stringify(wf)).filter((t) => !allowed.has(t))).toEqual([]);
    const dir = join(work, 'argo');
    mkdirSync(dir);
    const reports = new Map<string, StubReport>();
    for (const t of wf.spec.templates) {
      if (!t.container) continue;
      const c = JSON.parse(substituteArgo(JSON.stringify(t.container), values)) as NonNullable<typeof t.container>;
      const env: Record<string, string> = {};
      for (const e of c.env) env[e.name] = e.value !== undefined ? expandKubernetes(e.value, env) : SECRET_VALUE;
      reports.set(t.name, run([...c.command, ...c.args].map((a) => expandKubernetes(a, env)), dir, env));
    }
    noCanary(dir);
    expectHostileArrived(reports.get('custom')!, undefined);
    expect(argAfter(reports.get('clean')!.argv, '--text_field')).toBe(HOSTILE[0]);
    expect(argAfter(reports.get('corpus')!.argv, '--uri')).toBe(doc.nodes[0].params!.uri);
    expect(reports.get('sample')!.samples).toEqual({ 'tiny.jsonl': SAMPLE });
    expect(reports.get('bench')!.samples).toEqual({ 'tiny.jsonl': SAMPLE });
    for (const r of reports.values()) {
      expect(r.marker).toBe(MARKER);
      expect(r.env.MLFLOW_TRACKING_URI).toBe(doc.settings!.mlflowTrackingUri);
      expect(r.env.HF_TOKEN).toBe(SECRET_VALUE);
    }
  });

  it('KFP: through placeholder filling, Kubernetes expansion and exec', () => {
    const [spec] = parseAllDocuments(compileTarget(doc, stubCatalog, 'kfp')['pipeline.yaml']).map((d) => d.toJS()) as {
      deploymentSpec: { executors: Record<string, { container?: { command: string[]; args: string[]; env?: { name: string; value: string }[] } }> };
      components: Record<string, { executorLabel: string }>;
      root: { dag: { tasks: Record<string, { componentRef: { name: string }; inputs?: { parameters?: Record<string, { runtimeValue?: { constant: ParamValue } }> } }> } };
    }[];
    const dir = join(work, 'kfp');
    mkdirSync(dir);
    const reports = new Map<string, StubReport>();
    for (const [id, task] of Object.entries(spec.root.dag.tasks)) {
      const container = spec.deploymentSpec.executors[spec.components[task.componentRef.name].executorLabel].container;
      if (!container) continue;
      const fill = (arg: string): string =>
        arg.replace(/\{\{\$\.inputs\.parameters\['([^']+)'\]\}\}/g, (_m, name: string) => {
          const value = task.inputs!.parameters![name].runtimeValue!.constant;
          return typeof value === 'string' ? value : JSON.stringify(value);
        }).replace(/\{\{\$\.(inputs|outputs)\.artifacts\['([^']+)'\]\.path\}\}/g, (_m, side: string, port: string) => join(dir, side, port));
      const env: Record<string, string> = { HF_TOKEN: SECRET_VALUE };
      for (const e of container.env ?? []) env[e.name] = expandKubernetes(e.value, env);
      reports.set(id, run([...container.command, ...container.args].map((a) => expandKubernetes(fill(a), env)), dir, env));
    }
    noCanary(dir);
    expectHostileArrived(reports.get('custom')!, undefined);
    expect(argAfter(reports.get('clean')!.argv, '--text_field')).toBe(HOSTILE[0]);
    expect(reports.get('sample')!.samples).toEqual({ 'tiny.jsonl': SAMPLE });
    expect(reports.get('bench')!.samples).toEqual({ 'tiny.jsonl': SAMPLE });
    for (const r of reports.values()) {
      expect(r.marker).toBe(MARKER);
      expect(r.env.MLFLOW_TRACKING_URI).toBe(doc.settings!.mlflowTrackingUri);
    }
  });

  it('DVC: each stage cmd through sh -c, values read from params.yaml by JSON and by PyYAML', () => {
    const local = structuredClone(doc);
    local.nodes[0].params!.uri = "data/'; touch CANARY #/$(touch CANARY)/`x`/${x}.jsonl";
    const files = compileTarget(local, stubCatalog, 'dvc');
    const dir = join(work, 'dvc');
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    const stages = (parse(files['dvc.yaml']) as { stages: Record<string, { cmd: string }> }).stages;
    const reports = new Map<string, StubReport>();
    for (const [id, stage] of Object.entries(stages)) {
      expect(stage.cmd).not.toMatch(/[$`'"\\;&|<>{}\n]/);
      reports.set(id, run([stage.cmd], dir, { HF_TOKEN: SECRET_VALUE }, true));
    }
    noCanary(dir);
    const custom = reports.get('custom')!;
    expectHostileArrived(custom, custom.params);
    expectHostileArrived(custom, custom.params_yaml);
    expect(reports.get('clean')!.params!.text_field).toBe(HOSTILE[0]);
    expect(reports.get('corpus')!.params_yaml!.uri).toBe(local.nodes[0].params!.uri);
    expect(reports.get('sample')!.samples).toEqual({ 'tiny.jsonl': SAMPLE });
    expect(reports.get('bench')!.samples).toEqual({ 'tiny.jsonl': SAMPLE });
    for (const r of reports.values()) expect(r.marker).toBe(MARKER);
  });
});

describe('secrets are references, never values', () => {
  it('names the Secret only where a reference belongs, in every target', () => {
    const argo = parse(compileTarget(doc, stubCatalog, 'argo')['workflow.yaml']) as { spec: { templates: { container?: { env: unknown[] } }[] } };
    for (const t of argo.spec.templates.filter((x) => x.container)) {
      expect(t.container!.env).toContainEqual({ name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: 'hf-token', key: 'token' } } });
    }
    const withoutRefs = JSON.stringify(argo).split('"secretKeyRef":{"name":"hf-token","key":"token"}').join('');
    expect(withoutRefs).not.toContain('hf-token');

    const [, platform] = parseAllDocuments(compileTarget(doc, stubCatalog, 'kfp')['pipeline.yaml']).map((d) => JSON.stringify(d.toJS()));
    expect(platform).toContain('hf-token');
    const kfpText = compileTarget(doc, stubCatalog, 'kfp')['pipeline.yaml'];
    expect(kfpText.split('hf-token').length - 1).toBe((platform.match(/hf-token/g) ?? []).length);

    expect(Object.values(compileTarget(doc, stubCatalog, 'dvc')).join('\n')).not.toContain('hf-token');
    for (const target of ['argo', 'kfp', 'dvc'] as const) {
      expect(Object.values(compileTarget(doc, stubCatalog, target)).join('\n')).not.toContain(SECRET_VALUE);
    }
    expect(existsSync(join(work, 'CANARY'))).toBe(false);
  });
});

/**
 * Run-time parameters: every custom param bound to a pipeline parameter whose default is hostile, and the
 * run given other hostile values. Each target must deliver the run's value, exactly, as one argument.
 */
describe('pipeline parameter values stay literal in every target, default or run-time', () => {
  const bound = structuredClone(doc);
  bound.parameters = HOSTILE.map((h, i) => ({ name: `q${i}`, type: 'string' as const, default: h, description: h }));
  const custom = bound.nodes.find((n) => n.id === 'custom')!;
  for (let i = 0; i < HOSTILE.length; i++) custom.params![`p${i}`] = { $param: `q${i}` };
  bound.nodes.find((n) => n.id === 'clean')!.params!.text_field = { $param: 'q0' };
  const given = Object.fromEntries(HOSTILE.map((_, i) => [`q${i}`, HOSTILE[(i + 7) % HOSTILE.length]]));
  const expectGiven = (report: StubReport, params?: Record<string, ParamValue>) =>
    HOSTILE.forEach((_, i) => (params ? expect(params[`p${i}`]).toBe(given[`q${i}`]) : expect(argAfter(report.argv, `--p${i}`)).toBe(given[`q${i}`])));

  it('Argo: the run values as workflow arguments, each step argument the whole `{{workflow.parameters.x}}`', () => {
    for (const values of [undefined, given]) {
      const wf = parse(compileTarget(bound, stubCatalog, 'argo', values)['workflow.yaml']) as {
        spec: { arguments: { parameters: { name: string; value: string }[] }; templates: { name: string; container?: { command: string[]; args: string[]; env: { name: string; value?: string }[] } }[] };
      };
      const customArgs = wf.spec.templates.find((t) => t.name === 'custom')!.container!.args;
      expect(argAfter(customArgs, '--p3')).toBe('{{workflow.parameters.q3}}');
      const substituted = { 'workflow.name': 'hostile-x7k2p', ...workflowParameterValues(wf) };
      const dir = join(work, `argo-bound-${values ? 'run' : 'default'}`);
      mkdirSync(dir);
      for (const name of ['custom', 'clean']) {
        const t = wf.spec.templates.find((x) => x.name === name)!;
        const c = JSON.parse(substituteArgo(JSON.stringify(t.container), substituted)) as NonNullable<typeof t.container>;
        const env: Record<string, string> = {};
        for (const e of c.env) env[e.name] = e.value !== undefined ? expandKubernetes(e.value, env) : SECRET_VALUE;
        const report = run([...c.command, ...c.args].map((a) => expandKubernetes(a, env)), dir, env);
        if (name === 'clean') expect(argAfter(report.argv, '--text_field')).toBe(values ? given.q0 : HOSTILE[0]);
        else if (values) expectGiven(report);
        else expectHostileArrived(report, undefined);
      }
      noCanary(dir);
    }
  });

  it('KFP: root inputDefinitions, tasks wired by componentInputParameter, the run values from runtime_config', () => {
    const [spec] = parseAllDocuments(compileTarget(bound, stubCatalog, 'kfp')['pipeline.yaml']).map((d) => d.toJS()) as {
      deploymentSpec: { executors: Record<string, { container?: { command: string[]; args: string[]; env?: { name: string; value: string }[] } }> };
      components: Record<string, { executorLabel: string }>;
      root: {
        inputDefinitions: { parameters: Record<string, { parameterType: string; defaultValue: string; isOptional: boolean }> };
        dag: { tasks: Record<string, { componentRef: { name: string }; inputs: { parameters: Record<string, { runtimeValue?: { constant: ParamValue }; componentInputParameter?: string }> } }> };
      };
    }[];
    expect(spec.root.inputDefinitions.parameters.q2).toMatchObject({ parameterType: 'STRING', isOptional: true });
    expect(spec.root.dag.tasks.custom.inputs.parameters.p2).toEqual({ componentInputParameter: 'q2' });
    for (const [label, runtime] of [['default', runtimeParameters(spec as unknown as Record<string, unknown>)], ['run', kfpRunParameters(given)]] as const) {
      const dir = join(work, `kfp-bound-${label}`);
      mkdirSync(dir);
      for (const id of ['custom', 'clean']) {
        const task = spec.root.dag.tasks[id];
        const container = spec.deploymentSpec.executors[spec.components[task.componentRef.name].executorLabel].container!;
        const fill = (arg: string): string =>
          arg.replace(/\{\{\$\.inputs\.parameters\['([^']+)'\]\}\}/g, (_m, name: string) => {
            const input = task.inputs.parameters[name];
            const value = input.componentInputParameter !== undefined ? runtime[input.componentInputParameter] : input.runtimeValue!.constant;
            return typeof value === 'string' ? value : JSON.stringify(value);
          }).replace(/\{\{\$\.(inputs|outputs)\.artifacts\['([^']+)'\]\.path\}\}/g, (_m, side: string, port: string) => join(dir, side, port));
        const env: Record<string, string> = { HF_TOKEN: SECRET_VALUE };
        for (const e of container.env ?? []) env[e.name] = expandKubernetes(e.value, env);
        const report = run([...container.command, ...container.args].map((a) => expandKubernetes(fill(a), env)), dir, env);
        if (id === 'clean') expect(argAfter(report.argv, '--text_field')).toBe(label === 'run' ? given.q0 : HOSTILE[0]);
        else if (label === 'run') expectGiven(report);
        else expectHostileArrived(report, undefined);
      }
      noCanary(dir);
    }
  });

  it('DVC: the run values at params.yaml top level, read through --params-binding; no value in any cmd', () => {
    const files = compileTarget(bound, stubCatalog, 'dvc', given);
    const dir = join(work, 'dvc-bound');
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    const top = parse(files['params.yaml']) as Record<string, unknown>;
    expect(JSON.parse(files['params.yaml'])).toEqual(top);
    HOSTILE.forEach((_, i) => expect(top[`q${i}`]).toBe(given[`q${i}`]));
    const stages = (parse(files['dvc.yaml']) as { stages: Record<string, { cmd: string; params?: string[] }> }).stages;
    expect(stages.clean.params).toContain('q0');
    expect(stages.clean.cmd).toContain('--params-binding text_field=q0');
    expect(top.clean).not.toHaveProperty('text_field');
    for (const stage of Object.values(stages)) expect(stage.cmd).not.toMatch(/[$`'"\\;&|<>{}\n]/);
    const report = run([stages.custom.cmd], dir, { HF_TOKEN: SECRET_VALUE }, true);
    noCanary(dir);
    expectGiven(report, report.params);
    expectGiven(report, report.params_yaml);
  });
});
