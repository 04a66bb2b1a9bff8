import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalog } from '../../../node-catalog/index.ts';
import { templateDocument } from '../../../node-catalog/templates/index.ts';
import { compileMonitoring } from '../../../shared/compile/monitoring/index.ts';
import { serializePipeline } from '../../../shared/pipeline/load.ts';
import { runCli } from '../main.ts';
import type { CliIo } from '../types.ts';

let dir: string;

async function cli(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), cwd: dir, env: {}, isTTY: false, signal: new AbortController().signal };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pw-monitoring-cli-'));
  await writeFile(join(dir, 'smoke.pipewright.json'), serializePipeline(templateDocument('korean-llm-smoke')!));
  const bad = templateDocument('korean-llm-smoke')!;
  bad.settings = { alerts: { stall: { minutes: -1 } } };
  await writeFile(join(dir, 'bad.pipewright.json'), serializePipeline(bad));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('pipewright monitoring', () => {
  it('writes the dashboard and both rule files, exactly what compileMonitoring makes', async () => {
    const r = await cli('monitoring', 'smoke.pipewright.json', '--out', 'mon');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('monitoring: wrote 3 files to mon: alert-rules.yaml, dashboard.json, prometheusrule.yaml\n');
    const expected = compileMonitoring(templateDocument('korean-llm-smoke')!, catalog);
    for (const [name, text] of Object.entries(expected)) expect(await readFile(join(dir, 'mon', name), 'utf8')).toBe(text);
  });

  it('--json prints one JSON document', async () => {
    const r = await cli('monitoring', 'smoke.pipewright.json', '--out', 'mon-json', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ ok: true, out: join(dir, 'mon-json'), files: ['alert-rules.yaml', 'dashboard.json', 'prometheusrule.yaml'] });
  });

  it('refuses an invalid pipeline naming the field, and writes nothing', async () => {
    const r = await cli('monitoring', 'bad.pipewright.json', '--out', 'nothing', '--json');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error  pipeline  field settings.alerts.stall.minutes: settings.alerts.stall.minutes is -1');
    expect(JSON.parse(r.stdout)).toEqual({ ok: false, error: 'bad.pipewright.json: 1 error, 0 warnings.' });
    expect(await readdir(dir)).not.toContain('nothing');
  });

  it('says what is missing on a wrong command line, and has --help', async () => {
    expect((await cli('monitoring', 'smoke.pipewright.json')).code).toBe(2);
    const help = await cli('monitoring', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('pipewright monitoring FILE --out DIR [--json]');
    expect(help.stdout).toContain('prometheusrule.yaml');
  });

  it('fails on a file that cannot be read', async () => {
    const r = await cli('monitoring', 'missing.pipewright.json', '--out', 'x');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Cannot read "missing.pipewright.json": there is no such file.');
  });
});
