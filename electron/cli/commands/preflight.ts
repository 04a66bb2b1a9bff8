import { catalog } from '../../../node-catalog/index.ts';
import { describeKfpEndpoint } from '../../../shared/preflight/types.ts';
import type { PreflightFinding, PreflightTarget } from '../../../shared/preflight/types.ts';
import { loadKubeConfig } from '../../services/kube/kubeconfig.ts';
import { runPreflight } from '../../services/preflight/index.ts';
import { createSettingsStore } from '../../services/settings.ts';
import { KFP_CONNECTION_OPTIONS, kfpConnectionFromOptions } from '../kfpOptions.ts';
import { readPipelineFile } from '../pipelineFile.ts';
import { dataDirOf } from '../runtime.ts';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, type CliCommand } from '../types.ts';

function text(findings: PreflightFinding[], where: string): string {
  if (findings.length === 0) return `ok  ${where}: the cluster can run this pipeline now\n`;
  const lines = findings.map((f) => `${f.severity.padEnd(7)} ${f.code}${f.node ? ` (node ${f.node})` : ''}: ${f.message}\n        fix: ${f.fix}\n`);
  const errors = findings.filter((f) => f.severity === 'error').length;
  const summary = errors > 0 ? `${errors} blocking problem(s), ${findings.length - errors} warning(s) in ${where}` : `ok with ${findings.length} warning(s) in ${where}`;
  return `${lines.join('')}${summary}\n`;
}

export const command: CliCommand = {
  name: 'preflight',
  summary: 'Can the cluster run it: GPU nodes, taints, quota, secrets, PVCs, access',
  usage: 'pipewright preflight FILE --context C [--namespace N] [--target argo|kfp] [--kfp-url URL --kfp-auth session|service-account --kfp-token-env VAR|--kfp-cookie-env VAR|--kfp-service-account SA] [--kfp-service NAME --kfp-service-namespace NS --kfp-port PORT --kfp-scheme http|https] [--json]',
  description: [
    'Before a cluster run: is there a node with each GPU step\'s product label (nvidia.com/gpu.product) and',
    'enough allocatable GPUs, CPU and memory, and are they free now (allocatable minus the requests of the',
    'pods on it that have not finished); do the nodes\' taints let the step on; do the namespace\'s',
    'ResourceQuota and LimitRange admit each step and the run; do the Secrets (settings.secretEnv) and the',
    'checkpoint PVC exist (names only: secrets are listed as metadata, values are never read); may you',
    'do what the target does (one SelfSubjectAccessReview per verb); is Argo (or KFP) installed; may the',
    'workflow\'s service account (--service-account, else the Workflow\'s spec.serviceAccountName or default;',
    'KFP: pipeline-runner) create, patch and get what each deploy step applies in its namespace',
    '(SubjectAccessReview; a denial names the verb, kind and namespace, with a Role and RoleBinding to apply).',
    'Reads one list per resource kind, whatever the size of the pipeline. A part you may not read',
    '(nodes, for instance) is a warning, not a pass.',
    'The namespace is --namespace, else the pipeline\'s settings.namespace, else the context\'s, else default.',
    'kfp: the endpoint checked is the one `pipewright run` would use with the same options (the service proxy to',
    'the app\'s KFP service setting or --kfp-service…, or --kfp-url with --kfp-auth), and the output names it; a',
    'multi-user KFP reached through the proxy is a blocking problem (no identity reaches it).',
    'Exit status: 0 when nothing blocks the run (warnings allowed), 1 when a blocking problem is found',
    'or the file cannot be read, 2 for a wrong command line.',
  ].join('\n'),
  positionals: [{ name: 'FILE', description: 'The pipeline document' }],
  options: {
    context: { type: 'string', valueName: 'C', required: true, description: 'kubeconfig context of the cluster' },
    namespace: { type: 'string', valueName: 'N', short: 'n', description: 'Namespace the run goes to' },
    target: { type: 'string', valueName: 'T', choices: ['argo', 'kfp'], description: 'Which engine runs it (default argo): decides the permissions and the installation checked' },
    'kfp-namespace': { type: 'string', valueName: 'NS', description: 'kfp: namespace of the ml-pipeline service (default kubeflow; the same as --kfp-service-namespace)' },
    ...KFP_CONNECTION_OPTIONS,
    'service-account': { type: 'string', valueName: 'SA', description: 'The service account the steps run as (argo: the workflow namespace\'s; kfp: the KFP namespace\'s; default: the Workflow\'s, else default / pipeline-runner)' },
    json: { type: 'boolean', description: 'Print {"ok": bool, "findings": [{"code","severity","node","message","fix"}]} on stdout' },
  },
  examples: ['pipewright preflight korean-llm.pipewright.json --context prod --namespace ml', 'pipewright preflight pipeline.pipewright.json --context prod --json | jq \'.findings[] | select(.severity=="error")\''],
  async run(args, io) {
    const [file] = args.positionals;
    const loaded = await readPipelineFile(file, io.cwd);
    if (!loaded.ok) {
      io.stderr(`error  file ${file}: ${loaded.error.message}\n`);
      return EXIT_FAILURE;
    }
    const target = (args.options.target as PreflightTarget | undefined) ?? 'argo';
    const kfp = kfpConnectionFromOptions(args.options, io.env);
    if (target === 'kfp' && kfp.errors.length > 0) {
      io.stderr(`${kfp.errors.map((e) => `error  ${e}`).join('\n')}\n`);
      return EXIT_USAGE;
    }
    // As `pipewright run` reaches KFP: the app's KFP service setting, the options' own winning.
    const service = target === 'kfp' ? (await createSettingsStore(dataDirOf(io)).getSettings()).kfpService : undefined;
    const report = await runPreflight(loaded.document, catalog, {
      target,
      ...(target === 'kfp' ? { kfp: { request: kfp.request, service, env: io.env } } : {}),
      context: args.options.context as string,
      ...(typeof args.options.namespace === 'string' ? { namespace: args.options.namespace } : {}),
      ...(typeof args.options['kfp-namespace'] === 'string' ? { kfpNamespace: args.options['kfp-namespace'] } : {}),
      ...(typeof args.options['service-account'] === 'string' ? { serviceAccount: args.options['service-account'] } : {}),
      load: () => loadKubeConfig(io.env),
    });
    if (args.options.json) io.stdout(`${JSON.stringify({ ok: report.ok, findings: report.findings, ...(report.kfpEndpoint ? { kfpEndpoint: report.kfpEndpoint, kfpMultiUser: report.kfpMultiUser } : {}) }, null, 2)}\n`);
    else {
      if (report.kfpEndpoint) io.stdout(`kfp     checked ${describeKfpEndpoint(report.kfpEndpoint)}${report.kfpMultiUser === undefined ? '' : report.kfpMultiUser ? ' (multi-user)' : ' (single-user)'}\n`);
      io.stdout(text(report.findings, `namespace ${report.namespace || '?'} of context ${args.options.context as string}`));
    }
    return report.ok ? EXIT_OK : EXIT_FAILURE;
  },
};
