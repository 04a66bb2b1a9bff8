import type { LogLine, RunTarget } from '../../../shared/runs/types.ts';
import { followRunFromDisk } from '../../services/runs/follow.ts';
import type { RunManager } from '../../services/runs/manager.ts';
import { ownerState } from '../../services/runs/runFiles.ts';
import { printable } from '../printable.ts';
import { openRunManager, withRunManager } from '../runtime.ts';
import { EXIT_FAILURE, EXIT_OK, type CliCommand, type CliIo } from '../types.ts';

/** A cluster run nobody follows any more (its `pipewright run` was killed) is picked up by this process. */
async function adoptIfOrphaned(io: CliIo, runDir: string, target: RunTarget): Promise<RunManager | undefined> {
  if (target === 'local' || (await ownerState(runDir)) !== 'none') return undefined;
  const { manager } = await openRunManager(io, [target]);
  await manager.reattachRuns();
  return manager;
}

const PAGE = 10_000;

export const command: CliCommand = {
  name: 'logs',
  summary: "Print a run's logs, or one node's; --follow keeps printing until it ends",
  usage: 'pipewright logs RUN [--node ID] [--follow]',
  description: [
    'RUN is a run id from `pipewright runs` (a unique beginning of one is enough).',
    'Without --node, every node\'s lines are printed, each after its node id.',
    'Logs are read from the run history, so they stay readable after the run and its pods are gone.',
  ].join('\n'),
  positionals: [{ name: 'RUN', description: 'The run id (or its unique beginning)' }],
  options: {
    node: { type: 'string', description: 'Only this node\'s log', valueName: 'ID' },
    follow: { type: 'boolean', description: 'Keep printing new lines until the run ends (Ctrl-C stops)', short: 'f' },
  },
  examples: ['pipewright logs 20261128-100000-ab12 --node cpt --follow'],
  run(args, io) {
    return withRunManager(io, async (manager) => {
      const runId = await manager.history.resolve(args.positionals[0]);
      const run = await manager.getRun(runId);
      const nodeIds = Object.keys(run.nodes);
      const only = args.options.node as string | undefined;
      if (only !== undefined && !nodeIds.includes(only)) {
        io.stderr(`error  run ${runId} has no node "${only}" (nodes: ${nodeIds.join(', ')})\n`);
        return EXIT_FAILURE;
      }
      const width = Math.max(...nodeIds.map((id) => id.length));
      const print = (nodeId: string, lines: LogLine[]) =>
        io.stdout(lines.map((l) => (only !== undefined ? `${printable(l.text)}\n` : `${nodeId.padEnd(width)} | ${printable(l.text)}\n`)).join(''));
      if (args.options.follow) {
        const runDir = manager.history.dir(runId);
        let adopted: RunManager | undefined;
        const follow = followRunFromDisk(runDir, {
          nodes: only !== undefined ? [only] : nodeIds,
          intervalMs: 200,
          onEvent: (e) => {
            if (e.kind === 'log') print(e.nodeId, e.lines);
          },
          shouldStop: async () => {
            adopted ??= await adoptIfOrphaned(io, runDir, run.target);
            return false;
          },
        });
        io.signal.addEventListener('abort', () => follow.stop(), { once: true });
        await follow.finished;
        await adopted?.close();
        return EXIT_OK;
      }
      for (const nodeId of only !== undefined ? [only] : nodeIds) {
        for (let after = 0; ; ) {
          const page = await manager.readLog(runId, nodeId, after, PAGE);
          if (page.lines.length === 0) break;
          print(nodeId, page.lines);
          after = page.lines[page.lines.length - 1].seq;
        }
      }
      return EXIT_OK;
    });
  },
};
