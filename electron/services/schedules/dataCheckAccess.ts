/**
 * Before an Argo or KFP schedule that runs "when the data changes" fires: may the workflow's service account keep
 * the data fingerprints? One SubjectAccessReview per permission the data check uses (get and update of its
 * ConfigMap, create in the namespace), asked as the RBAC authorizer will be asked by the pod.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import { dataCheckConfigMapName } from '../../../shared/schedules/dataCheck/argo.ts';
import { DATA_CHECK_RBAC_FILE, dataCheckRbacYaml } from '../../../shared/schedules/dataCheck/rbac.ts';
import { kubeJson } from '../kube/request.ts';

/** A warning to show, or undefined when the account may do all it needs. */
export async function dataCheckAccessWarning(kc: KubeConfig, pipeline: string, schedule: string, namespace: string, serviceAccount = 'default'): Promise<string | undefined> {
  const name = dataCheckConfigMapName(pipeline, schedule);
  const user = `system:serviceaccount:${namespace}:${serviceAccount}`;
  const asks: { verb: string; name?: string }[] = [{ verb: 'get', name }, { verb: 'update', name }, { verb: 'create' }];
  let denied: string[];
  try {
    const answers = await Promise.all(
      asks.map((a) =>
        kubeJson<{ status?: { allowed?: boolean } }>(
          kc,
          {
            method: 'POST',
            path: '/apis/authorization.k8s.io/v1/subjectaccessreviews',
            body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec: { user, groups: ['system:serviceaccounts', `system:serviceaccounts:${namespace}`, 'system:authenticated'], resourceAttributes: { namespace, verb: a.verb, group: '', resource: 'configmaps', ...(a.name ? { name: a.name } : {}) } } },
            timeoutMs: 15_000,
          },
          `check what service account ${namespace}/${serviceAccount} may do`,
        ),
      ),
    );
    denied = asks.filter((_, i) => answers[i].status?.allowed !== true).map((a) => a.verb);
  } catch (err) {
    return dataCheckUncheckedWarning(pipeline, schedule, namespace, serviceAccount, (err as Error).message);
  }
  if (denied.length === 0) return undefined;
  return [
    `service account ${namespace}/${serviceAccount} may not ${denied.join('/')} ConfigMap ${name}: each run's data check will fail until a namespace admin applies this (also written by --out as ${DATA_CHECK_RBAC_FILE}):`,
    dataCheckRbacYaml(pipeline, schedule, { namespace, serviceAccount }).trimEnd(),
  ].join('\n');
}

/** When the cluster could not be asked: what to check by hand. */
export function dataCheckUncheckedWarning(pipeline: string, schedule: string, namespace: string, serviceAccount: string, why: string): string {
  const name = dataCheckConfigMapName(pipeline, schedule);
  return `could not check whether service account ${namespace}/${serviceAccount} may keep the data check's ConfigMap ${name} (${why}); check with: kubectl auth can-i update configmaps/${name} -n ${namespace} --as system:serviceaccount:${namespace}:${serviceAccount} (the Role and RoleBinding it needs: pipewright schedule --when-data-changes --out DIR writes ${DATA_CHECK_RBAC_FILE})`;
}

