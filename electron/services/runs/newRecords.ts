/**
 * The first record.json of a run: one started here (startRun) and one a cluster started on its own
 * and the app imports (a schedule fired). Neither keeps the document twice or a KFP token at all.
 */
import type { InputHash, RunSummary, StartRunRequest } from '../../../shared/runs/types.ts';
import { importedRunId, newRunId } from './ids.ts';
import { RUN_FORMAT } from './runFiles.ts';
import type { StoredRun } from './runFiles.ts';
import type { RunRequestOptions } from './target.ts';

/** A run a cluster started on its own (a CronWorkflow or a recurring run fired), to import: see RunManager.importRun. */
export interface ImportRunRequest {
  /** As if it had been started here: target, document, context/namespace or KFP URL (a token only in memory), scheduledBy. */
  request: StartRunRequest;
  scheduleName?: string;
  /** When the cluster started it. */
  createdAt: string;
  /** The Workflow (name and namespace) or the KFP run id. */
  external: NonNullable<RunSummary['external']>;
}

/** The fields a started run and an imported one share. */
function pendingRecord(id: string, request: StartRunRequest, createdAt: string, compiled: Record<string, string>): StoredRun {
  const { document: _document, kfpToken: _token, ...options } = request;
  return {
    format: RUN_FORMAT,
    id,
    pipelineName: request.document.name,
    target: request.target,
    ...(request.context !== undefined ? { context: request.context } : {}),
    ...(request.namespace !== undefined ? { namespace: request.namespace } : {}),
    phase: 'pending',
    ...(request.scheduledBy ? { scheduledBy: request.scheduledBy } : {}),
    createdAt,
    nodes: Object.fromEntries(request.document.nodes.map((n) => [n.id, { phase: 'pending' as const }])),
    document: request.document,
    compiled,
    request: options satisfies RunRequestOptions,
  };
}

/** A run started here now: `request` carries every parameter's checked value. */
export function startedRecord(request: StartRunRequest, compiled: Record<string, string>, inputs: InputHash[], at: Date): StoredRun {
  const record = pendingRecord(newRunId(at), request, at.toISOString(), compiled);
  return { ...record, inputs, parameterValues: request.parameterValues ?? {} };
}

/** A run the cluster started: its id follows from its cluster identity, so no process imports it twice. */
export function importedRecord(imported: ImportRunRequest, compiled: Record<string, string>, parameterValues: NonNullable<StoredRun['parameterValues']>): StoredRun {
  const { request, external } = imported;
  const id = importedRunId(imported.createdAt, `${request.target}|${external.workflowNamespace ?? ''}|${external.workflowName ?? ''}|${external.kfpRunId ?? ''}`);
  const record = pendingRecord(id, request, imported.createdAt, compiled);
  return {
    ...record,
    ...(imported.scheduleName ? { scheduleName: imported.scheduleName } : {}),
    parameterValues,
    external,
    request: { ...record.request, parameterValues },
  };
}
