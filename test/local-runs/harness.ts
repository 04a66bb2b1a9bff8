/** A run manager with the local driver over a temporary data dir, recording every event. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LocalDriver } from '../../electron/services/local/driver.ts';
import type { LocalDriverOptions } from '../../electron/services/local/driver.ts';
import { RunManager } from '../../electron/services/runs/manager.ts';
import { catalog } from '../../node-catalog/index.ts';
import type { PipelineDocument } from '../../shared/pipeline/types.ts';
import type { NodePhase, RunEvent, RunSummary } from '../../shared/runs/types.ts';

export interface Harness {
  dataDir: string;
  manager: RunManager;
  events: RunEvent[];
  run(doc: PipelineDocument): Promise<RunSummary>;
  phases(runId: string): Record<string, NodePhase>;
  /** Node ids in the order they started running. */
  started(runId: string): string[];
  close(): Promise<void>;
}

export function createHarness(options: Partial<LocalDriverOptions> = {}, dataDir = mkdtempSync(path.join(os.tmpdir(), 'pw-local-'))): Harness {
  const manager = new RunManager({ runsDir: path.join(dataDir, 'runs'), drivers: [new LocalDriver({ dataDir, catalog, gpuIds: [], graceMs: 500, ...options })], tickMs: 50 });
  const events: RunEvent[] = [];
  manager.subscribe((e) => events.push(e));
  return {
    dataDir,
    manager,
    events,
    async run(doc) {
      const { id } = await manager.startRun({ document: doc, target: 'local' });
      return manager.waitForRun(id);
    },
    phases(runId) {
      const out: Record<string, NodePhase> = {};
      for (const e of events) if (e.kind === 'node-phase' && e.runId === runId) out[e.nodeId] = e.phase;
      return out;
    },
    started(runId) {
      return events.flatMap((e) => (e.kind === 'node-phase' && e.runId === runId && e.phase === 'running' ? [e.nodeId] : []));
    },
    async close() {
      await manager.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Processes whose command line contains `marker` (from `ps`), as "pid command". */
export function processesWith(marker: string): string[] {
  const out = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  return out.split('\n').filter((line) => line.includes(marker) && !line.includes('ps -eo'));
}
