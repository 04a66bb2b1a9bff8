/**
 * What the workflow's service account needs for the data check: read the ConfigMap holding the last
 * successful run's fingerprints, create it once, update it after each successful run. Nothing else.
 */
import { emitYaml, type YamlValue } from '../../compile/emitYaml.ts';
import { dataCheckConfigMapName } from './argo.ts';

type YamlMap = { [key: string]: YamlValue | undefined };

/** The file `pipewright schedule --when-data-changes --out DIR` writes the Role and RoleBinding to. */
export const DATA_CHECK_RBAC_FILE = 'data-check-rbac.yaml';

export interface DataCheckAccount {
  namespace: string;
  serviceAccount: string;
}

/** The Role and RoleBinding (in the workflow's namespace) that let `account` keep the schedule's fingerprints. */
export function dataCheckRbac(pipeline: string, schedule: string, account: DataCheckAccount): YamlMap[] {
  const name = `pipewright-data-check-${schedule}`;
  const labels = { 'pipewright.dev/pipeline': pipeline, 'pipewright.dev/schedule': schedule };
  return [
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name, namespace: account.namespace, labels },
      rules: [
        // create cannot be limited to a name (the object does not exist yet); get and update can.
        { apiGroups: [''], resources: ['configmaps'], verbs: ['create'] },
        { apiGroups: [''], resources: ['configmaps'], resourceNames: [dataCheckConfigMapName(pipeline, schedule)], verbs: ['get', 'update'] },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name, namespace: account.namespace, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
      subjects: [{ kind: 'ServiceAccount', name: account.serviceAccount, namespace: account.namespace }],
    },
  ];
}

export function dataCheckRbacYaml(pipeline: string, schedule: string, account: DataCheckAccount): string {
  const header = [
    `# What the service account ${account.namespace}/${account.serviceAccount} needs for schedule ${schedule} ("when the data changes"):`,
    `# read, create and update the ConfigMap ${dataCheckConfigMapName(pipeline, schedule)}. Apply it as a namespace admin: kubectl apply -f FILE.`,
    "# If the runs use another account (Argo: the controller's workflowDefaults serviceAccountName; KFP: a profile's own), put that account in the subject.",
    '',
  ].join('\n');
  return header + dataCheckRbac(pipeline, schedule, account).map((o) => emitYaml(o)).join('---\n');
}

/**
 * Where a KFP run's pods run and as whom: in a multi-user install the profile namespace's `default-editor`,
 * in a single-user one KFP's own namespace's `pipeline-runner` (the accounts Kubeflow's manifests set up).
 */
export function kfpRunAccount(profileNamespace: string | undefined, kfpNamespace: string): { namespace: string; serviceAccount: string } {
  return profileNamespace ? { namespace: profileNamespace, serviceAccount: 'default-editor' } : { namespace: kfpNamespace, serviceAccount: 'pipeline-runner' };
}
