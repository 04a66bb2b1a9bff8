/** Who may do what: every request and every SelfSubjectAccessReview is checked against these denials. */

export interface AccessAttributes {
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
}

/** A denial; an omitted field matches anything. */
export interface AccessRule {
  verb?: string;
  group?: string;
  resource?: string;
  subresource?: string;
  namespace?: string;
}

function ruleMatches(rule: AccessRule, a: AccessAttributes): boolean {
  return (
    (rule.verb === undefined || rule.verb === a.verb) &&
    (rule.group === undefined || rule.group === a.group) &&
    (rule.resource === undefined || rule.resource === a.resource) &&
    (rule.subresource === undefined || rule.subresource === (a.subresource ?? '')) &&
    (rule.namespace === undefined || rule.namespace === a.namespace)
  );
}

export class AccessPolicy {
  private denials: AccessRule[] = [];
  /** What other users (service accounts) may do without RBAC objects: answered to SubjectAccessReviews. */
  private readonly grants = new Map<string, AccessRule[]>();

  constructor(readonly user: string) {}

  /** Refuse matching requests with 403 (and answer `allowed: false` to access reviews). */
  deny(rule: AccessRule): void {
    this.denials.push(rule);
  }

  /** Removes every denial; everything is allowed again. */
  allowAll(): void {
    this.denials = [];
  }

  /** Let `user` (e.g. system:serviceaccount:argo:default) do what matches `rule`, as far as SubjectAccessReviews tell. */
  grant(user: string, rule: AccessRule): void {
    this.grants.set(user, [...(this.grants.get(user) ?? []), rule]);
  }

  clearGrants(): void {
    this.grants.clear();
  }

  granted(user: string): AccessRule[] {
    return this.grants.get(user) ?? [];
  }

  isAllowed(attributes: AccessAttributes): boolean {
    return !this.denials.some((rule) => ruleMatches(rule, attributes));
  }
}
