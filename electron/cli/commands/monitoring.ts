import { resolve } from 'node:path';
import { catalog } from '../../../node-catalog/index.ts';
import { compileMonitoring } from '../../../shared/compile/monitoring/index.ts';
import { hasErrors, validatePipeline } from '../../../shared/pipeline/validate.ts';
import { formatProblem, readPipelineFile, summarizeProblems } from '../pipelineFile.ts';
import { EXIT_FAILURE, EXIT_OK, type CliCommand, type CliIo } from '../types.ts';
import { writeFilesAtomically } from '../writeFiles.ts';

function fail(io: CliIo, json: boolean, out: string, message: string): number {
  if (json) io.stdout(`${JSON.stringify({ ok: false, error: message }, null, 2)}\n`);
  io.stderr(`${message}\nNothing was written to ${out}.\n`);
  return EXIT_FAILURE;
}

export const command: CliCommand = {
  name: 'monitoring',
  summary: 'Write a Grafana dashboard and Prometheus alert rules for a pipeline',
  usage: 'pipewright monitoring FILE --out DIR [--json]',
  description: [
    'Validates FILE, then writes into DIR (created if needed) all at once:',
    '  dashboard.json       a Grafana dashboard (import it and pick your Prometheus data source): run',
    '                       status, training loss and learning rate per stage, tokens/s, GPU utilization',
    '                       and memory per step, eval metrics, step durations',
    '  alert-rules.yaml     Prometheus alerting rules (a step failed, GPUs idle, loss rising, NaN/Inf',
    '                       loss, a stalled step), for rule_files; thresholds from settings.alerts',
    '  prometheusrule.yaml  the same rules as a prometheus-operator PrometheusRule',
    'The queries read the metrics steps push to a Pushgateway when the pipeline sets pushgatewayUrl',
    '(or PIPEWRIGHT_PUSHGATEWAY_URL is set), scraped with honor_labels: true, and the NVIDIA DCGM',
    'exporter, kube-state-metrics and Argo workflow-controller (v3.6 or later) metrics.',
    'Exit status: 0 when written, 1 for an invalid or unreadable pipeline or a failed write, 2 for a wrong command line.',
  ].join('\n'),
  positionals: [{ name: 'FILE', description: 'The pipeline document' }],
  options: {
    out: { type: 'string', description: 'Folder to write the files into', valueName: 'DIR', required: true, short: 'o' },
    json: { type: 'boolean', description: 'Print {"ok", "out", "files"} as JSON on stdout' },
  },
  examples: ['pipewright monitoring korean-llm.pipewright.json --out monitoring/', 'kubectl apply -f monitoring/prometheusrule.yaml'],
  async run(args, io) {
    const [file] = args.positionals;
    const out = args.options.out as string;
    const json = args.options.json === true;
    const loaded = await readPipelineFile(file, io.cwd);
    if (!loaded.ok) return fail(io, json, out, `error  file ${file}: ${loaded.error.message}`);
    const problems = validatePipeline(loaded.document, catalog);
    if (problems.length > 0) io.stderr(problems.map((p) => `${formatProblem(p)}\n`).join(''));
    if (hasErrors(problems)) return fail(io, json, out, `${file}: ${summarizeProblems(problems)}.`);
    let files: Record<string, string>;
    try {
      files = compileMonitoring(loaded.document, catalog);
    } catch (err) {
      return fail(io, json, out, `error  file ${file}: cannot write monitoring files: ${(err as Error).message}`);
    }
    try {
      const written = await writeFilesAtomically(resolve(io.cwd, out), files);
      if (json) io.stdout(`${JSON.stringify({ ok: true, out: resolve(io.cwd, out), files: written }, null, 2)}\n`);
      else io.stdout(`monitoring: wrote ${written.length} files to ${out}: ${written.join(', ')}\n`);
      return EXIT_OK;
    } catch (err) {
      return fail(io, json, out, `error  cannot write to ${out}: ${(err as Error).message}.`);
    }
  },
};
