/** A kubeconfig file edited after it was confirmed: the loader and the back end's gate re-check it at each use. */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSettingsStore } from '../settings.ts';
import { loadKubeConfig } from './kubeconfig.ts';
import { readKubeconfigChoice } from './kubeconfigChoice.ts';
import { createKubeconfigGate } from './kubeconfigGate.ts';
import { CONFIRMED_KEY, KubeconfigNotConfirmedError, commandDigest, parseConfirmed, unconfirmedPrograms } from './kubeconfigTrust.ts';

const OIDC = 'kubectl oidc-login get-token --oidc-issuer-url=https://dex.example (user oidc)';

/** A kubeconfig whose user runs kubectl oidc-login, with whatever else `extra` adds to the user. */
function kubeconfig(extra = '', token = 'cached-1'): string {
  return `apiVersion: v1
kind: Config
current-context: prod
clusters:
- name: prod
  cluster: { server: "https://prod.example:6443" }
contexts:
- name: prod
  context: { cluster: prod, user: oidc }
users:
- name: oidc
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      command: kubectl
      args: [oidc-login, get-token, --oidc-issuer-url=https://dex.example]
${extra}- name: gke
  user:
    auth-provider:
      name: gcp
      config:
        access-token: ${token}
        expiry: "2026-12-05T10:00:00Z"
`;
}

const GCP_TOKEN_ONLY = ''; // the gcp user below has no cmd-path: a token refresh rewrites only its access-token

describe('kubeconfig files re-checked when loaded for use', () => {
  let dir: string;
  let dataDir: string;
  let home: string;
  let file: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'pw-kc-trust-'));
    dataDir = path.join(dir, 'data');
    home = path.join(dir, 'home');
    await fs.mkdir(dataDir);
    await fs.mkdir(home);
    file = path.join(dir, 'prod.yaml');
    await fs.writeFile(file, kubeconfig(GCP_TOKEN_ONLY));
  });
  afterEach(() => fs.rm(dir, { recursive: true, force: true }));

  /** The file is in the list and its oidc-login was confirmed, as after the desktop dialog. */
  async function confirmedAsAdded() {
    const store = createSettingsStore(dataDir);
    await store.recordKubeconfigConfirmed([{ file, commands: [OIDC] }]);
    await store.updateSettings({ kubeconfigFiles: [file] });
    return store;
  }
  const load = () => loadKubeConfig({}, readKubeconfigChoice(dataDir), home);
  const refusal = (): KubeconfigNotConfirmedError => {
    try {
      load();
    } catch (error) {
      if (error instanceof KubeconfigNotConfirmedError) return error;
      throw error;
    }
    throw new Error('loaded');
  };

  it('the confirmation is stored as digests with the settings, not as settings the page can write', async () => {
    await confirmedAsAdded();
    const raw = JSON.parse(await fs.readFile(path.join(dataDir, 'settings.json'), 'utf8')) as Record<string, unknown>;
    expect(raw[CONFIRMED_KEY]).toEqual({ [file]: [commandDigest(OIDC)] });
    expect(JSON.stringify(raw)).not.toContain('oidc-login');
    expect(await createSettingsStore(dataDir).getSettings()).not.toHaveProperty(CONFIRMED_KEY);
    expect(load().getCurrentContext()).toBe('prod');
  });

  it('a token refresh that rewrites the file (new access-token, same programs) asks nothing', async () => {
    await confirmedAsAdded();
    await fs.writeFile(file, kubeconfig(GCP_TOKEN_ONLY, 'refreshed-2'));
    expect(load().getUsers().find((u) => u.name === 'gke')?.authProvider.config['access-token']).toBe('refreshed-2');
    expect(createKubeconfigGate({ dataDir, env: {}, home }).unconfirmed()).toEqual([]);
  });

  it('a new plugin, a changed argument or a new env entry is refused, naming the file and only the new command lines', async () => {
    await confirmedAsAdded();
    const cases: [string, string][] = [
      ['- name: evil\n  user:\n    exec:\n      command: /tmp/x.sh\n', '/tmp/x.sh (user evil)'],
      ['- name: gcloud\n  user:\n    auth-provider:\n      name: gcp\n      config:\n        cmd-path: /tmp/gcloud\n        cmd-args: config config-helper; curl evil\n', '/tmp/gcloud config config-helper; curl evil (user gcloud)'],
    ];
    for (const [extra, line] of cases) {
      await fs.writeFile(file, kubeconfig(extra));
      const error = refusal();
      expect(error.programs).toEqual([{ file, commands: [line] }]);
      expect(error.message).toContain(`${file} runs: ${line}`);
      expect(error.kind).toBe('unconfirmed-programs');
      expect(error.retryable).toBe(false);
      expect(createKubeconfigGate({ dataDir, env: {}, home }).unconfirmed()).toEqual([{ file, commands: [line] }]);
    }
    // The same user, its command changed (an env entry that loads a library into kubectl).
    await fs.writeFile(file, kubeconfig().replace('      command: kubectl', '      env: [{ name: LD_PRELOAD, value: /tmp/x.so }]\n      command: kubectl'));
    expect(refusal().programs[0]!.commands).toEqual([`LD_PRELOAD=/tmp/x.so ${OIDC}`]);
  });

  it('once the change is confirmed it loads; the confirmation covers exactly what was shown', async () => {
    const store = await confirmedAsAdded();
    await fs.writeFile(file, kubeconfig('- name: evil\n  user:\n    exec:\n      command: /tmp/x.sh\n'));
    const shown = refusal().programs;
    await store.recordKubeconfigConfirmed(shown);
    expect(load().getCurrentContext()).toBe('prod');
    await fs.writeFile(file, kubeconfig('- name: evil\n  user:\n    exec:\n      command: /tmp/y.sh\n'));
    expect(refusal().programs).toEqual([{ file, commands: ['/tmp/y.sh (user evil)'] }]);
  });

  it('an auth-provider config.exec counts as a program (the client runs it)', async () => {
    await confirmedAsAdded();
    await fs.writeFile(file, kubeconfig('- name: ap\n  user:\n    auth-provider:\n      name: exec\n      config:\n        exec: { command: /tmp/ap.sh, args: [a] }\n'));
    expect(refusal().programs[0]!.commands).toEqual(['/tmp/ap.sh a (user ap)']);
  });

  it('a listed file deleted from disk is skipped (runs nothing); taken out of the list, it is asked about again when it comes back', async () => {
    const store = await confirmedAsAdded();
    const other = path.join(dir, 'other.yaml');
    await fs.writeFile(other, 'apiVersion: v1\nkind: Config\ncurrent-context: o\nclusters: [{ name: o, cluster: { server: "https://o:6443" } }]\ncontexts: [{ name: o, context: { cluster: o, user: me } }]\nusers: [{ name: me, user: { token: t } }]\n');
    await store.updateSettings({ kubeconfigFiles: [file, other] });
    await fs.rename(file, `${file}.moved`);
    expect(load().getCurrentContext()).toBe('o');
    expect(createKubeconfigGate({ dataDir, env: {}, home }).unconfirmed()).toEqual([]);
    await fs.rename(`${file}.moved`, file);
    await store.updateSettings({ kubeconfigFiles: [other] });
    expect(readKubeconfigChoice(dataDir).confirmed).toEqual({});
    await store.updateSettings({ kubeconfigFiles: [file, other] });
    expect(refusal().programs).toEqual([{ file, commands: [OIDC] }]);
  });

  it('files KUBECONFIG names (or ~/.kube/config) are the terminal\'s choice: trusted even in the list', async () => {
    await createSettingsStore(dataDir).updateSettings({ kubeconfigFiles: [file] });
    expect(() => load()).toThrow(KubeconfigNotConfirmedError);
    expect(loadKubeConfig({ KUBECONFIG: file }, readKubeconfigChoice(dataDir), home).getCurrentContext()).toBe('prod');
    expect(createKubeconfigGate({ dataDir, env: { KUBECONFIG: `${path.join(dir, 'x')}${path.delimiter}${file}` }, home }).unconfirmed()).toEqual([]);
    // Not from Settings at all: kubectl's rules, no check.
    expect(loadKubeConfig({ KUBECONFIG: file }, {}, home).getCurrentContext()).toBe('prod');
  });

  it('a damaged record confirms nothing; a file that cannot be checked is not used', () => {
    expect(parseConfirmed({ [file]: ['zz', commandDigest('a')], relative: [commandDigest('a')] })).toEqual({ [file]: [commandDigest('a')] });
    expect(parseConfirmed('x')).toEqual({});
    const read = (f: string) => ({ file: f, commands: [], unreadable: 'not-yaml' as const, detail: 'bad' });
    expect(unconfirmedPrograms([file], { confirmed: {}, trusted: [] }, read)).toEqual([{ file, commands: [], unreadable: 'not-yaml', detail: 'bad' }]);
  });
});
