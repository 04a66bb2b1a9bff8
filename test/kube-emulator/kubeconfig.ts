import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';

export const EMULATOR_CONTEXT = 'pipewright-emulator';

export interface KubeconfigOptions {
  url: string;
  token: string | null;
  namespace: string;
  user: string;
  /** Where to write; default a new temporary folder. */
  path?: string;
}

/** A kubeconfig for the emulator: plain http needs `insecure-skip-tls-verify: true` for @kubernetes/client-node. */
export function kubeconfigText(options: KubeconfigOptions): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: EMULATOR_CONTEXT, cluster: { server: options.url, 'insecure-skip-tls-verify': true } }],
    users: [{ name: options.user, user: options.token === null ? {} : { token: options.token } }],
    contexts: [{ name: EMULATOR_CONTEXT, context: { cluster: EMULATOR_CONTEXT, user: options.user, namespace: options.namespace } }],
    'current-context': EMULATOR_CONTEXT,
    preferences: {},
  });
}

export function writeKubeconfig(options: KubeconfigOptions): string {
  const path = options.path ?? join(mkdtempSync(join(tmpdir(), 'pipewright-emulator-')), 'kubeconfig');
  writeFileSync(path, kubeconfigText(options), { mode: 0o600 });
  return path;
}
