/** Pre-flight as a pure function: a run's needs and what was read from the cluster give the findings. */
import { gpuLevelFindings, gpuStepFinding, indexNodes } from './gpuNodes.ts';
import { serviceAccountFindings, serviceAccountUser } from './serviceAccount.ts';
import { limitRangeFindings, pvcFindings, quotaFindings, secretFindings, withDefaults } from './namespace.ts';
import type { RunNeeds } from './requirements.ts';
import { describeKfpEndpoint } from './types.ts';
import type { AccessCheck, ClusterSnapshot, KfpCheckedEndpoint, Part, PreflightFinding, PreflightReport, PreflightTarget } from './types.ts';

export type AccessNeed = Omit<AccessCheck, 'allowed'>;

/** How the run reaches KFP, for the access it needs: the proxy's service namespace, or a URL (a service account token is requested in `namespace`). */
export interface KfpAccessRoute {
  via: KfpCheckedEndpoint['via'];
  /** Where KFP's pods run: its own namespace, or the profile namespace of a multi-user KFP. */
  workloadNamespace: string;
}

/** What the target does with this identity: one SelfSubjectAccessReview each. */
export function requiredAccess(target: PreflightTarget, namespace: string, kfpNamespace: string, route: KfpAccessRoute = { via: 'proxy', workloadNamespace: kfpNamespace }): AccessNeed[] {
  if (target === 'argo') {
    return [
      ...['create', 'get', 'list', 'watch', 'patch'].map((verb) => ({ verb, group: 'argoproj.io', resource: 'workflows', namespace })),
      ...['get', 'list', 'watch'].map((verb) => ({ verb, group: '', resource: 'pods', namespace })),
      { verb: 'get', group: '', resource: 'pods', subresource: 'log', namespace },
    ];
  }
  const pods = route.workloadNamespace;
  return [
    // Through the proxy every KFP call is a request to the service; at a URL none is.
    ...(route.via === 'proxy' ? ['get', 'create'].map((verb) => ({ verb, group: '', resource: 'services', subresource: 'proxy', namespace: kfpNamespace })) : []),
    ...(route.via === 'service-account' ? [{ verb: 'create', group: '', resource: 'serviceaccounts', subresource: 'token', namespace }] : []),
    ...['get', 'list', 'watch'].map((verb) => ({ verb, group: '', resource: 'pods', namespace: pods })),
    { verb: 'get', group: '', resource: 'pods', subresource: 'log', namespace: pods },
  ];
}

function accessFindings(checks: readonly AccessCheck[]): PreflightFinding[] {
  const denied = new Map<string, AccessCheck[]>();
  for (const c of checks) {
    if (c.allowed) continue;
    const key = `${c.group}\n${c.resource}\n${c.subresource ?? ''}\n${c.namespace}`;
    denied.set(key, [...(denied.get(key) ?? []), c]);
  }
  return [...denied.values()].map((list) => {
    const { group, resource, subresource, namespace } = list[0];
    const name = `${resource}${subresource ? `/${subresource}` : ''}${group ? `.${group}` : ''}`;
    const verbs = list.map((c) => c.verb);
    return {
      code: 'forbidden' as const, severity: 'error' as const, node: null,
      message: `You may not ${verbs.join(', ')} ${name} in namespace ${namespace}, which the run needs.`,
      fix: `Ask a cluster admin for a Role in namespace ${namespace} with the rule {apiGroups: ["${group}"], resources: ["${resource}${subresource ? `/${subresource}` : ''}"], verbs: [${verbs.map((v) => `"${v}"`).join(', ')}]} bound to your user or service account.`,
    };
  });
}

/** The KFP endpoint the snapshot checked, in words. */
function kfpWhere(snap: ClusterSnapshot): string {
  return snap.kfp ? describeKfpEndpoint(snap.kfp.endpoint) : `service ml-pipeline in namespace ${snap.workloadNamespace}, through the Kubernetes service proxy`;
}

function kfpFix(snap: ClusterSnapshot): string {
  const e = snap.kfp?.endpoint;
  if (!e || e.via === 'proxy') {
    const ns = e?.namespace ?? snap.workloadNamespace;
    return `Check the KFP API server (kubectl get pods -n ${ns} -l app=ml-pipeline) and the service in Settings › Clusters: its port and scheme (the TLS overlay serves https on port tls; kubectl get service -n ${ns}).`;
  }
  return `Check the URL (open ${e.url} in a browser), your network, and the ${e.via === 'session' ? 'login session (sign in to the Kubeflow dashboard again)' : 'service account (its token is requested through your kubeconfig)'}.`;
}

function unread(what: string, part: Part<unknown>, fix: string): PreflightFinding[] {
  if (part.ok) return [];
  return [{ code: 'cannot-inspect', severity: 'warning', node: null, message: `Could not read ${what}, so that was not checked: ${part.error}`, fix }];
}

export function preflightFindings(needs: RunNeeds, snap: ClusterSnapshot): PreflightFinding[] {
  const findings: PreflightFinding[] = [];
  const ns = snap.namespace;
  if (snap.engine.ok && !snap.engine.value) {
    findings.push(
      snap.target === 'argo'
        ? { code: 'engine-missing', severity: 'error', node: null, message: 'Argo Workflows is not installed in this cluster (the workflows.argoproj.io resource type was not found).', fix: 'Install Argo Workflows (kubectl create namespace argo; kubectl apply -n argo -f the install.yaml of an Argo release) or choose the Kubeflow Pipelines target.' }
        : { code: 'engine-missing', severity: 'error', node: null, message: `Kubeflow Pipelines is not installed: no service ${snap.kfp?.endpoint.via === 'proxy' ? snap.kfp.endpoint.name : 'ml-pipeline'} in namespace ${snap.kfp?.endpoint.via === 'proxy' ? snap.kfp.endpoint.namespace : snap.workloadNamespace} (checked: ${kfpWhere(snap)}).`, fix: 'Install Kubeflow Pipelines, or set its service in Settings › Clusters (namespace, name, port, scheme), or choose the Argo Workflows target.' },
    );
  } else if (!snap.engine.ok) {
    findings.push({
      code: 'engine-missing', severity: 'error', node: null,
      message: snap.target === 'argo' ? `Could not confirm Argo Workflows is installed: ${snap.engine.error}` : `Kubeflow Pipelines does not answer at ${kfpWhere(snap)}: ${snap.engine.error}`,
      fix: snap.target === 'argo' ? 'Check the context and that Argo Workflows is installed (kubectl get crd workflows.argoproj.io).' : kfpFix(snap),
    });
  }
  if (snap.kfp?.multiUser && snap.kfp.endpoint.via === 'proxy') {
    findings.push({
      code: 'kfp-no-identity', severity: 'error', node: null,
      message: `This Kubeflow Pipelines is multi-user (its healthz says multi_user), and through the Kubernetes service proxy no user identity reaches it: the run would be refused (401).`,
      fix: 'Choose the Kubeflow URL with your login session, or a service account token sent to the KFP endpoint (run dialog › Connection, or --kfp-auth).',
    });
  }
  if (snap.access.ok) findings.push(...accessFindings(snap.access.value));
  findings.push(...unread('your permissions', snap.access, 'Access reviews (SelfSubjectAccessReview) are allowed to every authenticated user on a standard cluster; check the context.'));
  if (snap.serviceAccount) {
    const { account, checks } = snap.serviceAccount;
    if (checks.ok) findings.push(...serviceAccountFindings(account, checks.value));
    else {
      const user = serviceAccountUser(account);
      findings.push(...unread(`what the workflow's service account ${account.namespace}/${account.name} may do`, checks,
        `SubjectAccessReview needs create on subjectaccessreviews.authorization.k8s.io; ask a cluster admin, or check by hand: kubectl auth can-i create deployments.apps -n DEPLOY_NAMESPACE --as=${user} (and services, rollouts.argoproj.io where the deploy step uses them).`));
    }
  }

  findings.push(...unread('the cluster\'s nodes', snap.nodes, 'Listing nodes needs a ClusterRole with list on nodes; check GPU nodes by hand with kubectl describe nodes.'));
  findings.push(...unread('the pods running on the nodes', snap.pods, 'Listing pods in all namespaces needs a ClusterRole with list on pods; GPUs free now were not judged.'));
  if (snap.nodes.ok) {
    const index = indexNodes(snap.nodes.value, snap.pods.ok ? snap.pods.value : undefined);
    const flagged = new Set<string>();
    for (const step of needs.steps) {
      const f = gpuStepFinding(step, index);
      if (!f) continue;
      findings.push(f);
      flagged.add(step.id);
    }
    findings.push(...gpuLevelFindings(needs.steps, index, flagged));
  }
  findings.push(...unread(`the LimitRanges of namespace ${ns}`, snap.limitRanges, 'Ask for list on limitranges in the namespace.'));
  const ranges = snap.limitRanges.ok ? snap.limitRanges.value : [];
  const steps = needs.steps.map((s) => withDefaults(s, ranges));
  findings.push(...limitRangeFindings(needs.steps, ranges, ns));
  findings.push(...unread(`the ResourceQuotas of namespace ${ns}`, snap.quotas, 'Ask for list on resourcequotas in the namespace.'));
  if (snap.quotas.ok) findings.push(...quotaFindings(steps, snap.quotas.value, ns));
  if (needs.secrets.length > 0) {
    findings.push(...unread(`the Secret names of namespace ${ns}`, snap.secrets, 'Ask for list on secrets in the namespace (names are read, never values).'));
    if (snap.secrets.ok) findings.push(...secretFindings(needs, new Set(snap.secrets.value), ns));
  }
  if (needs.pvcs.length > 0) {
    findings.push(...unread(`the PersistentVolumeClaims of namespace ${ns}`, snap.pvcs, 'Ask for list on persistentvolumeclaims in the namespace.'));
    if (snap.pvcs.ok) findings.push(...pvcFindings(needs, new Map(snap.pvcs.value.map((p) => [p.name, p.phase])), ns));
  }
  return findings;
}

export function preflightReport(findings: PreflightFinding[]): PreflightReport {
  return { ok: !findings.some((f) => f.severity === 'error'), findings };
}
