/**
 * The run's workspace (the compiled DVC project) written in two parts: what the first stages need
 * before they start, the rest while the first stage runs. Writing a file costs a fraction of a
 * millisecond, several on a busy disk: the run's first process need not wait for every other
 * stage's script.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { LocalStage } from './stages.ts';

export type WorkspaceFile = readonly [name: string, text: string];

function within(file: string, dir: string): boolean {
  const d = dir.replace(/\/+$/, '');
  return file === d || file.startsWith(`${d}/`);
}

/**
 * `first`: every compiled file but those only stages with upstream stages depend on (their step
 * scripts, their samples) and `dvc.yaml`. `params.yaml` and a file no stage names as a dependency
 * (a helper a script may import) are always first. `later`: the rest, needed by no stage that can
 * start before one stage has run.
 */
export function splitWorkspace(compiled: Record<string, string>, stages: readonly LocalStage[]): { first: WorkspaceFile[]; later: WorkspaceFile[] } {
  const roots = stages.filter((s) => s.upstream.length === 0);
  const others = stages.filter((s) => s.upstream.length > 0);
  const first: WorkspaceFile[] = [];
  const later: WorkspaceFile[] = [];
  for (const [name, text] of Object.entries(compiled)) {
    const needed = (s: LocalStage) => s.deps.some((dep) => within(name, dep));
    // dvc.yaml is read by this runner from memory and by `dvc repro` (which gets the whole workspace first), never by a stage.
    const deferred = name === 'dvc.yaml' || (name !== 'params.yaml' && others.some(needed) && !roots.some(needed));
    (deferred ? later : first).push([name, text]);
  }
  return { first, later };
}

/** Write files (names relative to `workspace`, `/`-separated) with synchronous calls: each is far cheaper than a trip through the thread pool on a busy machine. */
export function writeWorkspaceFiles(workspace: string, files: readonly WorkspaceFile[]): void {
  const paths = files.map(([name, text]) => [path.join(workspace, ...name.split('/')), text] as const);
  for (const dir of new Set(paths.map(([file]) => path.dirname(file)))) mkdirSync(dir, { recursive: true });
  for (const [file, text] of paths) writeFileSync(file, text);
}
