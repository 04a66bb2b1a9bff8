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

  constructor(readonly user: string) {}

  /** Refuse matching requests with 403 (and answer `allowed: false` to access reviews). */
  deny(rule: AccessRule): void {
    this.denials.push(rule);
  }

  /** Removes every denial; everything is allowed again. */
  allowAll(): void {
    this.denials = [];
  }

  isAllowed(attributes: AccessAttributes): boolean {
    return !this.denials.some((rule) => ruleMatches(rule, attributes));
  }
}
