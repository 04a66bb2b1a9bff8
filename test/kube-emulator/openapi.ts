import { createHash } from 'node:crypto';
import type { ResourceDef } from './resources.ts';
import { apiVersionOf } from './resources.ts';

/**
 * OpenAPI v3 documents just rich enough for kubectl: it reads them to learn that the server validates
 * fields itself (a `fieldValidation` parameter on each kind's PATCH), and then skips client-side schemas.
 */

function gvPath(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : `api/${version}`;
}

function groupVersions(served: ResourceDef[]): Array<{ group: string; version: string }> {
  const seen = new Map<string, { group: string; version: string }>();
  for (const r of served) seen.set(gvPath(r.group, r.version), { group: r.group, version: r.version });
  return [...seen.values()];
}

export function openApiDocument(served: ResourceDef[], group: string, version: string): Record<string, unknown> | undefined {
  const defs = served.filter((r) => r.group === group && r.version === version);
  if (!defs.length) return undefined;
  const paths: Record<string, unknown> = {};
  const schemas: Record<string, unknown> = {};
  const params = ['dryRun', 'fieldManager', 'fieldValidation', 'force', 'pretty'].map((name) => ({
    name,
    in: 'query',
    schema: { type: name === 'force' ? 'boolean' : 'string', uniqueItems: true },
  }));
  for (const def of defs) {
    const gvk = { group: def.group, version: def.version, kind: def.kind };
    const base = `/${gvPath(def.group, def.version)}${def.namespaced ? '/namespaces/{namespace}' : ''}/${def.resource}`;
    const op = (action: string) => ({
      operationId: `${action}${def.kind}`,
      'x-kubernetes-action': action,
      'x-kubernetes-group-version-kind': gvk,
      parameters: action === 'patch' || action === 'post' ? params : [],
      responses: { '200': { description: 'OK' } },
    });
    paths[base] = { get: op('list'), post: op('post') };
    paths[`${base}/{name}`] = { get: op('get'), patch: op('patch'), put: op('put'), delete: op('delete') };
    const schemaName = `${def.group || 'io.k8s.api.core'}.${def.version}.${def.kind}`;
    schemas[schemaName] = {
      type: 'object',
      'x-kubernetes-group-version-kind': [gvk],
      'x-kubernetes-preserve-unknown-fields': true,
      properties: { apiVersion: { type: 'string', default: apiVersionOf(def) }, kind: { type: 'string' }, metadata: { type: 'object' } },
    };
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'v1.32.4' },
    paths,
    components: { schemas },
  };
}

function hashOf(served: ResourceDef[], group: string, version: string): string {
  return createHash('sha512').update(JSON.stringify(openApiDocument(served, group, version))).digest('hex').slice(0, 64).toUpperCase();
}

export function openApiIndex(served: ResourceDef[]): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  for (const { group, version } of groupVersions(served)) {
    const path = gvPath(group, version);
    paths[path] = { serverRelativeURL: `/openapi/v3/${path}?hash=${hashOf(served, group, version)}` };
  }
  return { paths };
}
