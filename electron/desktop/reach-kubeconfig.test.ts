/** The desktop reach gate and kubeconfig files that run programs (exec credential plugins). */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KubeconfigPrograms } from '../services/kube/kubeconfigExec.ts';
import { createReach } from './reach.ts';

const EXEC = 'users:\n- name: oidc\n  user:\n    exec:\n      command: kubectl\n      args: [oidc-login, get-token]\n';

describe('reach: kubeconfig files that run programs', () => {
  let dir: string;
  let current: string[];
  let asked: KubeconfigPrograms[][];
  let answer: boolean;
  const reach = () =>
    createReach({
      recentFiles: async () => [],
      currentPythonPath: async () => null,
      confirmPythonChange: async () => false,
      currentKubeconfigFiles: async () => current,
      confirmKubeconfigPrograms: async (list) => {
        asked.push([...list]);
        return answer;
      },
      platform: 'linux',
    });
  const check = async (args: unknown[], activated = true) => {
    try {
      await reach().check('updateSettings', args, { activated });
      return null;
    } catch (error) {
      return (error as Error).message;
    }
  };
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'pw-reach-kc-'));
    current = [];
    asked = [];
    answer = false;
  });
  afterEach(() => fs.rm(dir, { recursive: true, force: true }));

  it('a script (no click) is refused before any dialog shows', async () => {
    const file = path.join(dir, 'oidc.yaml');
    await fs.writeFile(file, EXEC);
    expect(await check([{ kubeconfigFiles: [file] }], false)).toMatch(/must follow a click/);
    expect(asked).toEqual([]);
  });

  it('declined: refused, naming the file and the command; confirmed: allowed', async () => {
    const file = path.join(dir, 'oidc.yaml');
    await fs.writeFile(file, EXEC);
    const refusal = await check([{ kubeconfigFiles: [file] }]);
    expect(refusal).toBe(`Refused by the desktop app: the kubeconfig files were not changed: adding ${file} was not confirmed.\n${file} runs: kubectl oidc-login get-token (user oidc)`);
    answer = true;
    expect(await check([{ kubeconfigFiles: [file] }])).toBeNull();
    expect(asked).toHaveLength(2);
  });

  it('a file that cannot be checked now (missing) is asked about too; one already listed is not', async () => {
    const later = path.join(dir, 'later.yaml');
    expect(await check([{ kubeconfigFiles: [later] }])).toMatch(/was not confirmed/);
    expect(asked).toEqual([[{ file: later, commands: [], unreadable: 'it does not exist (yet)' }]]);
    current = [later];
    expect(await check([{ kubeconfigFiles: [later] }])).toBeNull();
    expect(await check([{ kubeconfigFiles: [] }])).toBeNull();
    expect(asked).toHaveLength(1);
  });

  it('malformed lists are left to the argument validation', async () => {
    expect(await check([{ kubeconfigFiles: 'x' }])).toBeNull();
    expect(await check([{ kubeconfigFiles: [1] }])).toBeNull();
    expect(asked).toEqual([]);
  });
});
