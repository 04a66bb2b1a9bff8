/**
 * Follows a run from its folder alone: for runs another process owns (a CLI run seen from the app)
 * and for `pipewright logs --follow`. Polls record.json, the log segments and the metric files and
 * reports what changed as RunEvents. Stops when the run is finished and everything is read.
 */
import { promises as fs } from 'node:fs';
import { diffRunState } from '../../../shared/runs/state.ts';
import { TERMINAL_RUN_PHASES } from '../../../shared/runs/types.ts';
import type { RunEvent, RunSummary } from '../../../shared/runs/types.ts';
import { nodeLogDir, readLogPage } from './logFiles.ts';
import { metricsFile, parseMetricRecord } from './metricFiles.ts';
import { readStoredRun } from './runFiles.ts';

export interface FollowOptions {
  onEvent(event: RunEvent): void;
  /** Only these nodes' logs and metrics (default: every node). */
  nodes?: string[];
  /** Start after these log seqs per node (default 0: the whole log). */
  afterSeq?: Record<string, number>;
  intervalMs?: number;
  /** Asked after each poll; returning true stops the follow (e.g. the owner went away), after one last poll. */
  shouldStop?(): Promise<boolean> | boolean;
}

export interface RunFollow {
  stop(): void;
  /** Resolves with the last state read when the follow ends. */
  finished: Promise<RunSummary | undefined>;
}

const PAGE = 5000;

export function followRunFromDisk(runDir: string, options: FollowOptions): RunFollow {
  let stopped = false;
  let wake: (() => void) | undefined;
  const seqs: Record<string, number> = { ...options.afterSeq };
  const metricOffsets: Record<string, number> = {};
  let state: RunSummary | undefined;

  const pollNode = async (runId: string, nodeId: string) => {
    for (;;) {
      const page = await readLogPage(nodeLogDir(runDir, nodeId), seqs[nodeId] ?? 0, PAGE);
      if (page.lines.length === 0) break;
      seqs[nodeId] = page.lines[page.lines.length - 1].seq;
      options.onEvent({ kind: 'log', runId, nodeId, lines: page.lines });
      if (page.lines.length < PAGE) break;
    }
    const file = metricsFile(runDir, nodeId);
    const text = await fs.readFile(file, 'utf8').catch(() => '');
    const end = text.lastIndexOf('\n') + 1;
    if (end > (metricOffsets[nodeId] ?? 0)) {
      const records = text.slice(metricOffsets[nodeId] ?? 0, end).split('\n').flatMap((raw) => (raw ? (parseMetricRecord(raw) ?? []) : []));
      metricOffsets[nodeId] = end;
      if (records.length > 0) options.onEvent({ kind: 'metrics', runId, nodeId, records });
    }
  };

  const poll = async (): Promise<boolean> => {
    const next = await readStoredRun(runDir).catch(() => undefined);
    if (!next) return false;
    const nodes = options.nodes ?? Object.keys(next.nodes);
    for (const nodeId of nodes) await pollNode(next.id, nodeId);
    const before = state ?? { ...next, phase: 'pending', nodes: {} };
    for (const event of diffRunState(before, next, new Date().toISOString())) options.onEvent(event);
    state = next;
    return TERMINAL_RUN_PHASES.includes(next.phase);
  };

  const finished = (async () => {
    while (!stopped) {
      if (await poll()) break;
      if (await options.shouldStop?.()) {
        // The owner writes the run's last record before it lets go: read what it left once more, or a run
        // that ended between the read above and this check would be reported as still running.
        await poll();
        break;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, options.intervalMs ?? 250);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    return state;
  })();

  return {
    stop() {
      stopped = true;
      wake?.();
    },
    finished,
  };
}
