/**
 * The `kfp` run target: the compiled IR uploaded to Kubeflow Pipelines (a new version when the
 * pipeline exists), the run created in an experiment, then followed (kfpFollow.ts). Reached through
 * the API server's service proxy, or at a URL with a bearer token that is never written to disk.
 */
import { createHash } from 'node:crypto';
import type { KubeConfig } from '@kubernetes/client-node';
import { compileKfp, kfpDocuments } from '../../../shared/compile/kfp.ts';
import type { KfpEndpointRequest, StartRunRequest } from '../../../shared/runs/types.ts';
import type { PipelineParameterValue } from '../../../shared/pipeline/types.ts';
import { pipelineParameterValue } from '../../../shared/compile/kfp/dag.ts';
import type { RunContext, RunHandle, RunTargetDriver } from '../runs/target.ts';
import type { ClusterDriverOptions } from './argoDriver.ts';
import { ClusterError } from './errors.ts';
import type { KfpClient } from './kfpClient.ts';
import { kfpProfileNamespace, openKfpEndpoint } from './kfpEndpoint.ts';
import type { OpenedKfp } from './kfpEndpoint.ts';
import type { KfpServiceSettings } from '../../../shared/runs/kfpConnection.ts';
import type { KfpPipelineVersion } from './kfpClient.ts';
import { KfpRunFollower } from './kfpFollow.ts';
import type { KfpFollowOptions } from './kfpFollow.ts';
import { assertRunnable } from './runnable.ts';

export interface KfpDriverOptions extends ClusterDriverOptions {
  /** Namespace of KFP's API service `ml-pipeline` (default `kubeflow`); `kfpService` says more. */
  kfpNamespace?: string;
  /** The KFP API service (the app's settings), read at each start; a request's own `kfpService` wins. */
  kfpService?: () => Partial<KfpServiceSettings> | Promise<Partial<KfpServiceSettings>>;
  /** How often the run's state is read (ms, default 3000). */
  pollMs?: number;
  /** How long to wait for KFP's final state after the Workflow ended (ms, default 60000). */
  settleMs?: number;
  drainMs?: number;
  /** Where `kfpTokenEnv` is looked up (default process.env). */
  env?: Readonly<Record<string, string | undefined>>;
}

/** A version name that is new for every upload and says when and what: `2026-11-28-143259-1a2b3c4d`. */
export function versionName(yamlText: string, at: Date): string {
  const stamp = at.toISOString().slice(0, 19).replace('T', '-').replace(/:/g, '');
  return `${stamp}-${createHash('sha256').update(yamlText).digest('hex').slice(0, 8)}`;
}

/** Root inputs of the IR with their defaults: the run's runtime parameters. */
/** A run's parameter values as `runtime_config.parameters` carries them (text protected as the IR's constants are). */
export function kfpRunParameters(values: Readonly<Record<string, PipelineParameterValue>>): Record<string, PipelineParameterValue> {
  const out: Record<string, PipelineParameterValue> = {};
  for (const [name, value] of Object.entries(values)) out[name] = pipelineParameterValue(value);
  return out;
}

export function runtimeParameters(pipeline: Record<string, unknown>): Record<string, unknown> {
  const root = pipeline.root as { inputDefinitions?: { parameters?: Record<string, { defaultValue?: unknown }> } } | undefined;
  const out: Record<string, unknown> = {};
  for (const [name, def] of Object.entries(root?.inputDefinitions?.parameters ?? {})) if (def.defaultValue !== undefined) out[name] = def.defaultValue;
  return out;
}

export class KfpDriver implements RunTargetDriver {
  readonly target = 'kfp' as const;
  /** Tokens given with a start or retry, by run id: in memory only, so a reattach in this process can use them. */
  private readonly tokens = new Map<string, string>();

  constructor(private readonly options: KfpDriverOptions) {}

  async compile(request: StartRunRequest): Promise<Record<string, string>> {
    assertRunnable(request.document, this.options.catalog);
    return compileKfp(request.document, this.options.catalog);
  }

  /**
   * A client for the way the request reaches KFP (kfpEndpoint.ts), with the app's KFP service settings.
   * A token given with a start or retry is remembered for the run in memory, for a reattach in this process.
   */
  private async endpoint(request: KfpEndpointRequest, namespace: string | undefined, runId?: string): Promise<OpenedKfp> {
    const fromSettings = (await this.options.kfpService?.()) ?? {};
    const service = { ...(this.options.kfpNamespace ? { namespace: this.options.kfpNamespace } : {}), ...fromSettings };
    if (runId && request.kfpToken) this.tokens.set(runId, request.kfpToken);
    const token = (runId ? this.tokens.get(runId) : undefined) ?? request.kfpToken;
    return openKfpEndpoint({ ...request, ...(token ? { kfpToken: token } : {}) }, namespace, { kubeConfigFor: this.options.kubeConfigFor, env: this.options.env, service });
  }

  /** The experiments of the KFP the request would reach, in its profile namespace when KFP is multi-user. */
  async listExperiments(request: KfpEndpointRequest): Promise<string[]> {
    const { client } = await this.endpoint(request, request.namespace || undefined);
    const health = await client.healthz(1);
    return client.listExperiments(kfpProfileNamespace(health.multi_user, request.namespace));
  }

  /** The request of a run as it was started (secrets aside), with its URL kept in the record. */
  private static requestOf(ctx: RunContext): KfpEndpointRequest {
    return { ...ctx.request, ...(ctx.request.kfpUrl ? {} : ctx.record.external?.kfpUrl ? { kfpUrl: ctx.record.external.kfpUrl } : {}), context: ctx.request.context ?? ctx.record.context };
  }

  async start(ctx: RunContext): Promise<RunHandle> {
    const request = KfpDriver.requestOf(ctx);
    const doc = ctx.record.document;
    // A service account token is asked for in the profile namespace before anything else is known.
    const wanted = request.namespace || doc.settings?.namespace;
    const { client, kc, service } = await this.endpoint(request, wanted, ctx.record.id);
    const health = await client.healthz();
    // Single-user KFP keeps everything in its own namespace and ignores (or refuses) another one.
    const namespace = kfpProfileNamespace(health.multi_user, request.namespace, doc.settings?.namespace);
    const yamlText = ctx.record.compiled['pipeline.yaml'];
    let version: KfpPipelineVersion | undefined;
    let pipeline = await client.findPipeline(doc.name, namespace);
    if (pipeline) version = await client.uploadVersion(pipeline.pipeline_id, versionName(yamlText, new Date()), yamlText);
    else {
      pipeline = await client.uploadPipeline(doc.name, yamlText, doc.description, namespace);
      version = await client.latestVersion(pipeline.pipeline_id);
    }
    if (!version) throw new ClusterError('other', `Kubeflow Pipelines accepted pipeline ${doc.name} but lists no version of it`, false);
    await ctx.setExternal({ kfpPipelineId: pipeline.pipeline_id, ...(request.kfpUrl ? { kfpUrl: request.kfpUrl } : {}), ...(namespace ? { kfpNamespace: namespace } : {}) });
    const experiment = await client.ensureExperiment(ctx.request.experiment || 'Default', namespace);
    const parameters = { ...runtimeParameters(kfpDocuments(doc, this.options.catalog).pipeline), ...kfpRunParameters(ctx.record.parameterValues ?? {}) };
    const run = await client.createRun({
      displayName: `${doc.name} ${ctx.record.id}`,
      experimentId: experiment.experiment_id,
      version,
      parameters,
    });
    await ctx.setExternal({ kfpRunId: run.run_id });
    return this.follow(ctx, client, kc, service, run.run_id, namespace);
  }

  async reattach(ctx: RunContext): Promise<RunHandle | null> {
    const runId = ctx.record.external?.kfpRunId;
    if (!runId) {
      ctx.emit({ kind: 'run-phase', runId: ctx.record.id, phase: 'error', message: 'The run was never submitted (Pipewright stopped before Kubeflow Pipelines created it)', at: new Date().toISOString() });
      return null;
    }
    const namespace = ctx.record.external?.kfpNamespace;
    const { client, kc, service } = await this.endpoint(KfpDriver.requestOf(ctx), namespace ?? (ctx.request.namespace || undefined), ctx.record.id);
    return this.follow(ctx, client, kc, service, runId, namespace);
  }

  async retry(ctx: RunContext): Promise<RunHandle> {
    const runId = ctx.record.external?.kfpRunId;
    if (!runId) throw new Error('This run never reached Kubeflow Pipelines, so it cannot be retried there: start it again');
    const namespace = ctx.record.external?.kfpNamespace;
    const { client, kc, service } = await this.endpoint(KfpDriver.requestOf(ctx), namespace ?? (ctx.request.namespace || undefined), ctx.record.id);
    const before = await client.getRun(runId);
    await client.retryRun(runId, before);
    // A new attempt: an earlier Cancel no longer applies.
    if (ctx.record.external?.kfpCancelRequestedAt) await ctx.setExternal({ kfpCancelRequestedAt: undefined });
    ctx.emit({ kind: 'run-phase', runId: ctx.record.id, phase: 'running', at: new Date().toISOString() });
    return this.follow(ctx, client, kc, service, runId, namespace, before.state_history?.length ?? null);
  }

  private async follow(ctx: RunContext, client: KfpClient, kc: KubeConfig | undefined, service: KfpServiceSettings, kfpRunId: string, namespace: string | undefined, historyBeforeRetry?: number | null): Promise<RunHandle> {
    const ext = ctx.record.external;
    const options: KfpFollowOptions = {
      client,
      kc,
      kfpRunId,
      namespaces: [...new Set([namespace, service.namespace].filter((n): n is string => Boolean(n)))],
      workflow: ext?.workflowName && historyBeforeRetry === undefined ? { name: ext.workflowName, namespace: ext.workflowNamespace ?? namespace ?? service.namespace } : undefined,
      pollMs: this.options.pollMs ?? 3000,
      settleMs: this.options.settleMs ?? 60_000,
      drainMs: this.options.drainMs,
      cancelRequested: historyBeforeRetry === undefined && Boolean(ext?.kfpCancelRequestedAt),
      ...(historyBeforeRetry !== undefined ? { historyBeforeRetry } : {}),
    };
    const follower = new KfpRunFollower(ctx, options);
    await follower.start();
    return {
      cancel: async () => {
        follower.markCancelRequested();
        await ctx.setExternal({ kfpCancelRequestedAt: new Date().toISOString() });
        try {
          await client.terminateRun(kfpRunId);
        } catch (error) {
          // 400: the run had already finished; the follower reports how.
          if (!(error instanceof ClusterError && error.status === 400)) throw error;
        }
      },
      detach: () => follower.stop(),
    };
  }
}
