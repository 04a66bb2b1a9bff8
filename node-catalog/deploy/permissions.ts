/**
 * What the deploy step's service account must be allowed in its namespace (the step's PERMISSIONS list
 * holds the same; a test keeps them equal). Server-side apply is a patch, and a create where the object
 * does not exist yet; following reads the objects; an abort patches the Rollout's status.
 */
export interface DeployPermission {
  verb: 'create' | 'get' | 'patch';
  /** API group, '' for the core group. */
  group: string;
  /** Plural resource, with `/subresource` where one is needed (`rollouts/status`). */
  resource: string;
  namespace: string;
}

const RULES: Array<[DeployPermission['verb'], string, string, boolean]> = [
  ['create', '', 'services', false], ['patch', '', 'services', false], ['get', '', 'services', false],
  ['create', 'apps', 'deployments', false], ['patch', 'apps', 'deployments', false], ['get', 'apps', 'deployments', false],
  ['create', 'argoproj.io', 'analysistemplates', true], ['patch', 'argoproj.io', 'analysistemplates', true],
  ['create', 'argoproj.io', 'rollouts', true], ['patch', 'argoproj.io', 'rollouts', true], ['get', 'argoproj.io', 'rollouts', true],
  ['patch', 'argoproj.io', 'rollouts/status', true], ['get', 'argoproj.io', 'analysisruns', true],
];

/** The permissions one deploy node needs: its `namespace` param, Argo Rollouts' resources only with `canary` on. */
export function deployPermissions(params: { namespace?: unknown; canary?: unknown; apply?: unknown }): DeployPermission[] {
  if (params.apply === false) return [];
  const namespace = typeof params.namespace === 'string' && params.namespace ? params.namespace : 'inference';
  return RULES.filter(([, , , rollout]) => !rollout || params.canary === true).map(([verb, group, resource]) => ({ verb, group, resource, namespace }));
}
