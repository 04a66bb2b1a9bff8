import { catalog } from '../../../node-catalog/index.ts';
import { diffRuns } from '../../../shared/runs/diff/diffRuns.ts';
import type { DiffSide } from '../../../shared/runs/diff/types.ts';
import type { MetricRecord } from '../../../shared/runs/types.ts';
import type { RunManager } from '../../services/runs/manager.ts';
import { formatRunDiff } from '../diffFormat.ts';
import { readPipelineFile } from '../pipelineFile.ts';
import { withRunManager } from '../runtime.ts';
import { EXIT_FAILURE, EXIT_OK, type CliCommand } from '../types.ts';

async function runSide(manager: RunManager, ref: string): Promise<DiffSide> {
  const id = await manager.history.resolve(ref);
  const record = await manager.getRun(id);
  const curves: Record<string, MetricRecord[]> = {};
  for (const nodeId of Object.keys(record.nodes)) {
    const records = await manager.readMetrics(id, nodeId);
    if (records.length > 0) curves[nodeId] = records;
  }
  return { label: id, document: record.document, run: record, curves };
}

export const command: CliCommand = {
  name: 'diff',
  summary: 'What changed between two runs, and what got better or worse',
  usage: 'pipewright diff RUN_A RUN_B [--json]',
  description: [
    'RUN_A and RUN_B are run ids from `pipewright runs` (a unique beginning is enough). RUN_B may',
    'instead be a pipeline file (*.pipewright.json): the run is compared with the document, not run.',
    'Sections: the graph (nodes and edges added, removed, changed), step fields, pipeline parameter',
    'values, images, resources, content hashes of dataset inputs and python code, engines, durations,',
    'GPU-hours, and final metrics with their change. "better" / "WORSE" follow each metric\'s direction',
    '(loss and time down, accuracy and benchmark scores up); durations within 5 % are noise.',
    '--json prints the whole diff, metric curves of both runs included.',
  ].join('\n'),
  positionals: [
    { name: 'RUN_A', description: 'The run compared from' },
    { name: 'RUN_B', description: 'The run (or pipeline file) compared to' },
  ],
  options: { json: { type: 'boolean', description: 'Print the diff as one JSON document' } },
  examples: ['pipewright diff 20261201-0900 20261202-0900', 'pipewright diff 20261201-0900 korean-llm.pipewright.json --json'],
  run(args, io) {
    return withRunManager(io, async (manager) => {
      const [refA, refB] = args.positionals;
      const a = await runSide(manager, refA);
      let b: DiffSide;
      if (/\.json$/i.test(refB)) {
        const loaded = await readPipelineFile(refB, io.cwd);
        if (!loaded.ok) {
          io.stderr(`error  ${loaded.error.message}\n`);
          return EXIT_FAILURE;
        }
        b = { label: refB, document: loaded.document };
      } else b = await runSide(manager, refB);
      const diff = diffRuns(a, b, catalog);
      io.stdout(args.options.json ? `${JSON.stringify(diff, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v), 2)}\n` : formatRunDiff(diff, io.isTTY));
      return EXIT_OK;
    });
  },
};
