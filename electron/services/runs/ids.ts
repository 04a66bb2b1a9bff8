/** Run ids: sortable by start time, short enough to type, safe as folder and Kubernetes names. */
import { createHash, randomBytes } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

export function newRunId(now: Date = new Date()): string {
  const iso = now.toISOString();
  const stamp = `${iso.slice(0, 10).replace(/-/g, '')}-${iso.slice(11, 19).replace(/:/g, '')}`;
  const suffix = [...randomBytes(4)].map((b) => ALPHABET[b % ALPHABET.length]).join('');
  return `${stamp}-${suffix}`;
}

/**
 * The id of a run found on a cluster (a scheduled run) rather than started here: its start time and a
 * hash of its cluster identity, so every process that finds it gives it the same id and imports it once.
 */
export function importedRunId(createdAt: string, clusterKey: string): string {
  const at = new Date(createdAt);
  const base = newRunId(Number.isNaN(at.getTime()) ? new Date() : at).slice(0, 15);
  const suffix = [...createHash('sha256').update(clusterKey).digest().subarray(0, 4)].map((b) => ALPHABET[b % ALPHABET.length]).join('');
  return `${base}-${suffix}`;
}

/** Run ids the history accepts: what newRunId makes and anything else folder-safe. */
export const RUN_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

export function checkRunId(runId: string): string {
  if (!RUN_ID_PATTERN.test(runId)) throw new Error(`"${runId}" is not a run id (expected something like 20261128-100000-ab12)`);
  return runId;
}
