import { argoCronWorkflowCheck } from '../fixtures/schemaCheck.ts';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { queryFlag, readJson, sendJson } from './http.ts';
import { parse as parseYaml } from 'yaml';
import { readBody } from './http.ts';
import { applyPatch, managedFieldsOf, serverSideApply } from './patch.ts';
import type { ResourceDef } from './resources.ts';
import { apiVersionOf } from './resources.ts';
import { parseSelector, readField } from './selectors.ts';
import type { Matcher } from './selectors.ts';
import { ApiError, badRequest, invalid, methodNotAllowed, notFound } from './status.ts';
import type { ObjectStore } from './store.ts';
import { defaultPodRequests, quotaWithStatus } from './quota.ts';
import { toTable, wantsTable } from './tables.ts';
import type { IncludeObject } from './tables.ts';
import type { KubeObject } from './types.ts';
import { isRecord } from './types.ts';
import type { WatchRegistry, WatchSettings } from './watch.ts';
import { matches, serveWatch } from './watch.ts';

export interface ResourceRoute {
  def: ResourceDef;
  namespace?: string;
  name?: string;
}

export interface ApiContext {
  store: ObjectStore;
  watches: WatchRegistry;
  watchSettings: WatchSettings;
}

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** The verb RBAC sees for this request (`list` and `watch` are GETs on a collection). */
export function verbOf(method: string, route: ResourceRoute, query: URLSearchParams): string {
  const collection = !route.name;
  switch (method) {
    case 'GET':
    case 'HEAD':
      if (queryFlag(query, 'watch')) return 'watch';
      return collection ? 'list' : 'get';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return collection ? 'deletecollection' : 'delete';
    default:
      return method.toLowerCase();
  }
}

function selectors(query: URLSearchParams): { labels: Matcher; fields: Matcher } {
  try {
    return { labels: parseSelector(query.get('labelSelector')), fields: parseSelector(query.get('fieldSelector')) };
  } catch (err) {
    throw badRequest((err as Error).message);
  }
}

/** `Accept: ...;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1` (or `as=PartialObjectMetadata`): metadata only. */
function wantsMetadata(accept: string | undefined): boolean {
  return !!accept && /as=PartialObjectMetadata(List)?;/.test(`${accept};`);
}

function metadataOnly(o: KubeObject): Record<string, unknown> {
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata };
}

/** Objects as read: a ResourceQuota carries the status the quota controller keeps (hard and used). */
function asRead(ctx: ApiContext, o: KubeObject): KubeObject {
  return o.kind === 'ResourceQuota' ? quotaWithStatus(ctx.store, o) : o;
}

function includeOf(query: URLSearchParams): IncludeObject {
  const v = query.get('includeObject');
  return v === 'None' || v === 'Object' ? v : 'Metadata';
}

function checkName(def: ResourceDef, name: string, field = 'metadata.name'): void {
  const max = def.resource === 'namespaces' ? 63 : 253;
  if (name.length > max || !DNS_SUBDOMAIN.test(name) || (def.resource === 'namespaces' && name.includes('.'))) {
    throw invalid(def.kind, def.group, name, [
      { field, reason: 'FieldValueInvalid', message: `Invalid value: "${name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')` },
    ]);
  }
}

function checkBody(def: ResourceDef, route: ResourceRoute, body: unknown): KubeObject {
  if (!isRecord(body)) throw badRequest('the body of the request must be a JSON object');
  const expected = apiVersionOf(def);
  if (body.apiVersion !== undefined && body.apiVersion !== expected) {
    throw badRequest(`the API version in the data (${String(body.apiVersion)}) does not match the expected API version (${expected})`);
  }
  if (body.kind !== undefined && body.kind !== def.kind) throw badRequest(`the kind in the data (${String(body.kind)}) does not match the expected kind (${def.kind})`);
  const metadata = isRecord(body.metadata) ? body.metadata : {};
  if (def.namespaced && metadata.namespace !== undefined && metadata.namespace !== '' && metadata.namespace !== route.namespace) {
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  const object = { ...body, apiVersion: expected, kind: def.kind, metadata: { ...metadata } } as KubeObject;
  if (def.namespaced) object.metadata.namespace = route.namespace;
  else delete object.metadata.namespace;
  return object;
}

const cronWorkflowCheck = argoCronWorkflowCheck();

function validateSpec(def: ResourceDef, object: KubeObject): void {
  if (def.resource === 'cronworkflows') {
    // Argo's schema (the CRD's full validation) and the controller's own limit on the name.
    const problems = cronWorkflowCheck(object);
    if ((object.metadata.name ?? '').length > 52) problems.push('/metadata/name: must be no more than 52 characters');
    if (problems.length > 0) throw invalid(def.kind, def.group, object.metadata.name ?? '', problems.map((p) => ({ field: p.split(':')[0].slice(1).replace(/\//g, '.'), reason: 'FieldValueInvalid', message: p })));
    return;
  }
  if (def.resource !== 'workflows') return;
  const name = object.metadata.name || object.metadata.generateName || '';
  if (!isRecord(object.spec)) throw invalid(def.kind, def.group, name, [{ field: 'spec', reason: 'FieldValueRequired', message: 'Required value' }]);
}

async function create(ctx: ApiContext, req: IncomingMessage, res: ServerResponse, route: ResourceRoute, query: URLSearchParams): Promise<void> {
  const { def } = route;
  const object = checkBody(def, route, await readJson(req));
  const meta = object.metadata;
  if (!meta.name && !meta.generateName) {
    throw invalid(def.kind, def.group, '', [{ field: 'metadata.name', reason: 'FieldValueRequired', message: 'Required value: name or generateName is required' }]);
  }
  if (meta.name) checkName(def, meta.name);
  else checkName(def, `${meta.generateName}x`, 'metadata.generateName');
  validateSpec(def, object);
  if (def.namespaced && !ctx.store.tryGet('namespaces', undefined, route.namespace!)) throw notFound('namespaces', '', route.namespace!);
  if (def.resource === 'namespaces') object.status = { phase: 'Active' };
  if (def.resource === 'pods') defaultPodRequests(object);
  for (const key of ['uid', 'resourceVersion', 'creationTimestamp', 'deletionTimestamp', 'generation']) delete meta[key];
  if (query.get('dryRun') === 'All') {
    if (!meta.name) meta.name = `${meta.generateName}dryrun`;
    sendJson(res, 201, object);
    return;
  }
  sendJson(res, 201, ctx.store.create({ resource: def.resource, group: def.group }, object));
}

function list(ctx: ApiContext, req: IncomingMessage, res: ServerResponse, route: ResourceRoute, query: URLSearchParams): void {
  const { def } = route;
  const { labels, fields } = selectors(query);
  const filter = { def, namespace: route.namespace, labels, fields, resourceVersion: null, allowBookmarks: false, sendInitialEvents: false };
  const all = ctx.store.list(def.resource, route.namespace).filter((o) => matches(filter, o));
  const rv = String(ctx.store.currentRevision);
  const limit = Number(query.get('limit') ?? 0);
  const offset = Number(Buffer.from(query.get('continue') ?? '', 'base64').toString('utf8') || 0);
  const page = (limit > 0 ? all.slice(offset, offset + limit) : all.slice(offset)).map((o) => asRead(ctx, o));
  const meta: Record<string, unknown> = { resourceVersion: rv };
  if (limit > 0 && offset + limit < all.length) {
    meta.continue = Buffer.from(String(offset + limit)).toString('base64');
    meta.remainingItemCount = all.length - offset - limit;
  }
  if (wantsTable(req.headers.accept)) {
    sendJson(res, 200, toTable(def.resource, page, rv, includeOf(query), meta));
    return;
  }
  if (wantsMetadata(req.headers.accept)) {
    sendJson(res, 200, { kind: 'PartialObjectMetadataList', apiVersion: 'meta.k8s.io/v1', metadata: meta, items: page.map(metadataOnly) });
    return;
  }
  sendJson(res, 200, { kind: `${def.kind}List`, apiVersion: apiVersionOf(def), metadata: meta, items: page });
}

function get(ctx: ApiContext, req: IncomingMessage, res: ServerResponse, route: ResourceRoute, query: URLSearchParams): void {
  const object = asRead(ctx, ctx.store.get(route.def, route.namespace, route.name!));
  if (wantsTable(req.headers.accept)) {
    sendJson(res, 200, toTable(route.def.resource, [object], object.metadata.resourceVersion ?? '', includeOf(query)));
    return;
  }
  if (wantsMetadata(req.headers.accept)) {
    sendJson(res, 200, metadataOnly(object));
    return;
  }
  sendJson(res, 200, object);
}

async function update(ctx: ApiContext, req: IncomingMessage, res: ServerResponse, route: ResourceRoute): Promise<void> {
  const object = checkBody(route.def, route, await readJson(req));
  if (object.metadata.name !== route.name) throw badRequest('the name of the object does not match the name on the URL');
  validateSpec(route.def, object);
  sendJson(res, 200, ctx.store.update(route.def, object, { checkVersion: true }));
}

const APPLY_TYPE = 'application/apply-patch+yaml';

/**
 * Server-side apply (PATCH application/apply-patch+yaml): `fieldManager` is required; a missing object is
 * created (201), an existing one gets the applied fields (the manager's earlier fields it no longer
 * sets are dropped from spec, status is never taken from the body) and its managedFields entry.
 * Conflicts between two managers are not emulated: every apply acts as force=true.
 */
async function apply(ctx: ApiContext, req: IncomingMessage, res: ServerResponse, route: ResourceRoute, query: URLSearchParams): Promise<void> {
  const manager = query.get('fieldManager');
  const { def } = route;
  if (!manager) {
    throw invalid('PatchOptions', 'meta.k8s.io', '', [{ field: 'fieldManager', reason: 'FieldValueRequired', message: 'Required value: is required for apply patch' }]);
  }
  let body: unknown;
  try {
    body = parseYaml((await readBody(req)).toString('utf8'));
  } catch (err) {
    throw badRequest(`error decoding YAML: ${(err as Error).message}`);
  }
  if (!isRecord(body) || body.apiVersion === undefined || body.kind === undefined) throw badRequest('apply patches must set apiVersion and kind');
  const applied = checkBody(def, route, body);
  if (applied.metadata.name !== route.name) throw badRequest('the name of the object does not match the name on the URL');
  validateSpec(def, applied);
  const current = ctx.store.tryGet(def.resource, route.namespace, route.name!);
  const entry = managedFieldsOf(manager, applied);
  if (!current) {
    if (def.namespaced && !ctx.store.tryGet('namespaces', undefined, route.namespace!)) throw notFound('namespaces', '', route.namespace!);
    delete applied.status;
    applied.metadata.managedFields = [entry];
    sendJson(res, 201, ctx.store.create({ resource: def.resource, group: def.group }, applied));
    return;
  }
  sendJson(res, 200, ctx.store.update(def, serverSideApply(current, applied, entry)));
}

async function patch(ctx: ApiContext, req: IncomingMessage, res: ServerResponse, route: ResourceRoute, query: URLSearchParams): Promise<void> {
  if ((req.headers['content-type'] ?? '').split(';')[0].trim() === APPLY_TYPE) return apply(ctx, req, res, route, query);
  const current = ctx.store.get(route.def, route.namespace, route.name!);
  const patched = applyPatch(req.headers['content-type'] ?? '', current, await readJson(req));
  const object = checkBody(route.def, route, patched);
  object.metadata.name = route.name!;
  validateSpec(route.def, object);
  sendJson(res, 200, ctx.store.update(route.def, object, { checkVersion: true }));
}

function remove(ctx: ApiContext, res: ServerResponse, route: ResourceRoute): void {
  sendJson(res, 200, ctx.store.delete(route.def, route.namespace, route.name!));
}

function removeCollection(ctx: ApiContext, res: ServerResponse, route: ResourceRoute, query: URLSearchParams): void {
  const { labels, fields } = selectors(query);
  const doomed = ctx.store.list(route.def.resource, route.namespace).filter((o) => labels((k) => o.metadata.labels?.[k]) && fields((p) => readField(o, p)));
  const items = doomed.map((o) => ctx.store.delete(route.def, o.metadata.namespace, o.metadata.name));
  sendJson(res, 200, { kind: `${route.def.kind}List`, apiVersion: apiVersionOf(route.def), metadata: { resourceVersion: String(ctx.store.currentRevision) }, items });
}

/** Create, get, list, watch, update, patch and delete for one stored resource type. */
export async function handleResource(ctx: ApiContext, req: IncomingMessage, res: ServerResponse, route: ResourceRoute, query: URLSearchParams): Promise<void> {
  const verb = verbOf(req.method ?? 'GET', route, query);
  if (!route.def.verbs.includes(verb)) throw methodNotAllowed();
  switch (verb) {
    case 'create':
      if (route.name) throw methodNotAllowed();
      return create(ctx, req, res, route, query);
    case 'list':
      return list(ctx, req, res, route, query);
    case 'watch': {
      const { labels, fields } = selectors(query);
      const table = wantsTable(req.headers.accept) ? includeOf(query) : undefined;
      const name = route.name;
      const fieldMatcher: Matcher = name ? (read) => read('metadata.name') === name && fields(read) : fields;
      const timeout = Number(query.get('timeoutSeconds') ?? 0);
      serveWatch(ctx.store, ctx.watches, ctx.watchSettings, {
        def: route.def,
        namespace: route.namespace,
        labels,
        fields: fieldMatcher,
        resourceVersion: query.get('resourceVersion'),
        allowBookmarks: queryFlag(query, 'allowWatchBookmarks'),
        sendInitialEvents: queryFlag(query, 'sendInitialEvents'),
        timeoutSeconds: timeout > 0 ? timeout : undefined,
        table,
      }, res);
      return;
    }
    case 'get':
      return get(ctx, req, res, route, query);
    case 'update':
      return update(ctx, req, res, route);
    case 'patch':
      return patch(ctx, req, res, route, query);
    case 'delete':
      return remove(ctx, res, route);
    case 'deletecollection':
      return removeCollection(ctx, res, route, query);
    default:
      throw new ApiError(405, 'MethodNotAllowed', `${verb} is not supported on ${route.def.resource}`);
  }
}
