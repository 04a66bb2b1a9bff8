/**
 * The run core as the CLI commands use it: the app's runs service over the same data dir, so
 * `pipewright runs` lists the app's runs and the app sees the CLI's.
 */
import path from 'node:path';
import type { RunTarget } from '../../shared/runs/types.ts';
import { defaultDataDir } from '../services/dataDir.ts';
import { noticesFor } from '../services/notices.ts';
import type { RunManager } from '../services/runs/manager.ts';
import { createRunsService } from '../services/runsService.ts';
import { EXIT_FAILURE, type CliIo } from './types.ts';

/** SIGTERM-to-SIGKILL grace for stages stopped from the CLI: short, so Ctrl-C ends well within the bin's 8 s. */
const CLI_GRACE_MS = 1200;

export function dataDirOf(io: CliIo): string {
  return path.resolve(io.cwd, defaultDataDir({ ...io.env }));
}

/** A RunManager over the shared history with the drivers for `targets` (local is always there). */
export async function openRunManager(io: CliIo, targets: readonly RunTarget[] = []): Promise<{ manager: RunManager; dataDir: string }> {
  const dataDir = dataDirOf(io);
  // A damaged or newer settings file is told once, on stderr, as the app tells it in a notice.
  noticesFor(dataDir).onNotice((notice) => io.stderr(`warning  ${notice.message}\n`), true);
  const service = createRunsService({ dataDir, clusterTargets: targets.filter((t) => t !== 'local'), graceMs: CLI_GRACE_MS, kubeconfigFromSettings: false });
  await service.ready;
  return { manager: service.manager, dataDir };
}

/** Runs `work` with a RunManager over the history, closed after; what it throws is printed as `error  <message>` (exit 1). */
export async function withRunManager(io: CliIo, work: (manager: RunManager) => Promise<number>, targets: readonly RunTarget[] = []): Promise<number> {
  const { manager } = await openRunManager(io, targets);
  try {
    return await work(manager);
  } catch (err) {
    io.stderr(`error  ${(err as Error).message}\n`);
    return EXIT_FAILURE;
  } finally {
    await manager.close();
  }
}
