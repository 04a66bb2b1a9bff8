import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { catalog, createCatalog } from '../../node-catalog/index.ts';
import { expandKubelet, kfpArgText, readKfpYaml, substituteDriver, substituteLauncher } from '../../test/fixtures/kfp-emulation.ts';
import type { PipelineDocument } from '../pipeline/types.ts';
import { compileKfp, KFP_LAUNCHER, protectKfpText } from './kfp.ts';
import { escapeKubeletExpansion } from './kfp/launcher.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const work = mkdtempSync(join(tmpdir(), 'pipewright-kfp-injection-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const CANARY = join(work, 'CANARY');

/** Values a user might type that other tools would read as code, syntax or placeholders. */
const HOSTILE = [
  `"; touch ${CANARY}; echo "`,
  `'; touch ${CANARY}; '`,
  `$(touch ${CANARY})`,
  `\`touch ${CANARY}\``,
  `a; touch ${CANARY}`,
  'line one\nline two\n',
  'a: b\n- c\n',
  '&anchor *alias !!python/object:os.system',
  '{x: 1, y: [2, 3]}',
  '# not a comment',
  '---\n...',
  '{{$}}',
  "{{$.inputs.parameters['s0']}}",
  '{{workflow.name}}',
  '{{=sprig.trim(" x ")}}',
  '$$',
  '$(HF_TOKEN)',
  '$HOME ${HOME}',
  '가격은 $한 개',
  '\ue000 and \ue000$)',
  'yes',
  '0o17',
  '1e-7',
  '',
  '  leading and trailing  ',
  'tab\there\r\nCRLF',
  'line\u2028separator\u0085next',
  '\ufeffbom',
  '\\ backslash \\n',
];

/** A step that reports what it received: its arguments, its own source, and the sample it was given. */
const PROBE = [
  '# {{$}} $(HF_TOKEN) $$ $한 {{workflow.name}} \ue000 $)',
  'import json, os, sys',
  "folder = os.environ.get('PIPEWRIGHT_SAMPLES_DIR')",
  "sample = open(os.path.join(folder, 'hostile.jsonl'), encoding='utf-8', newline='').read() if folder else None",
  "print(json.dumps({'argv': sys.argv[1:], 'source': open(__file__, encoding='utf-8', newline='').read(), 'sample': sample, 'node': os.environ.get('PIPEWRIGHT_NODE_ID')}))",
  '',
].join('\n');
const SAMPLE = HOSTILE.join('\n');

const probeCatalog = createCatalog(
  [...catalog.types.values()].map((t) => ({ ...t, script: PROBE })),
  { 'hostile.jsonl': SAMPLE },
);

const title = { en: 't', ko: 't' };
const hostileDoc: PipelineDocument = {
  format: 'pipewright.pipeline/v2',
  name: 'hostile',
  settings: { secretEnv: [{ secret: 'hf-token', key: 'token', env: 'HF_TOKEN' }] },
  nodes: [
    {
      id: 'probe',
      type: 'python',
      position: { x: 0, y: 0 },
      code: PROBE,
      params: { ...Object.fromEntries(HOSTILE.map((v, i) => [`s${i}`, v])), list: HOSTILE },
      interface: {
        inputs: [],
        outputs: [{ name: 'out', kind: 'dataset' }],
        parameters: [...HOSTILE.map((_, i) => ({ name: `s${i}`, type: 'string' as const, title, help: title })), { name: 'list', type: 'string-list', title, help: title }],
      },
    },
    { id: 'data', type: 'dataset', position: { x: 0, y: 1 }, params: { uri: 'sample://hostile.jsonl', format: 'jsonl' } },
  ],
  edges: [],
};

const text = compileKfp(hostileDoc, probeCatalog)['pipeline.yaml'];
const pipeline = readKfpYaml(text)[0] as Json;

/** The launcher's unescaping, in TypeScript, to check the compiled values without running anything. */
const decode = (s: string): string => s.replace(/\ue000(\$\)|[\s\S])/g, (_m, g: string) => g[0]);

describe('KFP output keeps every user value literal', () => {
  it('reads back the same under YAML 1.1 and 1.2, and as PyYAML (the KFP SDK) reads it', () => {
    expect(readKfpYaml(text, '1.1')).toEqual(readKfpYaml(text, '1.2'));
    const run = spawnSync('/usr/bin/python3', ['-c', 'import json, sys, yaml; print(json.dumps(list(yaml.safe_load_all(sys.stdin))))'], { input: text, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(readKfpYaml(text));
  });

  it('holds each value as one constant that unescapes to exactly what was typed', () => {
    const params = pipeline.root.dag.tasks.probe.inputs.parameters;
    HOSTILE.forEach((value, i) => expect([i, decode(params[`s${i}`].runtimeValue.constant)]).toEqual([i, value]));
    expect((params.list.runtimeValue.constant as string[]).map(decode)).toEqual(HOSTILE);
  });

  it('puts no user value in args: only flags and whole-element placeholders', () => {
    for (const executor of Object.values(pipeline.deploymentSpec.executors as Record<string, Json>)) {
      for (const arg of executor.container.args as string[]) expect(arg).toMatch(/^(--[A-Za-z0-9_-]+|\{\{\$\}\}|\{\{\$\.(inputs|outputs)\.(parameters|artifacts)\['[A-Za-z0-9_-]+'\](\.path)?\}\})$/);
    }
  });

  it('leaves no "{{" for Argo or KFP except its own placeholders', () => {
    const tags = [...JSON.stringify(readKfpYaml(text)).matchAll(/\{\{(.*?)\}\}/g)].map((m) => m[1]);
    for (const tag of tags) expect(tag).toMatch(/^\$(\.(inputs|outputs)\.(parameters|artifacts)\['[A-Za-z0-9_-]+'\](\.path)?)?$/);
  });

  it('escapes so that text survives Kubernetes expansion and KFP placeholders, and unescapes exactly (random text)', () => {
    const pieces = fc.constantFrom('{', '}', '$', '(', ')', '\ue000', '한', 'é', 'a', '\n', '{{$}}', "{{$.inputs.parameters['x']}}");
    const textArb = fc.oneof(fc.string({ unit: 'binary', maxLength: 30 }), fc.array(pieces, { maxLength: 20 }).map((a) => a.join('')));
    fc.assert(
      fc.property(textArb, (s) => {
        const p = protectKfpText(s);
        expect(p.includes('{{')).toBe(false);
        expect(expandKubelet(p, { HF_TOKEN: 'SECRET', x: 'X' })).toBe(p);
        expect(decode(p)).toBe(s);
        if (!/[{$\ue000]/.test(s)) expect(p).toBe(s);
        expect(expandKubelet(escapeKubeletExpansion(s), { HF_TOKEN: 'SECRET' })).toBe(s);
      }),
      { numRuns: 400 },
    );
    expect(expandKubelet('$한', {})).not.toBe('$한'); // why `$` before non-ASCII is escaped at all
  });
});

describe('KFP containers run with the exact values (emulated KFP before and after 2.17, Kubernetes, real Python)', () => {
  const env = { HF_TOKEN: 'SECRET-VALUE', HOME: '/root' };

  function runTask(task: string, driverResolves: boolean): Json {
    const label = pipeline.components[pipeline.root.dag.tasks[task].componentRef.name].executorLabel;
    const executor = pipeline.deploymentSpec.executors[label].container;
    const constants = Object.fromEntries(Object.entries(pipeline.root.dag.tasks[task].inputs.parameters as Record<string, Json>).map(([k, v]) => [k, v.runtimeValue.constant]));
    const out = join(work, `${task}-${driverResolves}`);
    const placeholders: Record<string, string> = { [`{{$.outputs.artifacts['out'].path}}`]: out, [`{{$.outputs.artifacts['dataset'].path}}`]: out };
    for (const [k, v] of Object.entries(constants)) placeholders[`{{$.inputs.parameters['${k}']}}`] = kfpArgText(v);
    const executorInput = JSON.stringify({ inputs: { parameterValues: constants }, outputs: { outputFile: join(work, 'executor-output.json') } });
    // 2.17+ resolves parameters in the driver, so the values sit in the pod spec; earlier, only KFP's launcher sees them.
    const pod = (executor.command as string[]).concat(executor.args as string[]).map((a) => (driverResolves ? substituteDriver(a, constants) : a));
    const argv = pod.map((a) => expandKubelet(a, env)).map((a) => substituteLauncher(a, placeholders, executorInput));
    const run = spawnSync(argv[0] === 'python3' ? '/usr/bin/python3' : argv[0], argv.slice(1), { cwd: work, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
    expect(run.status, run.stderr).toBe(0);
    return JSON.parse(run.stdout) as Json;
  }

  it.each([false, true])('delivers every hostile value as one argument, and the script intact (driver resolves: %s)', (driverResolves) => {
    const got = runTask('probe', driverResolves);
    const expected = HOSTILE.flatMap((v, i) => [`--s${i}`, v]).concat(['--list', JSON.stringify(HOSTILE), '--out-out', join(work, `probe-${driverResolves}`)]);
    expect(got.argv.slice(0, -3)).toEqual(expected.slice(0, -3));
    expect(JSON.parse(got.argv.at(-3))).toEqual(HOSTILE);
    expect(got.argv.slice(-2)).toEqual(expected.slice(-2));
    expect(got.source).toBe(PROBE);
    expect(got.node).toBe('probe');
    expect(existsSync(CANARY)).toBe(false);
  });

  it.each([false, true])('hands a bundled sample to the dataset step byte for byte (driver resolves: %s)', (driverResolves) => {
    const got = runTask('data', driverResolves);
    expect(got.sample).toBe(SAMPLE);
    expect(got.node).toBe('data');
    expect(got.argv).toEqual(['--uri', 'sample://hostile.jsonl', '--format', 'jsonl', '--out-dataset', join(work, `data-${driverResolves}`)]);
    expect(existsSync(CANARY)).toBe(false);
  });

  it('runs the launcher itself unchanged through every substitution', () => {
    expect(protectKfpText(KFP_LAUNCHER)).toBe(KFP_LAUNCHER);
    expect(expandKubelet(KFP_LAUNCHER, env)).toBe(KFP_LAUNCHER);
    expect(KFP_LAUNCHER).not.toContain('{{');
  });

  it('writes the secret only as a reference', () => {
    expect(text).not.toContain('SECRET-VALUE');
    expect(readKfpYaml(text)[1]).toEqual({
      platforms: { kubernetes: { deploymentSpec: { executors: {
        'exec-python': { secretAsEnv: [{ secretName: 'hf-token', keyToEnv: [{ secretKey: 'token', envVar: 'HF_TOKEN' }] }] },
        'exec-dataset': { secretAsEnv: [{ secretName: 'hf-token', keyToEnv: [{ secretKey: 'token', envVar: 'HF_TOKEN' }] }] },
      } } } },
    });
  });
});
