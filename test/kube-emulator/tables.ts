import type { KubeObject } from './types.ts';
import { isRecord } from './types.ts';

/** `meta.k8s.io/v1` Table output, the format `kubectl get` asks for; columns as the real server prints them. */

interface Column {
  name: string;
  type: string;
  format?: string;
  description: string;
  priority?: number;
  cell: (o: KubeObject) => string | number;
}

export function humanAge(timestamp: string | undefined, now = Date.now()): string {
  if (!timestamp) return '<unknown>';
  const seconds = Math.max(0, Math.floor((now - Date.parse(timestamp)) / 1000));
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return `${minutes}m${seconds % 60 ? `${seconds % 60}s` : ''}`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h`;
  return `${Math.floor(hours / 24)}d`;
}

function path(o: unknown, dotted: string): unknown {
  let value = o;
  for (const p of dotted.split('.')) value = isRecord(value) ? value[p] : undefined;
  return value;
}

function str(o: unknown, dotted: string): string {
  const v = path(o, dotted);
  return v === undefined || v === null ? '' : String(v);
}

const nameColumn: Column = { name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace.', cell: (o) => o.metadata.name };
const ageColumn: Column = { name: 'Age', type: 'string', description: 'CreationTimestamp is a timestamp representing the server time when this object was created.', cell: (o) => humanAge(o.metadata.creationTimestamp) };

function podStatusText(pod: KubeObject): string {
  const statuses = (path(pod, 'status.containerStatuses') as Array<Record<string, unknown>> | undefined) ?? [];
  if (pod.metadata.deletionTimestamp) return 'Terminating';
  let reason = str(pod, 'status.reason') || str(pod, 'status.phase');
  for (const s of statuses) {
    const waiting = str(s, 'state.waiting.reason');
    const terminated = str(s, 'state.terminated.reason');
    if (waiting && waiting !== 'PodInitializing') reason = waiting;
    else if (terminated && str(pod, 'status.phase') !== 'Succeeded' && str(pod, 'status.phase') !== 'Running') reason = terminated;
  }
  if (str(pod, 'status.phase') === 'Succeeded') reason = 'Completed';
  if (str(pod, 'status.phase') === 'Failed') {
    const main = statuses.find((s) => s.name === 'main');
    reason = main ? str(main, 'state.terminated.reason') || 'Error' : 'Error';
  }
  return reason;
}

function podRestarts(pod: KubeObject): number {
  const statuses = (path(pod, 'status.containerStatuses') as Array<Record<string, unknown>> | undefined) ?? [];
  return statuses.reduce((sum, s) => sum + Number(s.restartCount ?? 0), 0);
}

const COLUMNS: Record<string, Column[]> = {
  namespaces: [nameColumn, { name: 'Status', type: 'string', description: 'The status of the namespace', cell: (o) => str(o, 'status.phase') }, ageColumn],
  pods: [
    nameColumn,
    {
      name: 'Ready',
      type: 'string',
      description: 'The aggregate readiness state of this pod for accepting traffic.',
      cell: (o) => {
        const statuses = (path(o, 'status.containerStatuses') as Array<Record<string, unknown>> | undefined) ?? [];
        const total = ((path(o, 'spec.containers') as unknown[] | undefined) ?? []).length;
        return `${statuses.filter((s) => s.ready).length}/${total}`;
      },
    },
    { name: 'Status', type: 'string', description: 'The aggregate status of the containers in this pod.', cell: podStatusText },
    { name: 'Restarts', type: 'string', description: 'The number of times the containers in this pod have been restarted.', cell: (o) => String(podRestarts(o)) },
    ageColumn,
    { name: 'IP', type: 'string', priority: 1, description: 'The IP address assigned to the pod', cell: (o) => str(o, 'status.podIP') || '<none>' },
    { name: 'Node', type: 'string', priority: 1, description: 'The node the pod is on', cell: (o) => str(o, 'spec.nodeName') || '<none>' },
  ],
  events: [
    { name: 'Last Seen', type: 'string', description: 'Time of the last occurrence', cell: (o) => humanAge(str(o, 'lastTimestamp') || o.metadata.creationTimestamp) },
    { name: 'Type', type: 'string', description: 'Type of this event', cell: (o) => str(o, 'type') },
    { name: 'Reason', type: 'string', description: 'Why the action was taken', cell: (o) => str(o, 'reason') },
    { name: 'Object', type: 'string', description: 'The object this event is about', cell: (o) => `${str(o, 'involvedObject.kind').toLowerCase()}/${str(o, 'involvedObject.name')}` },
    { name: 'Message', type: 'string', description: 'A human-readable description of the status of this operation', cell: (o) => str(o, 'message') },
  ],
  services: [
    nameColumn,
    { name: 'Type', type: 'string', description: 'The type of the service', cell: (o) => str(o, 'spec.type') },
    { name: 'Cluster-IP', type: 'string', description: 'The cluster IP of the service', cell: (o) => str(o, 'spec.clusterIP') },
    { name: 'External-IP', type: 'string', description: 'External IPs', cell: () => '<none>' },
    { name: 'Port(s)', type: 'string', description: 'The ports of the service', cell: (o) => ((path(o, 'spec.ports') as Array<Record<string, unknown>> | undefined) ?? []).map((p) => `${p.port}/${p.protocol ?? 'TCP'}`).join(',') },
    ageColumn,
  ],
  workflows: [
    nameColumn,
    { name: 'Status', type: 'string', description: 'Status of the workflow', cell: (o) => str(o, 'status.phase') },
    { name: 'Age', type: 'date', description: 'When the workflow was started', cell: (o) => (str(o, 'status.startedAt') ? humanAge(str(o, 'status.startedAt')) : '') },
    { name: 'Message', type: 'string', priority: 1, description: 'Human readable message indicating details about why the workflow is in this condition.', cell: (o) => str(o, 'status.message') },
  ],
  nodes: [
    nameColumn,
    {
      name: 'Status',
      type: 'string',
      description: 'The status of the node',
      cell: (o) => {
        const ready = ((path(o, 'status.conditions') as Array<Record<string, unknown>> | undefined) ?? []).find((c) => c.type === 'Ready');
        const status = ready?.status === 'True' ? 'Ready' : ready ? 'NotReady' : 'Unknown';
        return path(o, 'spec.unschedulable') === true ? `${status},SchedulingDisabled` : status;
      },
    },
    { name: 'Roles', type: 'string', description: 'The roles of the node', cell: () => '<none>' },
    ageColumn,
    { name: 'Version', type: 'string', description: 'Kubelet Version reported by the node.', cell: (o) => str(o, 'status.nodeInfo.kubeletVersion') },
  ],
  secrets: [
    nameColumn,
    { name: 'Type', type: 'string', description: 'The type of the secret', cell: (o) => str(o, 'type') },
    { name: 'Data', type: 'string', description: 'The number of entries in the secret', cell: (o) => String(Object.keys((path(o, 'data') as Record<string, unknown> | undefined) ?? {}).length) },
    ageColumn,
  ],
  customresourcedefinitions: [nameColumn, { name: 'Created At', type: 'date', description: 'Creation time', cell: (o) => o.metadata.creationTimestamp ?? '' }],
};

export type IncludeObject = 'None' | 'Object' | 'Metadata';

export function wantsTable(accept: string | undefined): boolean {
  return !!accept && /as=Table/.test(accept);
}

function rowObject(o: KubeObject, include: IncludeObject): unknown {
  if (include === 'None') return undefined;
  if (include === 'Object') return o;
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata };
}

export function toTable(resource: string, items: KubeObject[], resourceVersion: string, include: IncludeObject, extraMeta: Record<string, unknown> = {}): Record<string, unknown> {
  const columns = COLUMNS[resource] ?? [nameColumn, ageColumn];
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion, ...extraMeta },
    columnDefinitions: columns.map((c) => ({
      name: c.name,
      type: c.type,
      format: c.format ?? '',
      description: c.description,
      priority: c.priority ?? 0,
    })),
    rows: items.map((o) => ({ cells: columns.map((c) => c.cell(o)), object: rowObject(o, include) })),
  };
}
