/**
 * SubjectAccessReview answered as Kubernetes' RBAC authorizer does: ClusterRoleBindings grant their ClusterRole's
 * rules everywhere, RoleBindings grant a Role's (or a ClusterRole's) rules in their namespace; a subject matches
 * by User name, Group (service accounts belong to system:serviceaccounts and system:serviceaccounts:<ns>) or
 * ServiceAccount. A test may also grant rules to a user directly (the allow-list), without RBAC objects.
 */
import type { AccessAttributes, AccessRule } from './access.ts';
import { AccessPolicy } from './access.ts';
import type { ObjectStore } from './store.ts';
import type { KubeObject } from './types.ts';

interface PolicyRule {
  apiGroups?: string[];
  resources?: string[];
  verbs?: string[];
  resourceNames?: string[];
}

interface Subject {
  kind: string;
  name: string;
  namespace?: string;
}

export interface ReviewSubject {
  user: string;
  groups: string[];
}

/** The groups Kubernetes puts a service account in, beside what the review names. */
export function subjectGroups(user: string, groups: readonly string[]): string[] {
  const sa = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(user);
  const implied = sa ? ['system:serviceaccounts', `system:serviceaccounts:${sa[1]}`, 'system:authenticated'] : user ? ['system:authenticated'] : [];
  return [...new Set([...groups, ...implied])];
}

function subjectMatches(s: Subject, who: ReviewSubject, bindingNamespace: string | undefined): boolean {
  if (s.kind === 'User') return s.name === who.user;
  if (s.kind === 'Group') return who.groups.includes(s.name);
  if (s.kind === 'ServiceAccount') return who.user === `system:serviceaccount:${s.namespace ?? bindingNamespace}:${s.name}`;
  return false;
}

const has = (list: string[] | undefined, value: string) => (list ?? []).includes('*') || (list ?? []).includes(value);

function ruleAllows(rule: PolicyRule, a: AccessAttributes): boolean {
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const resources = rule.resources ?? [];
  const resourceOk = resources.includes('*') || resources.includes(resource) || (a.subresource !== undefined && resources.includes(`*/${a.subresource}`));
  const namesOk = !rule.resourceNames || rule.resourceNames.length === 0 || (a.name !== undefined && rule.resourceNames.includes(a.name));
  return has(rule.apiGroups, a.group) && resourceOk && has(rule.verbs, a.verb) && namesOk;
}

function rulesOf(obj: KubeObject | undefined): PolicyRule[] {
  return ((obj as { rules?: PolicyRule[] } | undefined)?.rules ?? []) as PolicyRule[];
}

function bindingParts(binding: KubeObject): { subjects: Subject[]; roleRef: { kind: string; name: string } } {
  const b = binding as unknown as { subjects?: Subject[]; roleRef?: { kind: string; name: string } };
  return { subjects: b.subjects ?? [], roleRef: b.roleRef ?? { kind: '', name: '' } };
}

/** `{allowed, reason}` as the RBAC authorizer gives them (reason names the binding and role that allowed it). */
export function rbacReview(store: ObjectStore, who: ReviewSubject, a: AccessAttributes, granted: (user: string) => AccessRule[]): { allowed: boolean; reason?: string } {
  for (const binding of store.list('clusterrolebindings')) {
    const { subjects, roleRef } = bindingParts(binding);
    if (roleRef.kind !== 'ClusterRole' || !subjects.some((s) => subjectMatches(s, who, undefined))) continue;
    if (rulesOf(store.tryGet('clusterroles', undefined, roleRef.name)).some((r) => ruleAllows(r, a))) {
      return { allowed: true, reason: `RBAC: allowed by ClusterRoleBinding "${binding.metadata.name}" of ClusterRole "${roleRef.name}" to ${who.user}` };
    }
  }
  if (a.namespace) {
    for (const binding of store.list('rolebindings', a.namespace)) {
      const { subjects, roleRef } = bindingParts(binding);
      if (!subjects.some((s) => subjectMatches(s, who, a.namespace))) continue;
      const role = roleRef.kind === 'Role' ? store.tryGet('roles', a.namespace, roleRef.name) : roleRef.kind === 'ClusterRole' ? store.tryGet('clusterroles', undefined, roleRef.name) : undefined;
      if (rulesOf(role).some((r) => ruleAllows(r, a))) {
        return { allowed: true, reason: `RBAC: allowed by RoleBinding "${binding.metadata.name}/${a.namespace}" of ${roleRef.kind} "${roleRef.name}" to ${who.user}` };
      }
    }
  }
  const grant = granted(who.user).find(
    (r) => (r.verb === undefined || r.verb === a.verb) && (r.group === undefined || r.group === a.group) && (r.resource === undefined || r.resource === a.resource)
      && (r.subresource === undefined || r.subresource === (a.subresource ?? '')) && (r.namespace === undefined || r.namespace === a.namespace),
  );
  if (grant) return { allowed: true, reason: `emulator: granted to ${who.user}` };
  return { allowed: false };
}

/** What a pod's service account may do: the RBAC objects (and the test's grants) decide, as the API server's authorizer does. */
export class ServiceAccountAccess extends AccessPolicy {
  constructor(
    user: string,
    private readonly store: ObjectStore,
    private readonly admin: AccessPolicy,
  ) {
    super(user);
  }

  override isAllowed(attributes: AccessAttributes): boolean {
    return rbacReview(this.store, { user: this.user, groups: subjectGroups(this.user, []) }, attributes, (u) => this.admin.granted(u)).allowed;
  }
}
