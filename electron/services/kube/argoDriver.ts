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

async function createWorkflow(kc: KubeConfig, namespace: string, body: object): Promise<string> {
  try {
    const created = await withRetry(() => kubeJson<{ metadata: { name: string } }>(kc, { method: 'POST', path: WORKFLOWS(namespace), body }, `create the Workflow in namespace ${namespace}`));
    return created.metadata.name;
  } catch (err) {
    if (err instanceof ClusterError && err.kind === 'not-found')
      throw new ClusterError('argo-missing', 'Argo Workflows is not installed in this cluster (its Workflow resource type was not found).', false, 404);
    throw err;
  }
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
    const body = argoWorkflow(ctx.record.document, this.options.catalog) as { metadata?: Record<string, unknown> };
    body.metadata = { ...body.metadata, namespace, labels: { ...(body.metadata?.labels as object), 'pipewright.dev/run-id': ctx.record.id } };
    const workflowName = await createWorkflow(kc, namespace, body);
    await ctx.setExternal({ workflowName });
    return this.follow(ctx, kc, namespace, workflowName);
  }

  async reattach(ctx: RunContext): Promise<RunHandle | null> {
    const workflowName = ctx.record.external?.workflowName;
    const kc = this.options.kubeConfigFor(ctx.record.context);
    const namespace = ctx.record.namespace ?? namespaceOf(ctx.request, kc);
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
