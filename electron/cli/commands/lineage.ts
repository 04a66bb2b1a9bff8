import { formatLineageText } from '../../../shared/lineage/formatText.ts';
import { withRunManager } from '../runtime.ts';
import { EXIT_OK, type CliCommand } from '../types.ts';

export const command: CliCommand = {
  name: 'lineage',
  summary: 'Which data made a model, its scores and deployments, across runs',
  usage: 'pipewright lineage RUN [NODE] [--json]',
  description: [
    'RUN is a run id from `pipewright runs` (a unique beginning is enough). With NODE, the node\'s upstream',
    '(datasets and models it came from) and downstream (what was trained, evaluated, registered and deployed',
    'from it) in that run; without, every node of the run. Each dataset and output is named by its SHA-256',
    'content hash (dataset inputs hashed when the run started, outputs when each step finished; a cluster step',
    'reports its own), with the final metrics, the MLflow model version and the deployment (namespace, kind,',
    'name, phase). "also in runs" lists other runs holding the same content or serving the same model',
    'version, and "Other runs" what each of them made of it. --json prints the whole lineage.',
  ].join('\n'),
  positionals: [
    { name: 'RUN', description: 'The run' },
    { name: 'NODE', description: 'A node id of the run (default: every node)', optional: true },
  ],
  options: { json: { type: 'boolean', description: 'Print the lineage as one JSON document' } },
  examples: ['pipewright lineage 20261201-0900 sft', 'pipewright lineage 20261201-0900 corpus --json'],
  run(args, io) {
    return withRunManager(io, async (manager) => {
      const [ref, nodeId] = args.positionals;
      const runId = await manager.history.resolve(ref);
      const lineage = await manager.readLineage(runId, nodeId ?? null);
      io.stdout(args.options.json ? `${JSON.stringify(lineage, null, 2)}\n` : formatLineageText(lineage));
      return EXIT_OK;
    });
  },
};
