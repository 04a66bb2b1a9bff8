/**
 * A stand-in S3 (MinIO-like, path style) with one bucket, `datasets`, answering ListObjectsV2 only when the
 * request carries a valid SigV4 signature of the key in `env()`; anything else gets S3's 403 SignatureDoesNotMatch.
 * Like S3 it checks the signature over the headers the client says it signed (SignedHeaders), which must include
 * host, x-amz-date and x-amz-content-sha256 (and x-amz-security-token, equal to the session token, when the key
 * has one); it pages (max-keys, at most `pageSize`, an opaque continuation-token) and URL-encodes keys when asked
 * (encoding-type=url, which boto3 always asks for).
 */
import { createServer, type ServerResponse } from 'node:http';
import { sigV4Authorization } from './objectStores.ts';

export interface S3StandIn {
  /** Object key -> ETag (unquoted) in the bucket; a test may replace or change it between listings. */
  objects: Record<string, string>;
  /** Object key -> content, for GetObject/HeadObject (listing needs only `objects`). */
  bodies: Record<string, string>;
  /** The Authorization header of every request, in order. */
  authorizations: string[];
  /** The query of every request, in order. */
  queries: URLSearchParams[];
  /** Most keys a page holds (S3: 1000). */
  pageSize: number;
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  /** The session token requests must carry (temporary credentials), if any. */
  sessionToken?: string;
  /** AWS_* variables that reach the stand-in with the key it accepts. */
  env(): Record<string, string>;
  close(): Promise<void>;
}

export interface S3StandInOptions {
  region?: string;
  sessionToken?: string;
  pageSize?: number;
}

const KEY_ID = 'AKIDEXAMPLE';
const SECRET = 'secret/KEY';
const xmlText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
/** S3's encoding-type=url: form encoding (a space is `+`). */
const urlEncoded = (s: string) => new URLSearchParams({ k: s }).toString().slice(2);

export async function startS3StandIn(objects: Record<string, string> = {}, options: S3StandInOptions = {}): Promise<S3StandIn> {
  const denied = (res: ServerResponse, code: string, message: string) =>
    void res.writeHead(403, { 'content-type': 'application/xml' }).end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`);
  const server = createServer((req, res) => {
    const url = new URL(req.url!, `http://${req.headers.host}`);
    const authorization = String(req.headers.authorization ?? '');
    standIn.authorizations.push(authorization);
    standIn.queries.push(url.searchParams);
    const signed = (/SignedHeaders=([^,]+)/.exec(authorization)?.[1] ?? '').split(';').filter(Boolean);
    if (!['host', 'x-amz-date', 'x-amz-content-sha256'].every((h) => signed.includes(h))) return denied(res, 'AccessDenied', 'host, x-amz-date and x-amz-content-sha256 must be signed');
    if (standIn.sessionToken !== undefined && (req.headers['x-amz-security-token'] !== standIn.sessionToken || !signed.includes('x-amz-security-token'))) {
      return denied(res, 'InvalidToken', 'The provided token is malformed or otherwise invalid.');
    }
    const headers = Object.fromEntries(signed.map((h) => [h, String(req.headers[h] ?? '')]));
    const amzDate = headers['x-amz-date'];
    const expected = sigV4Authorization({ method: req.method ?? 'GET', url, headers, payloadHash: headers['x-amz-content-sha256'], accessKeyId: standIn.accessKeyId, secretAccessKey: standIn.secretAccessKey, region: standIn.region, service: 's3', amzDate });
    if (authorization !== expected) return denied(res, 'SignatureDoesNotMatch', 'The request signature we calculated does not match');
    // GetObject and HeadObject, for objects given a body.
    const objectKey = url.pathname.startsWith('/datasets/') ? decodeURIComponent(url.pathname.slice('/datasets/'.length)) : undefined;
    if (objectKey !== undefined && (req.method === 'GET' || req.method === 'HEAD')) {
      const body = standIn.bodies[objectKey];
      if (body === undefined || standIn.objects[objectKey] === undefined) {
        return void res.writeHead(404, { 'content-type': 'application/xml' }).end(req.method === 'HEAD' ? undefined : '<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>');
      }
      const bytes = Buffer.from(body);
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': bytes.length, etag: `"${standIn.objects[objectKey]}"`, 'last-modified': 'Tue, 01 Dec 2026 00:00:00 GMT', 'accept-ranges': 'bytes' });
      return void res.end(req.method === 'HEAD' ? undefined : bytes);
    }
    if (req.method !== 'GET' || url.pathname !== '/datasets' || url.searchParams.get('list-type') !== '2') {
      return denied(res, 'SignatureDoesNotMatch', 'The request signature we calculated does not match');
    }
    const prefix = url.searchParams.get('prefix') ?? '';
    const encode = url.searchParams.get('encoding-type') === 'url' ? urlEncoded : (s: string) => s;
    const maxKeys = Math.min(Number(url.searchParams.get('max-keys') ?? standIn.pageSize) || standIn.pageSize, standIn.pageSize);
    // S3 lists in UTF-8 byte order; the continuation token is opaque to the client (here: the last key, base64).
    const all = Object.entries(standIn.objects)
      .filter(([k]) => k.startsWith(prefix))
      .sort(([a], [b]) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    const token = url.searchParams.get('continuation-token');
    const after = token === null ? undefined : Buffer.from(token, 'base64').toString('utf8');
    const rest = after === undefined ? all : all.filter(([k]) => Buffer.compare(Buffer.from(k), Buffer.from(after)) > 0);
    const items = rest.slice(0, maxKeys);
    const truncated = rest.length > items.length;
    const next = truncated ? `<NextContinuationToken>${Buffer.from(items[items.length - 1][0]).toString('base64')}</NextContinuationToken>` : '';
    res.writeHead(200, { 'content-type': 'application/xml' }).end(
      `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Name>datasets</Name><Prefix>${xmlText(encode(prefix))}</Prefix><KeyCount>${items.length}</KeyCount><MaxKeys>${maxKeys}</MaxKeys>` +
        (url.searchParams.get('encoding-type') === 'url' ? '<EncodingType>url</EncodingType>' : '') +
        `<IsTruncated>${truncated}</IsTruncated>${next}` +
        items.map(([k, e]) => `<Contents><Key>${xmlText(encode(k))}</Key><LastModified>2026-12-01T00:00:00.000Z</LastModified><ETag>&quot;${e}&quot;</ETag><Size>10</Size><StorageClass>STANDARD</StorageClass></Contents>`).join('') +
        '</ListBucketResult>',
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const endpoint = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const standIn: S3StandIn = {
    objects,
    bodies: {},
    authorizations: [],
    queries: [],
    pageSize: options.pageSize ?? 1000,
    endpoint,
    accessKeyId: KEY_ID,
    secretAccessKey: SECRET,
    region: options.region ?? 'us-east-1',
    sessionToken: options.sessionToken,
    env: () => ({
      AWS_ACCESS_KEY_ID: standIn.accessKeyId,
      AWS_SECRET_ACCESS_KEY: standIn.secretAccessKey,
      AWS_REGION: standIn.region,
      AWS_ENDPOINT_URL: endpoint,
      ...(standIn.sessionToken !== undefined ? { AWS_SESSION_TOKEN: standIn.sessionToken } : {}),
    }),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
  return standIn;
}
