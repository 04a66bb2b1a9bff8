/** Writing under a folder without being led out of it by a symbolic link inside it (`steps -> /etc`). */
import { promises as fs } from 'node:fs';
import path from 'node:path';

export class OutsideFolderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutsideFolderError';
  }
}

function inside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/**
 * Throws when a folder on the way from `root` to `root/relative` is a link that resolves outside
 * `root`. The last part may be a link: writing replaces the link itself (rename), never its target.
 */
export async function assertStaysInside(root: string, relative: string): Promise<void> {
  const realRoot = await fs.realpath(root).catch(() => path.resolve(root));
  const parts = relative.split('/').slice(0, -1);
  let current = root;
  for (const part of parts) {
    current = path.join(current, part);
    const stat = await fs.lstat(current).catch(() => undefined);
    if (!stat) return;
    if (!stat.isSymbolicLink()) continue;
    const real = await fs.realpath(current).catch(() => undefined);
    if (!real || !inside(realRoot, real)) {
      throw new OutsideFolderError(`${current} is a symbolic link to ${real ?? 'a missing place'}, outside ${root}; refusing to write ${relative} through it`);
    }
  }
}
