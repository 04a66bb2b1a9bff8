import { TERMINAL_RUN_PHASES } from '../../../shared/runs/types.ts';
import type { RunTarget } from '../../../shared/runs/types.ts';
import { openRunManager } from '../runtime.ts';
import { EXIT_FAILURE, EXIT_OK, type CliCommand } from '../types.ts';

/** How long to wait for the process running the run to stop it. */
const WAIT_MS = 30_000;

export const command: CliCommand = {
  name: 'cancel',
  summary: 'Cancel a run, whichever process (the app, another terminal) is running it',
  usage: 'pipewright cancel RUN',
  description: [
    'Stops the run: for local runs every process of its running stages, for cluster runs the Workflow.',
    'The process running it (the app or a `pipewright run`) is asked through the run\'s folder and',
    'this command waits until the run has ended.',
    'Exit status: 0 when the run is over (or already was), 1 when it could not be stopped.',
  ].join('\n'),
  positionals: [{ name: 'RUN', description: 'The run id (or its unique beginning)' }],
  async run(args, io) {
    const { manager: probe } = await openRunManager(io);
    let runId: string;
    let target: RunTarget;
    try {
      runId = await probe.history.resolve(args.positionals[0]);
      const run = await probe.getRun(runId);
      target = run.target;
      if (TERMINAL_RUN_PHASES.includes(run.phase)) {
        io.stdout(`Run ${runId} has already ended (${run.phase}).\n`);
        return EXIT_OK;
      }
    } catch (err) {
      io.stderr(`error  ${(err as Error).message}\n`);
      return EXIT_FAILURE;
    } finally {
      await probe.close();
    }
    const { manager } = await openRunManager(io, [target]);
    try {
      await manager.cancelRun(runId);
      let stopWaiting = () => {};
      const timeout = new Promise<undefined>((resolve) => {
        const timer = setTimeout(resolve, WAIT_MS);
        stopWaiting = () => clearTimeout(timer);
      });
      const done = await Promise.race([manager.waitForRun(runId), timeout]);
      stopWaiting();
      if (!done) {
        io.stderr(`error  run ${runId} was asked to stop but is still running after ${WAIT_MS / 1000} s\n`);
        return EXIT_FAILURE;
      }
      io.stdout(done.phase === 'cancelled' ? `Cancelled run ${runId}\n` : `Run ${runId} ended ${done.phase}${done.message ? `: ${done.message}` : ''}\n`);
      return EXIT_OK;
    } catch (err) {
      io.stderr(`error  cannot cancel run ${runId}: ${(err as Error).message}\n`);
      return EXIT_FAILURE;
    } finally {
      await manager.close();
    }
  },
};
