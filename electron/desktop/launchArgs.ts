/** A pipeline file named on the command line (first launch, or a second instance forwarding it). */
import path from 'node:path';

export function findFileArgument(argv: readonly string[], cwd: string): string | null {
  // argv[0] is the executable (and argv[1] the app folder when unpackaged); files come after.
  for (const arg of argv.slice(1)) {
    if (arg.startsWith('-')) continue;
    if (arg.toLowerCase().endsWith('.json')) return path.resolve(cwd, arg);
  }
  return null;
}
