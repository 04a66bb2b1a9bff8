import { describe, expect, it } from 'vitest';
import type { RunEvent, RunRecord } from '../../../shared/runs/types.ts';
import type { KfpClient, KfpRun } from './kfpClient.ts';
import { NO_REASON_DIRECT_URL } from './kfpFailure.ts';
import { KfpRunFollower } from './kfpFollow.ts';
import type { KfpFollowOptions } from './kfpFollow.ts';

/** A follower without Kubernetes access (a direct URL) over a scripted sequence of KFP answers. */
function follow(answers: Partial<KfpRun>[], extra: Partial<KfpFollowOptions> = {}) {
  const events: RunEvent[] = [];
  let i = 0;
  const client = { getRun: async () => ({ run_id: 'k1', ...answers[Math.min(i++, answers.length - 1)] }) } as unknown as KfpClient;
  const record = { id: 'run1', document: { nodes: [{ id: 'cpt' }] } } as unknown as RunRecord;
  const follower = new KfpRunFollower(
    { record, emit: (e) => events.push(e), logTail: async () => [], setExternal: async () => {} },
    { client, kfpRunId: 'k1', namespaces: ['kubeflow'], pollMs: 5, settleMs: 200, ...extra },
  );
  const ended = async () => {
    for (let t = 0; t < 400; t++) {
      const end = events.find((e) => e.kind === 'run-phase' && ['succeeded', 'failed', 'cancelled', 'error'].includes(e.phase));
      if (end) return end as Extract<RunEvent, { kind: 'run-phase' }>;
      await new Promise((r) => setTimeout(r, 5));
    }
    throw new Error('the follower never ended the run');
  };
  return { follower, events, ended };
}

describe('KfpRunFollower, as a user sees the end of a run', () => {
  it('a run the user cancelled ends cancelled though KFP stores FAILED after the termination', async () => {
    const f = follow([{ state: 'RUNNING' }, { state: 'CANCELING' }, { state: 'FAILED' }]);
    f.follower.markCancelRequested();
    await f.follower.start();
    expect(await f.ended()).toMatchObject({ phase: 'cancelled', message: 'Cancelled (Kubeflow Pipelines ended it as FAILED after the termination)' });
  });

  it('a cancel asked for by an earlier session still counts after a reattach', async () => {
    const f = follow([{ state: 'FAILED', error: { message: 'terminated' } }], { cancelRequested: true });
    await f.follower.start();
    expect((await f.ended()).phase).toBe('cancelled');
  });

  it('a cancelled run that had already succeeded stays succeeded', async () => {
    const f = follow([{ state: 'SUCCEEDED' }], { cancelRequested: true });
    await f.follower.start();
    expect((await f.ended()).phase).toBe('succeeded');
  });

  it('a failure seen only through a direct URL says plainly that no reason can be had', async () => {
    const f = follow([{ state: 'RUNNING' }, { state: 'FAILED' }]);
    await f.follower.start();
    expect(await f.ended()).toMatchObject({ phase: 'failed', message: NO_REASON_DIRECT_URL });
  });

  it('KFP\'s own error message is kept beside it', async () => {
    const f = follow([{ state: 'FAILED', error: { message: 'driver failed' } }]);
    await f.follower.start();
    expect((await f.ended()).message).toBe(`Kubeflow Pipelines: driver failed; ${NO_REASON_DIRECT_URL}`);
  });

  it('a run with no state is not pending forever: after a while its outcome is called unknown', async () => {
    const f = follow([{}, { state: 'RUNTIME_STATE_UNSPECIFIED' }, {}], { unknownStateMs: 60 });
    await f.follower.start();
    const end = await f.ended();
    expect(end.phase).toBe('error');
    expect(end.message).toMatch(/^The outcome is unknown: Kubeflow Pipelines has reported no state for run k1 since \S+ \(is its persistence agent running\?\)/);
    expect(f.events.some((e) => e.kind === 'run-phase' && e.phase === 'running')).toBe(false);
  });

  it('a state that comes back in time is followed as usual', async () => {
    const f = follow([{}, {}, { state: 'RUNNING' }, { state: 'SUCCEEDED' }], { unknownStateMs: 10_000 });
    await f.follower.start();
    expect((await f.ended()).phase).toBe('succeeded');
  });
});
