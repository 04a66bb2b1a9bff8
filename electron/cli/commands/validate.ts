import { catalog } from '../../../node-catalog/index.ts';
import { loadErrorToProblem } from '../../../shared/pipeline/load.ts';
import type { Problem } from '../../../shared/pipeline/types.ts';
import { hasErrors, validatePipeline } from '../../../shared/pipeline/validate.ts';
import { estimateProblems } from '../../../shared/estimate/problems.ts';
import { estimateContextFor } from '../estimateContext.ts';
import { formatProblem, readPipelineFile, summarizeProblems } from '../pipelineFile.ts';
import { EXIT_FAILURE, EXIT_OK, type CliCommand } from '../types.ts';

export const command: CliCommand = {
  name: 'validate',
  summary: 'Check a pipeline file and list every problem',
  usage: 'pipewright validate FILE [--json]',
  description: [
    'Loads FILE (a *.pipewright.json document; older formats are upgraded in memory) and checks it',
    'against the node catalog: names and ids, edges and port kinds, inputs, cycles, parameters,',
    'resources and settings, and whether each GPU step fits its GPU product (`pipewright estimate`).',
    'Problems go to stderr, one per line, naming the node or edge.',
    'Exit status: 0 when there is no error (warnings allowed), 1 when there is an error or the',
    'file cannot be read, 2 for a wrong command line.',
  ].join('\n'),
  positionals: [{ name: 'FILE', description: 'The pipeline document to check' }],
  options: {
    json: { type: 'boolean', description: 'Print {"problems": [...]} as JSON on stdout instead' },
  },
  examples: ['pipewright validate korean-llm.pipewright.json', 'pipewright validate pipeline.pipewright.json --json | jq .problems'],
  async run(args, io) {
    const [file] = args.positionals;
    const json = args.options.json === true;
    const loaded = await readPipelineFile(file, io.cwd);
    if (!loaded.ok) {
      const problem: Problem =
        loaded.error.code === 'unreadable'
          ? { severity: 'error', code: 'load-unreadable', message: loaded.error.message, location: {} }
          : loadErrorToProblem(loaded.error);
      if (json) io.stdout(`${JSON.stringify({ problems: [problem] }, null, 2)}\n`);
      else io.stderr(`error  file ${file}: ${loaded.error.message}\n`);
      return EXIT_FAILURE;
    }
    if (loaded.migratedFrom) io.stderr(`note: ${file} is in the older format ${loaded.migratedFrom}; it was checked as ${loaded.document.format}.\n`);
    const structural = validatePipeline(loaded.document, catalog);
    // GPU memory fit needs a sound graph; on a broken one the structural problems come first.
    const problems = hasErrors(structural) ? structural : [...structural, ...estimateProblems(loaded.document, catalog, await estimateContextFor(io, loaded.document, file))];
    if (json) {
      io.stdout(`${JSON.stringify({ problems }, null, 2)}\n`);
    } else if (problems.length === 0) {
      io.stdout(`${file}: no problems (${loaded.document.nodes.length} nodes, ${loaded.document.edges.length} edges)\n`);
    } else {
      io.stderr(problems.map((p) => `${formatProblem(p)}\n`).join(''));
      io.stderr(`${file}: ${summarizeProblems(problems)}\n`);
    }
    return hasErrors(problems) ? EXIT_FAILURE : EXIT_OK;
  },
};
