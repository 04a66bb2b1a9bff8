/**
 * The back end's half of "a kubeconfig edited after it was confirmed is not used": before each call that
 * loads the kubeconfig to reach a cluster, the files in Settings › Clusters are read again and compared with
 * what was confirmed; a refusal carries the files and their new commands (ApiError.reason) for the UI to word.
 * The desktop app asks first (electron/desktop/reach.ts), so there this only refuses what the user declined;
 * the loader itself refuses too (kubeconfig.ts), for calls that start in the back end (watches, schedules).
 */
import os from 'node:os';
import type { PipewrightApi } from '../../../shared/api/contract.ts';
import { addedKubeconfigFiles, programsToConfirm } from './kubeconfigExec.ts';
import type { KubeconfigPrograms } from './kubeconfigExec.ts';
import { readKubeconfigChoice } from './kubeconfigChoice.ts';
import { KubeconfigNotConfirmedError, RUN_ID_METHODS, environmentKubeconfigFiles, kubeconfigProgramsRefusal, loadsKubeconfig, unconfirmedPrograms } from './kubeconfigTrust.ts';

type Env = Readonly<Record<string, string | undefined>>;

export interface KubeconfigGate {
  /** Listed files (not the environment's) that now run programs nobody confirmed. */
  unconfirmed(): KubeconfigPrograms[];
  /** Of the files `next` adds to `current`, those that run programs or cannot be checked (the environment's own excepted). */
  toConfirmOnAdd(next: readonly string[], current: readonly string[]): Promise<KubeconfigPrograms[]>;
  /** The API with the check before each call that loads the kubeconfig, and the loader's refusal turned into one the page can word. */
  guard(api: PipewrightApi): PipewrightApi;
}

export function createKubeconfigGate(options: { dataDir: string; env?: Env; home?: string }): KubeconfigGate {
  const env = options.env ?? process.env;
  const home = options.home ?? os.homedir();
  const trusted = () => environmentKubeconfigFiles(env, home);
  const unconfirmed = () => {
    const choice = readKubeconfigChoice(options.dataDir);
    if (!choice.files || choice.files.length === 0) return [];
    return unconfirmedPrograms(choice.files, { confirmed: choice.confirmed ?? {}, trusted: trusted() });
  };
  return {
    unconfirmed,
    async toConfirmOnAdd(next, current) {
      const env = new Set(trusted());
      return programsToConfirm(addedKubeconfigFiles(next, current).filter((f) => !env.has(f)));
    },
    guard(api) {
      const guarded: Record<string, unknown> = { ...api };
      for (const [name, method] of Object.entries(api) as [string, (...args: unknown[]) => Promise<unknown>][]) {
        guarded[name] = async (...args: unknown[]) => {
          const runTarget = RUN_ID_METHODS.includes(name) && typeof args[0] === 'string' ? await api.getRun(args[0]).then((r) => r.target, () => null) : null;
          if (loadsKubeconfig(name, args, runTarget)) {
            const list = unconfirmed();
            if (list.length > 0) throw kubeconfigProgramsRefusal('changed', list);
          }
          try {
            return await method.apply(api, args);
          } catch (error) {
            throw error instanceof KubeconfigNotConfirmedError ? error.toApiError() : error;
          }
        };
      }
      return guarded as unknown as PipewrightApi;
    },
  };
}
