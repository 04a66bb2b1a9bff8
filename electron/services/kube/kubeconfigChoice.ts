/** The kubeconfig files and context chosen in Settings › Clusters (and what their programs were confirmed to be), read straight from settings.json at each use (so a change applies at once, in every service). */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { KubeconfigChoice } from './kubeconfig.ts';
import { CONFIRMED_KEY, parseConfirmed } from './kubeconfigTrust.ts';

export function readKubeconfigChoice(dataDir: string): KubeconfigChoice {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path.join(dataDir, 'settings.json'), 'utf8'));
  } catch {
    return {};
  }
  if (typeof raw !== 'object' || raw === null) return {};
  const { kubeconfigFiles, kubeContext } = raw as { kubeconfigFiles?: unknown; kubeContext?: unknown };
  const files = Array.isArray(kubeconfigFiles) ? kubeconfigFiles.filter((f): f is string => typeof f === 'string' && f.length > 0) : [];
  return { files, context: typeof kubeContext === 'string' && kubeContext ? kubeContext : null, confirmed: parseConfirmed((raw as Record<string, unknown>)[CONFIRMED_KEY]) };
}
