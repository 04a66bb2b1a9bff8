/** The resource types the emulator serves, and the discovery documents kubectl reads to find them. */

export interface ResourceDef {
  group: string;
  version: string;
  resource: string;
  kind: string;
  singular: string;
  namespaced: boolean;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
}

const CRUD = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export const RESOURCES: ResourceDef[] = [
  { group: '', version: 'v1', resource: 'namespaces', kind: 'Namespace', singular: 'namespace', namespaced: false, verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'], shortNames: ['ns'] },
  { group: '', version: 'v1', resource: 'pods', kind: 'Pod', singular: 'pod', namespaced: true, verbs: CRUD, shortNames: ['po'], categories: ['all'] },
  { group: '', version: 'v1', resource: 'events', kind: 'Event', singular: 'event', namespaced: true, verbs: CRUD, shortNames: ['ev'] },
  { group: '', version: 'v1', resource: 'nodes', kind: 'Node', singular: 'node', namespaced: false, verbs: CRUD, shortNames: ['no'] },
  { group: '', version: 'v1', resource: 'resourcequotas', kind: 'ResourceQuota', singular: 'resourcequota', namespaced: true, verbs: CRUD, shortNames: ['quota'] },
  { group: '', version: 'v1', resource: 'limitranges', kind: 'LimitRange', singular: 'limitrange', namespaced: true, verbs: CRUD, shortNames: ['limits'] },
  { group: '', version: 'v1', resource: 'persistentvolumeclaims', kind: 'PersistentVolumeClaim', singular: 'persistentvolumeclaim', namespaced: true, verbs: CRUD, shortNames: ['pvc'] },
  { group: '', version: 'v1', resource: 'serviceaccounts', kind: 'ServiceAccount', singular: 'serviceaccount', namespaced: true, verbs: CRUD, shortNames: ['sa'] },
  { group: '', version: 'v1', resource: 'secrets', kind: 'Secret', singular: 'secret', namespaced: true, verbs: CRUD },
  { group: '', version: 'v1', resource: 'configmaps', kind: 'ConfigMap', singular: 'configmap', namespaced: true, verbs: CRUD, shortNames: ['cm'] },
  { group: '', version: 'v1', resource: 'services', kind: 'Service', singular: 'service', namespaced: true, verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'], shortNames: ['svc'], categories: ['all'] },
  { group: 'apps', version: 'v1', resource: 'deployments', kind: 'Deployment', singular: 'deployment', namespaced: true, verbs: CRUD, shortNames: ['deploy'], categories: ['all'] },
  { group: 'argoproj.io', version: 'v1alpha1', resource: 'rollouts', kind: 'Rollout', singular: 'rollout', namespaced: true, verbs: CRUD, shortNames: ['ro'], categories: ['all'] },
  { group: 'argoproj.io', version: 'v1alpha1', resource: 'analysistemplates', kind: 'AnalysisTemplate', singular: 'analysistemplate', namespaced: true, verbs: CRUD, shortNames: ['at'] },
  { group: 'argoproj.io', version: 'v1alpha1', resource: 'analysisruns', kind: 'AnalysisRun', singular: 'analysisrun', namespaced: true, verbs: CRUD, shortNames: ['ar'] },
  { group: 'argoproj.io', version: 'v1alpha1', resource: 'workflows', kind: 'Workflow', singular: 'workflow', namespaced: true, verbs: CRUD, shortNames: ['wf'] },
  { group: 'argoproj.io', version: 'v1alpha1', resource: 'cronworkflows', kind: 'CronWorkflow', singular: 'cronworkflow', namespaced: true, verbs: CRUD, shortNames: ['cwf', 'cronwf'] },
  { group: 'apiextensions.k8s.io', version: 'v1', resource: 'customresourcedefinitions', kind: 'CustomResourceDefinition', singular: 'customresourcedefinition', namespaced: false, verbs: ['get', 'list', 'watch'], shortNames: ['crd', 'crds'] },
  { group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'roles', kind: 'Role', singular: 'role', namespaced: true, verbs: CRUD },
  { group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'rolebindings', kind: 'RoleBinding', singular: 'rolebinding', namespaced: true, verbs: CRUD },
  { group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'clusterroles', kind: 'ClusterRole', singular: 'clusterrole', namespaced: false, verbs: CRUD },
  { group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'clusterrolebindings', kind: 'ClusterRoleBinding', singular: 'clusterrolebinding', namespaced: false, verbs: CRUD },
  { group: 'authorization.k8s.io', version: 'v1', resource: 'subjectaccessreviews', kind: 'SubjectAccessReview', singular: 'subjectaccessreview', namespaced: false, verbs: ['create'] },
  { group: 'authorization.k8s.io', version: 'v1', resource: 'selfsubjectaccessreviews', kind: 'SelfSubjectAccessReview', singular: 'selfsubjectaccessreview', namespaced: false, verbs: ['create'] },
];

/** Subresources listed in discovery (`pods/log`, `services/proxy`). */
const SUBRESOURCES: Array<{ parent: string; name: string; kind: string; verbs: string[] }> = [
  { parent: 'pods', name: 'log', kind: 'Pod', verbs: ['get'] },
  { parent: 'deployments', name: 'status', kind: 'Deployment', verbs: ['get', 'patch', 'update'] },
  { parent: 'rollouts', name: 'status', kind: 'Rollout', verbs: ['get', 'patch', 'update'] },
  { parent: 'services', name: 'proxy', kind: 'ServiceProxyOptions', verbs: ['create', 'delete', 'get', 'patch', 'update'] },
];

export function findResource(defs: ResourceDef[], group: string, version: string, resource: string): ResourceDef | undefined {
  return defs.find((r) => r.group === group && r.version === version && r.resource === resource);
}

export function apiVersionOf(def: ResourceDef): string {
  return def.group ? `${def.group}/${def.version}` : def.version;
}

export function versionInfo(): Record<string, string> {
  return {
    major: '1',
    minor: '32',
    gitVersion: 'v1.32.4-pipewright-emulator',
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2025-01-01T00:00:00Z',
    goVersion: 'go1.23.6',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}

export function coreVersions(): Record<string, unknown> {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1' }] };
}

function apiGroup(defs: ResourceDef[], group: string): Record<string, unknown> {
  const version = defs.find((r) => r.group === group)!.version;
  const gv = { groupVersion: `${group}/${version}`, version };
  return { name: group, versions: [gv], preferredVersion: gv };
}

export function groupList(defs: ResourceDef[]): Record<string, unknown> {
  const groups = [...new Set(defs.filter((r) => r.group).map((r) => r.group))];
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: groups.map((g) => apiGroup(defs, g)) };
}

/** `/apis/GROUP`: one APIGroup, or undefined when the group is not served. */
export function groupInfo(defs: ResourceDef[], group: string): Record<string, unknown> | undefined {
  if (!defs.some((r) => r.group === group)) return undefined;
  return { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(defs, group) };
}

/** `/api/v1` or `/apis/GROUP/VERSION`: the APIResourceList, or undefined for an unknown group version. */
export function resourceList(served: ResourceDef[], group: string, version: string): Record<string, unknown> | undefined {
  const defs = served.filter((r) => r.group === group && r.version === version);
  if (!defs.length) return undefined;
  const resources: Array<Record<string, unknown>> = [];
  for (const def of defs) {
    resources.push({
      name: def.resource,
      singularName: def.singular,
      namespaced: def.namespaced,
      kind: def.kind,
      verbs: def.verbs,
      ...(def.shortNames ? { shortNames: def.shortNames } : {}),
      ...(def.categories ? { categories: def.categories } : {}),
    });
    for (const sub of SUBRESOURCES.filter((s) => s.parent === def.resource)) {
      resources.push({ name: `${def.resource}/${sub.name}`, singularName: '', namespaced: def.namespaced, kind: sub.kind, verbs: sub.verbs });
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : version, resources };
}

/** The Workflow CRD as Argo's minimal install defines it, so "is Argo installed" checks succeed. */
export function workflowCrd(): Record<string, unknown> {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'workflows.argoproj.io' },
    spec: {
      group: 'argoproj.io',
      names: { kind: 'Workflow', listKind: 'WorkflowList', plural: 'workflows', shortNames: ['wf'], singular: 'workflow' },
      scope: 'Namespaced',
      versions: [
        {
          name: 'v1alpha1',
          served: true,
          storage: true,
          subresources: {},
          additionalPrinterColumns: [
            { name: 'Status', type: 'string', description: 'Status of the workflow', jsonPath: '.status.phase' },
            { name: 'Age', type: 'date', format: 'date-time', description: 'When the workflow was started', jsonPath: '.status.startedAt' },
            { name: 'Message', type: 'string', description: 'Human readable message indicating details about why the workflow is in this condition.', jsonPath: '.status.message', priority: 1 },
          ],
          schema: {
            openAPIV3Schema: {
              type: 'object',
              required: ['metadata', 'spec'],
              properties: {
                apiVersion: { type: 'string' },
                kind: { type: 'string' },
                metadata: { type: 'object' },
                spec: { type: 'object', 'x-kubernetes-map-type': 'atomic', 'x-kubernetes-preserve-unknown-fields': true },
                status: { type: 'object', 'x-kubernetes-map-type': 'atomic', 'x-kubernetes-preserve-unknown-fields': true },
              },
            },
          },
        },
      ],
    },
    status: {
      acceptedNames: { kind: 'Workflow', listKind: 'WorkflowList', plural: 'workflows', shortNames: ['wf'], singular: 'workflow' },
      conditions: [
        { type: 'NamesAccepted', status: 'True', reason: 'NoConflicts', message: 'no conflicts found' },
        { type: 'Established', status: 'True', reason: 'InitialNamesAccepted', message: 'the initial names have been accepted' },
      ],
      storedVersions: ['v1alpha1'],
    },
  };
}
