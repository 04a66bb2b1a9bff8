/** What a target driver gets for one run (target.ts's RunContext), built over the run being kept in memory. */
import type { StartRunRequest } from '../../../shared/runs/types.ts';
import type { ActiveRun } from './activeRun.ts';
import type { RunHistory } from './history.ts';
import type { RunContext } from './target.ts';

export function createRunContext(run: ActiveRun, request: StartRunRequest, history: RunHistory): RunContext {
  return {
    get record() {
      return run.record;
    },
    request,
    dir: run.dir,
    emit: (event) => run.emit(event),
    drain: () => run.drain(),
    setExternal: async (external) => {
      // In the record at once (the run's summary shows it); written and synced after what the driver starts meanwhile.
      run.record = { ...run.record, external: { ...run.record.external, ...external } };
      await run.idle();
      await new Promise<void>((resolve) => setImmediate(resolve));
      await run.writeRecord();
    },
    logTail: async (nodeId, count) => {
      await run.flushNode(nodeId);
      return history.logTail(run.record.id, nodeId, count);
    },
  };
}
