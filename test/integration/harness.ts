/** A RunManager with the Argo and KFP drivers over a temporary history, recording every event. */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { ArgoDriver } from '../../electron/services/kube/argoDriver.ts';
import { KfpDriver } from '../../electron/services/kube/kfpDriver.ts';
import type { KfpDriverOptions } from '../../electron/services/kube/kfpDriver.ts';
import { kubeConfigFor } from '../../electron/services/kube/kubeconfig.ts';
import { RunManager } from '../../electron/services/runs/manager.ts';
import type { RunManagerOptions } from '../../electron/services/runs/manager.ts';
import { catalog } from '../../node-catalog/index.ts';
import { templateDocument } from '../../node-catalog/templates/index.ts';
import type { PipelineDocument } from '../../shared/pipeline/types.ts';
import type { LogLine, NodePhase, RunEvent, RunSummary, RunTarget, StartRunRequest } from '../../shared/runs/types.ts';
import { waitFor } from '../fixtures/waitFor.ts';
import type { ClusterEnv } from './cluster-env.ts';

/** Polls until `check` returns a value (the kube emulator tests' waitFor). */
export const eventually = waitFor;

export interface ClusterHarness {
  env: ClusterEnv;
  runsDir: string;
  manager: RunManager;
  events: RunEvent[];
  start(target: RunTarget, extra?: Partial<StartRunRequest>, doc?: PipelineDocument): Promise<RunSummary>;
  /** Waits for the run to finish (bounded by the environment's run timeout). */
  finish(runId: string): Promise<RunSummary>;
  /** Every phase each node went through, in order, without repeats. */
  nodePhases(runId: string): Record<string, NodePhase[]>;
  runPhases(runId: string): string[];
  /** The whole recorded log of a node. */
  log(runId: string, nodeId: string): Promise<LogLine[]>;
  /** A new RunManager on the same history (a back-end restart); the old one must be closed first. */
  restart(): RunManager;
  close(): Promise<void>;
}

export function smokeDocument(): PipelineDocument {
  return templateDocument('korean-llm-smoke')!;
}

/** The smoke template cut to corpus → preprocess → cpt: a third of the pods, for tests about one step. */
export function miniDocument(): PipelineDocument {
  const doc = smokeDocument();
  const keep = new Set(['corpus', 'preprocess', 'cpt']);
  return { ...doc, nodes: doc.nodes.filter((n) => keep.has(n.id)), edges: doc.edges.filter((e) => keep.has(e.source) && keep.has(e.target)) };
}

export function makeManager(env: ClusterEnv, runsDir: string, kfp: Partial<KfpDriverOptions> = {}, extra: Partial<RunManagerOptions> = {}): RunManager {
  const base: KubeConfig = env.kubeConfig();
  const options = { catalog, kubeConfigFor: (context?: string) => kubeConfigFor(base, context) };
  const fast = env.real ? {} : { pollMs: 250, settleMs: 10_000 };
  return new RunManager({ runsDir, drivers: [new ArgoDriver(options), new KfpDriver({ ...options, ...fast, ...kfp })], tickMs: 50, ...extra });
}

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms))),
  ]);
}

export function createClusterHarness(env: ClusterEnv, document: () => PipelineDocument = smokeDocument, kfp: Partial<KfpDriverOptions> = {}, extra: Partial<RunManagerOptions> = {}): ClusterHarness {
  const runsDir = mkdtempSync(path.join(os.tmpdir(), 'pw-cluster-'));
  const events: RunEvent[] = [];
  const attach = (m: RunManager) => {
    m.subscribe((e) => events.push(e));
    return m;
  };
  const harness: ClusterHarness = {
    env,
    runsDir,
    manager: attach(makeManager(env, runsDir, kfp, extra)),
    events,
    start(target, extra = {}, doc = document()) {
      const namespace = target === 'kfp' ? env.kfpNamespace : env.namespace;
      return harness.manager.startRun({ document: doc, target, context: env.context, namespace, ...extra });
    },
    finish(runId) {
      return withTimeout(harness.manager.waitForRun(runId), env.runTimeoutMs, `run ${runId} to finish`);
    },
    nodePhases(runId) {
      const out: Record<string, NodePhase[]> = {};
      for (const e of events) {
        if (e.kind !== 'node-phase' || e.runId !== runId) continue;
        const list = (out[e.nodeId] ??= []);
        if (list.at(-1) !== e.phase) list.push(e.phase);
      }
      return out;
    },
    runPhases(runId) {
      const out: string[] = [];
      for (const e of events) if (e.kind === 'run-phase' && e.runId === runId && out.at(-1) !== e.phase) out.push(e.phase);
      return out;
    },
    async log(runId, nodeId) {
      const lines: LogLine[] = [];
      for (;;) {
        const page = await harness.manager.readLog(runId, nodeId, lines.at(-1)?.seq ?? 0, 10_000);
        if (page.lines.length === 0) return lines;
        lines.push(...page.lines);
      }
    },
    restart() {
      harness.manager = attach(makeManager(env, runsDir, kfp, extra));
      return harness.manager;
    },
    async close() {
      await harness.manager.close();
      rmSync(runsDir, { recursive: true, force: true });
    },
  };
  return harness;
}

/** The log texts without the timestamps the parser keeps apart. */
export function texts(lines: LogLine[]): string[] {
  return lines.map((l) => l.text);
}

