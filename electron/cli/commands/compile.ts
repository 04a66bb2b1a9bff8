import { catalog } from '../../../node-catalog/index.ts';
import { COMPILE_TARGETS, compileTarget, type CompileTarget } from '../../../shared/compile/index.ts';
import { hasErrors, validatePipeline } from '../../../shared/pipeline/validate.ts';
import { formatProblem, readPipelineFile, summarizeProblems } from '../pipelineFile.ts';
import { EXIT_FAILURE, EXIT_OK, type CliCommand } from '../types.ts';
import { writeFilesAtomically } from '../writeFiles.ts';
import { resolve } from 'node:path';

export const command: CliCommand = {
  name: 'compile',
  summary: 'Compile a pipeline to Kubeflow Pipelines, Argo Workflows or DVC files',
  usage: 'pipewright compile FILE --target kfp|argo|dvc --out DIR',
  description: [
    'Validates FILE first; when it has an error, the problems go to stderr and nothing is written.',
    'Otherwise writes the target\'s files into DIR (created if needed) all at once:',
    '  kfp   DIR/pipeline.yaml (KFP v2 IR, with the platforms.kubernetes document)',
    '  argo  DIR/workflow.yaml (an Argo Workflow)',
    '  dvc   DIR/dvc.yaml, DIR/params.yaml and the step scripts under DIR/steps/',
    'Files already in DIR that the target does not write are left alone.',
    'Exit status: 0 when written, 1 for an invalid or unreadable pipeline or a failed write, 2 for a wrong command line.',
  ].join('\n'),
  positionals: [{ name: 'FILE', description: 'The pipeline document to compile' }],
  options: {
    target: { type: 'string', description: 'What to compile to', choices: COMPILE_TARGETS, valueName: COMPILE_TARGETS.join('|'), required: true, short: 't' },
    out: { type: 'string', description: 'Folder to write the files into', valueName: 'DIR', required: true, short: 'o' },
  },
  examples: ['pipewright compile korean-llm.pipewright.json --target kfp --out build/kfp', 'pipewright compile korean-llm.pipewright.json --target dvc --out .'],
  async run(args, io) {
    const [file] = args.positionals;
    const target = args.options.target as CompileTarget;
    const out = args.options.out as string;
    const loaded = await readPipelineFile(file, io.cwd);
    if (!loaded.ok) {
      io.stderr(`error  file ${file}: ${loaded.error.message}\nNothing was written to ${out}.\n`);
      return EXIT_FAILURE;
    }
    const problems = validatePipeline(loaded.document, catalog);
    if (problems.length > 0) io.stderr(problems.map((p) => `${formatProblem(p)}\n`).join(''));
    if (hasErrors(problems)) {
      io.stderr(`${file}: ${summarizeProblems(problems)}. Nothing was written to ${out}.\n`);
      return EXIT_FAILURE;
    }
    let files: Record<string, string>;
    try {
      files = compileTarget(loaded.document, catalog, target);
    } catch (err) {
      io.stderr(`error  file ${file}: cannot compile for ${target}: ${(err as Error).message}\nNothing was written to ${out}.\n`);
      return EXIT_FAILURE;
    }
    try {
      const written = await writeFilesAtomically(resolve(io.cwd, out), files);
      io.stdout(`${target}: wrote ${written.length} file${written.length === 1 ? '' : 's'} to ${out}: ${written.join(', ')}\n`);
      return EXIT_OK;
    } catch (err) {
      io.stderr(`error  cannot write to ${out}: ${(err as Error).message}.\n`);
      return EXIT_FAILURE;
    }
  },
};
