import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApiClient } from '../../../shared/api/index.ts';
import { createMemoryTransport } from '../../../shared/api/memory.ts';
import { createBackend } from '../backend.ts';
import type { ApiError } from '../../../shared/api/errors.ts';
import { addedKubeconfigFiles, kubeconfigCommands, kubeconfigPrograms, unreadableText } from './kubeconfigExec.ts';

const EXEC = `apiVersion: v1
kind: Config
users:
- name: eks-admin
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      command: aws
      args: ["eks", "get-token", "--cluster-name", "prod cluster"]
- name: gke
  user:
    auth-provider:
      name: gcp
      config:
        cmd-path: /usr/lib/google-cloud-sdk/bin/gcloud
        cmd-args: config config-helper --format=json
- name: me
  user:
    token: abc
`;

describe('the programs a kubeconfig runs', () => {
  it('exec plugins and a gcp cmd-path, with their user; a token runs nothing', () => {
    expect(kubeconfigCommands(EXEC)).toEqual([
      "aws eks get-token --cluster-name 'prod cluster' (user eks-admin)",
      '/usr/lib/google-cloud-sdk/bin/gcloud config config-helper --format=json (user gke)',
    ]);
    expect(kubeconfigCommands('users:\n- name: me\n  user:\n    token: abc\n')).toEqual([]);
    // The plugin's environment is part of what runs; an auth-provider's config.exec runs too (as the client does).
    expect(kubeconfigCommands('users:\n- name: a\n  user:\n    exec:\n      command: aws\n      args: [eks, get-token]\n      env: [{ name: AWS_PROFILE, value: prod team }]\n- name: b\n  user:\n    auth-provider:\n      name: exec\n      config:\n        exec: { command: /opt/login }\n')).toEqual([
      "AWS_PROFILE='prod team' aws eks get-token (user a)",
      '/opt/login (user b)',
    ]);
    expect(kubeconfigCommands('')).toEqual([]);
  });

  it('a file that is missing, not YAML or too big is reported as not checkable', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'pw-kcexec-'));
    try {
      expect(await kubeconfigPrograms(path.join(dir, 'gone'))).toEqual({ file: path.join(dir, 'gone'), commands: [], unreadable: 'missing' });
      expect(unreadableText({ unreadable: 'missing' })).toBe('it does not exist (yet)');
      await fs.writeFile(path.join(dir, 'bad'), 'users: [\n');
      const bad = await kubeconfigPrograms(path.join(dir, 'bad'));
      expect(bad).toMatchObject({ unreadable: 'not-yaml', detail: expect.any(String) });
      expect(unreadableText(bad)).toMatch(/^it is not YAML \(/);
      await fs.writeFile(path.join(dir, 'big'), 'x'.repeat(1024 * 1024 + 1));
      expect((await kubeconfigPrograms(path.join(dir, 'big'))).unreadable).toBe('too-large');
      expect((await kubeconfigPrograms(dir)).unreadable).toBe('not-a-file');
      await fs.writeFile(path.join(dir, 'ok'), EXEC);
      expect(await kubeconfigPrograms(path.join(dir, 'ok'))).toEqual({ file: path.join(dir, 'ok'), commands: expect.arrayContaining([expect.stringMatching(/^aws /)]) });
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('only files not already in the list count as added', () => {
    expect(addedKubeconfigFiles(['/a', '/b', '/b/../c'], ['/a'])).toEqual(['/b', '/c']);
  });
});

describe('browser mode', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'pw-kcexec-browser-'));
  });
  afterEach(() => fs.rm(dir, { recursive: true, force: true }));

  it('refuses a kubeconfig with an exec plugin (naming the file, the command and what to do instead); takes a plain one', async () => {
    const backend = createBackend({ dataDir: path.join(dir, 'data'), mode: 'browser' });
    const api = createApiClient(createMemoryTransport(backend.server, backend.events));
    try {
      const eks = path.join(dir, 'eks.yaml');
      const plain = path.join(dir, 'plain.yaml');
      await fs.writeFile(eks, EXEC);
      await fs.writeFile(plain, 'apiVersion: v1\nkind: Config\nusers:\n- name: me\n  user:\n    token: abc\n');
      const refused = api.updateSettings({ kubeconfigFiles: [plain, eks] });
      await expect(refused).rejects.toThrow(`${eks} runs: aws eks get-token --cluster-name 'prod cluster' (user eks-admin)`);
      await expect(refused).rejects.toThrow(`start Pipewright with KUBECONFIG=${eks} in the terminal`);
      // The reason travels as data, for the page to word in the user's language.
      const error = (await refused.catch((e: unknown) => e)) as ApiError;
      expect(error.reason).toEqual({
        kind: 'kubeconfig-programs',
        situation: 'add',
        declined: false,
        files: [{ file: eks, commands: ["aws eks get-token --cluster-name 'prod cluster' (user eks-admin)", '/usr/lib/google-cloud-sdk/bin/gcloud config config-helper --format=json (user gke)'] }],
      });
      expect((await api.getSettings()).kubeconfigFiles).toEqual([]);
      expect((await api.updateSettings({ kubeconfigFiles: [plain] })).kubeconfigFiles).toEqual([plain]);
      // One that cannot be checked is refused too (it could name a plugin later).
      await expect(api.updateSettings({ kubeconfigFiles: [plain, path.join(dir, 'later.yaml')] })).rejects.toThrow('cannot be checked, it does not exist (yet)');
      // Edited after it was added: a cluster call is refused with the file and the new command, and nothing is loaded.
      await fs.writeFile(plain, 'apiVersion: v1\nkind: Config\nusers:\n- name: me\n  user:\n    exec:\n      command: /tmp/steal.sh\n');
      const changed = (await api.testConnection('x', 'default').catch((e: unknown) => e)) as ApiError;
      expect(changed.reason).toEqual({ kind: 'kubeconfig-programs', situation: 'changed', declined: false, files: [{ file: plain, commands: ['/tmp/steal.sh (user me)'] }] });
      expect(changed.message).toContain(`${plain} runs: /tmp/steal.sh (user me)`);
      // Settings › Clusters reports it instead of failing.
      expect(await api.describeKubeconfig()).toMatchObject({ unconfirmed: [{ file: plain, commands: ['/tmp/steal.sh (user me)'] }], contexts: [] });
    } finally {
      await backend.close();
    }
  });
});
