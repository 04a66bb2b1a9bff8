/** The `argo` run target: the compiled Workflow created as a custom resource, then followed live. */
import type { KubeConfig } from '@kubernetes/client-node';
import { argoWorkflow, compileArgo } from '../../../shared/compile/argo.ts';
import type { NodeCatalog } from '../../../shared/pipeline/catalog.ts';
import type { StartRunRequest } from '../../../shared/runs/types.ts';
import type { RunContext, RunHandle, RunTargetDriver } from '../runs/target.ts';
import { withRetry } from './backoff.ts';
import { ClusterError } from './errors.ts';
import { assertRunnable } from './runnable.ts';
import { kubeJson } from './request.ts';
import { WorkflowMonitor } from './workflowMonitor.ts';

export interface ClusterDriverOptions {
  catalog: NodeCatalog;
  /** The kubeconfig switched to a context (kubeConfigFor). */
  kubeConfigFor(context?: string): KubeConfig;
}

const WORKFLOWS = (ns: string) => `/apis/argoproj.io/v1alpha1/namespaces/${encodeURIComponent(ns)}/workflows`;

export function namespaceOf(request: Pick<StartRunRequest, 'namespace' | 'document'>, kc: KubeConfig): string {
  return request.namespace || request.document.settings?.namespace || kc.getContextObject(kc.getCurrentContext())?.namespace || 'default';
}

export const RUN_ID_LABEL = 'pipewright.dev/run-id';

/** The Workflow's name, fixed by the run id: a create whose answer was lost is found again, never made twice. */
export function workflowNameFor(pipelineName: string, runId: string): string {
  return `${pipelineName.slice(0, 40).replace(/-+$/, '')}-${runId}`;
}

async function findWorkflowOfRun(kc: KubeConfig, namespace: string, runId: string): Promise<string | undefined> {
  const list = await withRetry(() =>
    kubeJson<{ items?: { metadata: { name: string } }[] }>(kc, { path: WORKFLOWS(namespace), query: { labelSelector: `${RUN_ID_LABEL}=${runId}` } }, `look for the Workflow of run ${runId} in namespace ${namespace}`),
  );
  return list.items?.[0]?.metadata.name;
}

async function createWorkflow(kc: KubeConfig, namespace: string, body: { metadata: { name: string } }, runId: string): Promise<string> {
  const created = await withRetry(async () => {
    try {
      return await kubeJson<{ metadata: { name: string } }>(kc, { method: 'POST', path: WORKFLOWS(namespace), body }, `create the Workflow in namespace ${namespace}`);
    } catch (err) {
      // 409 for our own name: an earlier attempt went through but its answer was lost.
      if (err instanceof ClusterError && err.kind === 'conflict' && (await findWorkflowOfRun(kc, namespace, runId)) === body.metadata.name) return body;
      throw err;
    }
  });
  return created.metadata.name;
}

export class ArgoDriver implements RunTargetDriver {
  readonly target = 'argo' as const;
  constructor(private readonly options: ClusterDriverOptions) {}

  async compile(request: StartRunRequest): Promise<Record<string, string>> {
    assertRunnable(request.document, this.options.catalog);
    return compileArgo(request.document, this.options.catalog);
  }

  async start(ctx: RunContext): Promise<RunHandle> {
    const kc = this.options.kubeConfigFor(ctx.request.context);
    const namespace = namespaceOf(ctx.request, kc);
    const workflow = argoWorkflow(ctx.record.document, this.options.catalog, ctx.record.parameterValues) as { metadata?: Record<string, unknown> };
    const { generateName: _generated, ...metadata } = workflow.metadata ?? {};
    const name = workflowNameFor(ctx.record.document.name, ctx.record.id);
    const body = { ...workflow, metadata: { ...metadata, name, namespace, labels: { ...(metadata.labels as object), [RUN_ID_LABEL]: ctx.record.id } } };
    const workflowName = await createWorkflow(kc, namespace, body, ctx.record.id);
    await ctx.setExternal({ workflowName, workflowNamespace: namespace });
    return this.follow(ctx, kc, namespace, workflowName);
  }

  async reattach(ctx: RunContext): Promise<RunHandle | null> {
    const kc = this.options.kubeConfigFor(ctx.record.context);
    const namespace = ctx.record.external?.workflowNamespace ?? ctx.record.namespace ?? namespaceOf(ctx.request, kc);
    // Stopped between create and record: the Workflow carries the run id.
    const workflowName = ctx.record.external?.workflowName ?? (await findWorkflowOfRun(kc, namespace, ctx.record.id));
    if (!workflowName) {
      ctx.emit({ kind: 'run-phase', runId: ctx.record.id, phase: 'error', message: 'The run was never submitted (Pipewright stopped before the Workflow was created)', at: new Date().toISOString() });
      return null;
    }
    return this.follow(ctx, kc, namespace, workflowName);
  }

  private async follow(ctx: RunContext, kc: KubeConfig, namespace: string, workflowName: string): Promise<RunHandle> {
    const nodeIds = ctx.record.document.nodes.map((n) => n.id);
    const monitor = new WorkflowMonitor(kc, ctx, { namespace, workflowName, nodeIds });
    await monitor.start();
    return {
      cancel: async () => {
        await withRetry(() =>
          kubeJson(kc, { method: 'PATCH', path: `${WORKFLOWS(namespace)}/${encodeURIComponent(workflowName)}`, body: { spec: { shutdown: 'Terminate' } }, contentType: 'application/merge-patch+json' }, `stop Workflow ${workflowName}`),
        );
      },
      detach: async () => monitor.stop(),
    };
  }
}
