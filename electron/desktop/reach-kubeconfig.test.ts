/** The desktop reach gate and kubeconfig files that run programs (exec credential plugins), with a stand-in for the native dialog. */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiError } from '../../shared/api/errors.ts';
import type { KubeconfigPrograms } from '../services/kube/kubeconfigExec.ts';
import { createReach } from './reach.ts';

const EXEC = 'users:\n- name: oidc\n  user:\n    exec:\n      command: kubectl\n      args: [oidc-login, get-token]\n';

describe('reach: kubeconfig files that run programs', () => {
  let dir: string;
  let current: string[];
  let unconfirmed: KubeconfigPrograms[];
  let asked: [KubeconfigPrograms[], string][];
  let recorded: KubeconfigPrograms[][];
  let answer: boolean | Promise<boolean>;
  let environment: string[];
  const reach = () =>
    createReach({
      recentFiles: async () => [],
      currentPythonPath: async () => null,
      confirmPythonChange: async () => false,
      currentKubeconfigFiles: async () => current,
      unconfirmedKubeconfigPrograms: async () => unconfirmed,
      confirmKubeconfigPrograms: async (list, situation) => {
        asked.push([[...list], situation]);
        return answer;
      },
      recordKubeconfigConfirmed: async (list) => {
        recorded.push([...list]);
        unconfirmed = [];
      },
      environmentKubeconfigFiles: () => environment,
      runTarget: async (runId) => ({ 'run-argo': 'argo', 'run-local': 'local' })[runId] ?? null,
      platform: 'linux',
    });
  const outcome = async (gate: ReturnType<typeof reach>, method: string, args: unknown[], activated = true) => {
    try {
      await gate.check(method, args, { activated });
      return null;
    } catch (error) {
      return error as ApiError;
    }
  };
  const check = async (args: unknown[], activated = true) => (await outcome(reach(), 'updateSettings', args, activated))?.message ?? null;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'pw-reach-kc-'));
    current = [];
    unconfirmed = [];
    asked = [];
    recorded = [];
    answer = false;
    environment = [];
  });
  afterEach(() => fs.rm(dir, { recursive: true, force: true }));

  it('a script (no click) is refused before any dialog shows', async () => {
    const file = path.join(dir, 'oidc.yaml');
    await fs.writeFile(file, EXEC);
    expect(await check([{ kubeconfigFiles: [file] }], false)).toMatch(/must follow a click/);
    expect(asked).toEqual([]);
  });

  it('declined: refused, naming the file and the command; confirmed: allowed, and what was shown is recorded', async () => {
    const file = path.join(dir, 'oidc.yaml');
    await fs.writeFile(file, EXEC);
    const refusal = await outcome(reach(), 'updateSettings', [{ kubeconfigFiles: [file] }]);
    expect(refusal?.message).toBe(`Refused by the desktop app: the kubeconfig files were not changed: adding ${file} was not confirmed.\n${file} runs: kubectl oidc-login get-token (user oidc)`);
    expect(refusal?.reason).toEqual({ kind: 'kubeconfig-programs', situation: 'add', declined: true, files: [{ file, commands: ['kubectl oidc-login get-token (user oidc)'] }] });
    expect(recorded).toEqual([]);
    answer = true;
    expect(await check([{ kubeconfigFiles: [file] }])).toBeNull();
    expect(asked.map(([, situation]) => situation)).toEqual(['add', 'add']);
    expect(recorded).toEqual([[{ file, commands: ['kubectl oidc-login get-token (user oidc)'] }]]);
  });

  it('a file that cannot be checked now (missing) is asked about too; one already listed is not; the environment\'s own is not', async () => {
    const later = path.join(dir, 'later.yaml');
    expect(await check([{ kubeconfigFiles: [later] }])).toMatch(/was not confirmed/);
    expect(asked).toEqual([[[{ file: later, commands: [], unreadable: 'missing' }], 'add']]);
    current = [later];
    expect(await check([{ kubeconfigFiles: [later] }])).toBeNull();
    expect(await check([{ kubeconfigFiles: [] }])).toBeNull();
    current = [];
    const mine = path.join(dir, 'mine.yaml');
    await fs.writeFile(mine, EXEC);
    environment = [mine];
    expect(await check([{ kubeconfigFiles: [mine] }])).toBeNull();
    expect(asked).toHaveLength(1);
  });

  it('malformed lists are left to the argument validation', async () => {
    expect(await check([{ kubeconfigFiles: 'x' }])).toBeNull();
    expect(await check([{ kubeconfigFiles: [1] }])).toBeNull();
    expect(asked).toEqual([]);
  });

  describe('a listed file edited since it was confirmed', () => {
    const changed = (file: string): KubeconfigPrograms => ({ file, commands: ['/tmp/x.sh (user evil)'] });

    it('nothing new (a token refresh rewrote the file): no dialog for any cluster call', async () => {
      const gate = reach();
      for (const [method, args] of [['listContexts', []], ['testConnection', ['prod', 'default']], ['startRun', [{ target: 'argo' }]], ['runPreflight', [{ target: 'kfp' }]], ['listClusterSchedules', [{ target: 'argo' }]], ['describeKubeconfig', []]] as const) {
        expect(await outcome(gate, method, [...args])).toBeNull();
      }
      expect(asked).toEqual([]);
    });

    it('a new command: asked before the call that loads the kubeconfig; confirmed, recorded and let through', async () => {
      unconfirmed = [changed('/k/prod.yaml')];
      answer = true;
      expect(await outcome(reach(), 'testConnection', ['prod', 'default'])).toBeNull();
      expect(asked).toEqual([[[changed('/k/prod.yaml')], 'changed']]);
      expect(recorded).toEqual([[changed('/k/prod.yaml')]]);
    });

    it('declined: refused with the file and the new command; not asked again until a click', async () => {
      unconfirmed = [changed('/k/prod.yaml')];
      const gate = reach();
      const refusal = await outcome(gate, 'startRun', [{ target: 'kfp' }]);
      expect(refusal?.reason).toEqual({ kind: 'kubeconfig-programs', situation: 'changed', declined: true, files: [changed('/k/prod.yaml')] });
      expect(refusal?.message).toContain('/k/prod.yaml runs: /tmp/x.sh (user evil)');
      // A background call (no click) after the refusal: refused without another dialog.
      expect((await outcome(gate, 'syncScheduledRuns', [{ target: 'kfp' }], false))?.reason).toMatchObject({ situation: 'changed', declined: true });
      expect(asked).toHaveLength(1);
      // The user clicks Test connection: asked again.
      answer = true;
      expect(await outcome(gate, 'testConnection', ['prod', 'default'], true)).toBeNull();
      expect(asked).toHaveLength(2);
      expect(recorded).toHaveLength(1);
    });

    it('calls that arrive together share one dialog', async () => {
      unconfirmed = [changed('/k/prod.yaml')];
      let release: (value: boolean) => void = () => undefined;
      answer = new Promise<boolean>((resolve) => (release = resolve));
      const gate = reach();
      const both = Promise.all([outcome(gate, 'listContexts', []), outcome(gate, 'listKfpExperiments', [{}])]);
      await new Promise((r) => setTimeout(r, 10));
      release(false);
      const [a, b] = await both;
      expect([a?.reason?.situation, b?.reason?.situation]).toEqual(['changed', 'changed']);
      expect(asked).toHaveLength(1);
    });

    it('cancelling or retrying a cluster run asks too; a local run or an unknown id does not', async () => {
      unconfirmed = [changed('/k/prod.yaml')];
      const gate = reach();
      for (const id of ['run-local', 'nope']) {
        expect(await outcome(gate, 'cancelRun', [id])).toBeNull();
        expect(await outcome(gate, 'retryRun', [id])).toBeNull();
      }
      expect(asked).toEqual([]);
      expect((await outcome(gate, 'cancelRun', ['run-argo']))?.reason).toMatchObject({ situation: 'changed', declined: true });
      expect(asked).toHaveLength(1);
    });

    it('local runs and Settings › Clusters without a click are not held up; the status asks after a click and never refuses', async () => {
      unconfirmed = [changed('/k/prod.yaml')];
      const gate = reach();
      expect(await outcome(gate, 'startRun', [{ target: 'local' }])).toBeNull();
      expect(await outcome(gate, 'describeKubeconfig', [], false)).toBeNull();
      expect(asked).toEqual([]);
      expect(await outcome(gate, 'describeKubeconfig', [], true)).toBeNull();
      expect(asked).toHaveLength(1);
      // Declined there: other clicks in Settings › Clusters do not ask again; Test connection does.
      expect(await outcome(gate, 'describeKubeconfig', [], true)).toBeNull();
      expect(asked).toHaveLength(1);
      expect((await outcome(gate, 'testConnection', ['prod', 'default'], true))?.reason).toMatchObject({ declined: true });
      expect(asked).toHaveLength(2);
    });
  });
});
