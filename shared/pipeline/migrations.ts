/**
 * Format versions of the pipeline document and the migrations between them. One migration per
 * version, from N to N + 1; the newest `to` is the version this build writes. Adding v3 is one
 * entry appended to MIGRATIONS (plus the new shape in types.ts).
 */
import { PIPELINE_FORMAT_VERSION } from './types.ts';

export const FORMAT_PREFIX = 'pipewright.pipeline/v';

export type JsonObject = Record<string, unknown>;

export interface Migration {
  from: number;
  to: number;
  /** What changed, in one line (shown in `migratedFrom` notes). */
  summary: string;
  migrate(doc: JsonObject): JsonObject;
}

/** The document names a format version newer than this build knows. */
export class FormatTooNewError extends Error {
  constructor(
    readonly format: string,
    readonly version: number,
    readonly supportedVersion: number,
  ) {
    super(
      `it is format ${format}, newer than this Pipewright understands (up to ${formatName(supportedVersion)}); update Pipewright to open it`,
    );
    this.name = 'FormatTooNewError';
  }
}

/** The `format` field is not a Pipewright pipeline format at all. */
export class UnknownFormatError extends Error {
  constructor(readonly format: string) {
    super(`its format "${format}" is not a Pipewright pipeline format (expected ${formatName(PIPELINE_FORMAT_VERSION)})`);
    this.name = 'UnknownFormatError';
  }
}

/** A document of an older version could not be migrated; `path` says where (`edges[2].from`). */
export class MigrationError extends Error {
  constructor(
    readonly fromVersion: number,
    readonly path: string,
    detail: string,
  ) {
    super(`cannot upgrade it from ${formatName(fromVersion)}: ${path}: ${detail}`);
    this.name = 'MigrationError';
  }
}

export function formatName(version: number): string {
  return `${FORMAT_PREFIX}${version}`;
}

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `"nodeId.port"` of a v0 edge end, split at the first dot (neither part may hold one). */
function splitEnd(value: unknown, path: string): [string, string] {
  const dot = typeof value === 'string' ? value.indexOf('.') : -1;
  if (typeof value !== 'string' || dot <= 0 || dot === value.length - 1) {
    throw new MigrationError(0, path, `expected "nodeId.port", found ${JSON.stringify(value)}`);
  }
  return [value.slice(0, dot), value.slice(dot + 1)];
}

/**
 * v0, the pre-release draft: edges were `{ "id"?, "from": "node.port", "to": "node.port" }` and a
 * node's parameters were called `parameters`. v1 names edge ends `source`/`sourceHandle`/`target`/
 * `targetHandle`, gives every edge an id, and calls parameters `params`.
 */
const v0ToV1: Migration = {
  from: 0,
  to: 1,
  summary: 'edges "from"/"to" became source/target with handles; node "parameters" became "params"',
  migrate(doc) {
    const nodes = Array.isArray(doc.nodes)
      ? doc.nodes.map((node) => {
          if (!isObject(node) || !('parameters' in node)) return node;
          const { parameters, ...rest } = node;
          return { ...rest, params: parameters };
        })
      : doc.nodes;
    const taken = new Set(Array.isArray(doc.edges) ? doc.edges.map((e) => (isObject(e) ? e.id : undefined)) : []);
    let counter = 0;
    const freshId = () => {
      let id: string;
      do id = `e${++counter}`;
      while (taken.has(id));
      taken.add(id);
      return id;
    };
    const edges = Array.isArray(doc.edges)
      ? doc.edges.map((edge, i) => {
          if (!isObject(edge)) return edge;
          const { from, to, id, ...rest } = edge;
          const [source, sourceHandle] = splitEnd(from, `edges[${i}].from`);
          const [target, targetHandle] = splitEnd(to, `edges[${i}].to`);
          return { id: typeof id === 'string' && id !== '' ? id : freshId(), source, sourceHandle, target, targetHandle, ...rest };
        })
      : doc.edges;
    return { ...doc, format: formatName(1), nodes, edges };
  },
};

/**
 * v1 → v2: v2 adds run-time `parameters`, param bindings and a per-node `image`, and gives a node's
 * type default precedence over `settings.image` (node.image, else the type's default, else
 * settings.image). In v1 `settings.image` replaced every step's image, so it is copied onto each
 * node that names no image of its own: every step keeps the image it ran in.
 */
const v1ToV2: Migration = {
  from: 1,
  to: 2,
  summary: 'settings.image, which v1 used for every step, is now each node\'s own "image"',
  migrate(doc) {
    const image = isObject(doc.settings) && typeof doc.settings.image === 'string' && doc.settings.image !== '' ? doc.settings.image : undefined;
    const nodes =
      image !== undefined && Array.isArray(doc.nodes)
        ? doc.nodes.map((node) => (isObject(node) && typeof node.image !== 'string' ? { ...node, image } : node))
        : doc.nodes;
    return { ...doc, format: formatName(2), nodes };
  },
};

export const MIGRATIONS: readonly Migration[] = [v0ToV1, v1ToV2];

/** The version this build reads and writes natively. */
export const CURRENT_VERSION: number = MIGRATIONS.length === 0 ? PIPELINE_FORMAT_VERSION : MIGRATIONS[MIGRATIONS.length - 1].to;

/** The version number in a `format` string; throws UnknownFormatError or FormatTooNewError. */
export function formatVersion(format: string): number {
  const match = /^pipewright\.pipeline\/v(0|[1-9]\d{0,8})$/.exec(format);
  if (!match) throw new UnknownFormatError(format);
  const version = Number(match[1]);
  if (version > CURRENT_VERSION) throw new FormatTooNewError(format, version, CURRENT_VERSION);
  if (version < MIGRATIONS[0].from) throw new UnknownFormatError(format);
  return version;
}

/** Upgrades a parsed document of any known version to the current one, one migration at a time. */
export function migrateDocument(doc: JsonObject, version: number): JsonObject {
  let current = doc;
  for (let v = version; v < CURRENT_VERSION; v++) {
    const step = MIGRATIONS.find((m) => m.from === v);
    if (!step) throw new MigrationError(v, 'format', `no migration from version ${v}`);
    current = step.migrate(current);
  }
  return current;
}
